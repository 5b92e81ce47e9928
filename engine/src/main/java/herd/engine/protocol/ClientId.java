package herd.engine.protocol;

import java.nio.charset.StandardCharsets;

/**
 * A client id as SPEC §2 has it: the bytes the client sent, compared and stored as such.
 * Inside the engine an id is a <em>key</em>: a string with one char per byte (ISO-8859-1),
 * a bijection, so ids that differ in any byte stay distinct, even malformed UTF-8 that a
 * decoder would turn into the same U+FFFD, and the key gives the bytes back exactly. It is
 * also the cheapest decoding there is (a compact Latin-1 string is a plain copy), and an
 * ASCII id's key is its own text. On the wire an id is never re-encoded: AT lines carry the
 * bytes as they came.
 *
 * <p>Text for people (a {@link herd.engine.LocationReport}, events, the event log, the
 * monitor) is the bytes decoded as UTF-8, malformed bytes shown as U+FFFD: for display
 * only, never a key. Pure functions; thread-safe.
 */
public final class ClientId {

    private ClientId() {
    }

    /** The key of the id in {@code b[off, off + len)}. */
    public static String key(byte[] b, int off, int len) {
        return new String(b, off, len, StandardCharsets.ISO_8859_1);
    }

    /** The key of an id given as text (the API, tests): the key of its UTF-8 bytes. */
    public static String key(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                byte[] b = text.getBytes(StandardCharsets.UTF_8);
                return key(b, 0, b.length);
            }
        }
        return text; // ASCII: the same bytes either way
    }

    /** The id's bytes, exactly as the client sent them. */
    public static byte[] bytes(String key) {
        return key.getBytes(StandardCharsets.ISO_8859_1);
    }

    /** The id as text for people: its bytes as UTF-8, malformed ones shown as U+FFFD. */
    public static String text(String key) {
        byte[] b = bytes(key);
        return new String(b, StandardCharsets.UTF_8);
    }
}
