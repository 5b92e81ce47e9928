package herd.gui;

import herd.engine.config.Link;

/**
 * Where the monitor's operator actions are noted for the experiment's timeline (see
 * {@link Experiment}). Called on the thread that carries the action out, just before it does.
 */
interface ActionLog {

    /** Notes nothing. */
    ActionLog NONE = new ActionLog() {
        @Override
        public void action(String action, String target, String detail) {
        }

        @Override
        public void linkAction(String action, Link link, String detail) {
        }
    };

    /** An action on a server or the herd: {@code down}, {@code up}, {@code heal}, {@code add}, {@code remove}, {@code send}. */
    void action(String action, String target, String detail);

    /** An action on a link: {@code cut} or {@code restore}. */
    void linkAction(String action, Link link, String detail);
}
