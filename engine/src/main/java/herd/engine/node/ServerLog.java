package herd.engine.node;

import herd.engine.Party;
import java.nio.charset.StandardCharsets;
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

    /**
     * {@link #append(Instant, String, Party, String)} with the payload as UTF-8 bytes,
     * {@code payload[0, length)}; malformed UTF-8 is logged as a decoder replaces it.
     *
     * @param fixed true when {@code payload} never changes (an AT line shared by the table and
     *              the links), so appending the same array again (LEARNED, then PEER_OUT to
     *              each link) may reuse the first append's work; false for a reused buffer
     */
    default void append(Instant at, String kind, Party party, byte[] payload, int length, boolean fixed) {
        append(at, kind, party, new String(payload, 0, length, StandardCharsets.UTF_8));
    }
}
