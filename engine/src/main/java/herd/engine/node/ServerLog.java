package herd.engine.node;

import herd.engine.Party;
import java.time.Instant;

/**
 * One server's event-log file as its parts see it: a line is appended, never read back
 * (README "Log format"). Called on I/O threads and the timer; an implementation must never
 * block and must never lose a line without counting it.
 */
public interface ServerLog {

    /** A log that writes nothing: for a server's parts tested without a herd. */
    ServerLog NONE = (at, kind, party, payload) -> { };

    /**
     * Appends {@code <at> <kind> <party> <payload>}.
     *
     * @param party   the other party, or null for a server-wide event (logged as {@code -})
     * @param payload the rest of the line, unescaped; empty for none
     */
    void append(Instant at, String kind, Party party, String payload);
}
