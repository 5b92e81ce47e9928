package herd.engine.server;

import herd.engine.io.LineFramer;
import java.nio.charset.StandardCharsets;

/**
 * A reply to one client command: its first line (UTF-8, without the {@code \n}), then
 * anything after that line's {@code \n} (a WHATSAT's JSON), and the line the event log keeps
 * for it when that is not the first line itself. The first line's array is never changed
 * after the reply is made: an IAMAT's reply shares it with the table and the links, a
 * WHATSAT's is the table's stored line itself.
 *
 * @param line   the first line's bytes
 * @param rest   what follows the first line's {@code \n}, or null
 * @param logged the event log's text for the reply, or null to log {@code line}
 * @param askedAtNanos for a WHATSAT's reply, {@link System#nanoTime()} when its line was read
 *                     (its latency is counted when the reply is sent); else unused
 */
record Reply(byte[] line, String rest, String logged, long askedAtNanos) {

    /** A one-line reply, logged as sent. */
    static Reply line(byte[] line) {
        return new Reply(line, null, null, 0);
    }

    /** True for a WHATSAT's reply (the AT line, then the JSON). */
    boolean isWhatsAt() {
        return rest != null;
    }

    static Reply line(String text) {
        return line(text.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code ? } and the line exactly as received: the same bytes, whatever they are. */
    static Reply invalid(LineFramer.Frame frame) {
        byte[] out = new byte[2 + frame.length()];
        out[0] = '?';
        out[1] = ' ';
        System.arraycopy(frame.bytes(), 0, out, 2, frame.length());
        return line(out);
    }

    /** The event log's text for this reply. */
    String logText() {
        return logged != null ? logged : new String(line, StandardCharsets.UTF_8);
    }
}
