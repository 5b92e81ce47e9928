package herd.gui;

import herd.engine.EventLogFormat;
import herd.engine.HerdEvent;







/**
 * One line of a log tail: a server's event, written exactly as its log file has it
 * ({@link EventLogFormat}), or a note from the monitor itself. The text is made only when
 * first needed — when the line is on screen or a filter looks at it — because a tail takes
 * thousands of lines a second and shows a few dozen. JavaFX thread only.
 */
final class TailLine {

    private final HerdEvent event;
    private String text;

    private TailLine(HerdEvent event, String text) {
        this.event = event;
        this.text = text;
    }

    static TailLine of(HerdEvent event) {
        return new TailLine(event, null);
    }

    static TailLine note(String text) {
        return new TailLine(null, text);
    }

    String text() {
        if (text == null) {
            text = EventLogFormat.line(event);
        }
        return text;
    }

    /** The text, which is what a list view shows. */
    @Override
    public String toString() {
        return text();
    }
}
