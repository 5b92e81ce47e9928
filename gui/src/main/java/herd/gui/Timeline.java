package herd.gui;

import java.util.ArrayDeque;
import java.util.List;

/**
 * The experiment's operator actions, in the order they were taken, each with its microsecond
 * time: cut, restore, down, up, heal, add, remove, send. Bounded: the newest {@value #KEPT}
 * are kept, the rest counted. Thread-safe (the operator thread, the console's thread and the
 * JavaFX thread; a person's clicks, never one per event).
 */
final class Timeline {

    static final int KEPT = 100_000;

    /** The action names, as {@code actions.csv} writes them. */
    static final List<String> ACTIONS = List.of("cut", "restore", "down", "up", "heal", "add", "remove", "send");

    /**
     * One action.
     *
     * @param atMicros microseconds since the epoch, UTC, taken just before the action was carried out
     * @param action   one of {@link #ACTIONS}
     * @param target   a link ({@code Holiday-Welsh}), a server, or {@code herd} for heal all
     * @param detail   what else there is to say: the line sent, the outcome
     */
    record Action(long atMicros, String action, String target, String detail) {
        Action {
            if (!ACTIONS.contains(action)) {
                throw new IllegalArgumentException("not an action: " + action);
            }
        }
    }

    private final ArrayDeque<Action> actions = new ArrayDeque<>();
    private long dropped;

    synchronized void add(Action a) {
        if (actions.size() >= KEPT) {
            actions.removeFirst();
            dropped++;
        }
        actions.add(a);
    }

    synchronized List<Action> actions() {
        return List.copyOf(actions);
    }

    synchronized long dropped() {
        return dropped;
    }
}
