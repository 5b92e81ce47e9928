package herd.engine.eventlog;

import herd.engine.EventLogFormat;
import herd.engine.Party;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The pieces of an event-log line written straight as UTF-8 bytes into an array, with the
 * same result as {@link herd.engine.EventLogFormat#line} encoded as UTF-8 (a lone surrogate
 * becomes {@code ?}, as any UTF-8 encoder of the JDK writes it). Each method writes at
 * {@code pos} and returns the position after what it wrote; the caller makes room first
 * ({@link #maxLength}). Pure functions; thread-safe.
 */
final class EventLogBytes {

    /** {@code 2026-11-23T23:05:01.} */
    static final int SECOND_LENGTH = 20;
    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.").withZone(ZoneOffset.UTC);
    private static final byte[] HEX = "0123456789ABCDEF".getBytes(StandardCharsets.US_ASCII);

    private EventLogBytes() {
    }

    /** The most bytes the line can take, newline included: 6 per payload char or byte (backslash, {@code u}, four hex digits), 3 per name char. */
    static int maxLength(String kind, Party party, int payloadLength) {
        int partyLength = party == null ? 1 : "client/".length() + 3 * party.name().length();
        return SECOND_LENGTH + 7 + 1 + kind.length() + 1 + partyLength + 1 + 6 * payloadLength + 1;
    }

    /** True when {@code b[0, length)} is all ASCII: its UTF-8 needs no decoding to be logged. */
    static boolean isAscii(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] < 0) {
                return false;
            }
        }
        return true;
    }

    /** {@link #escaped(String, byte[], int)} for ASCII bytes {@code b[0, length)}. */
    static int escaped(byte[] b, int length, byte[] out, int pos) {
        for (int i = 0; i < length; i++) {
            byte c = b[i];
            if (c >= 0x20 && c != 0x7F && c != '\\') {
                out[pos++] = c;
            } else {
                pos = escape((char) c, out, pos);
            }
        }
        return pos;
    }

    /** The time up to and with the second's dot, e.g. {@code 2026-11-23T23:05:01.}, as ASCII. */
    static byte[] second(long epochSecond) {
        return SECOND.format(Instant.ofEpochSecond(epochSecond)).getBytes(StandardCharsets.US_ASCII);
    }

    /** The second's text, then the microseconds of {@code nano} as six digits, then {@code Z}. */
    static int time(byte[] second, int nano, byte[] out, int pos) {
        System.arraycopy(second, 0, out, pos, second.length);
        pos += second.length;
        int micros = nano / 1000;
        for (int scale = 100_000; scale > 0; scale /= 10) {
            out[pos++] = (byte) ('0' + micros / scale % 10);
        }
        out[pos++] = 'Z';
        return pos;
    }

    /** {@code client/<name>}, {@code peer/<name>}, or {@code -} for null; the name as UTF-8, unescaped. */
    static int party(Party party, byte[] out, int pos) {
        if (party == null) {
            out[pos++] = '-';
            return pos;
        }
        pos = utf8(party.isPeer() ? "peer/" : "client/", out, pos, false);
        return utf8(party.name(), out, pos, false);
    }

    /** {@code text} unescaped (kinds, names). */
    static int plain(String text, byte[] out, int pos) {
        return utf8(text, out, pos, false);
    }

    /**
     * {@code text} with backslash, CR, LF and tab as {@code \\ \r \n \t} and other control
     * characters as {@code \xNN}, as {@link herd.engine.EventLogFormat} escapes a payload.
     */
    static int escaped(String text, byte[] out, int pos) {
        return utf8(text, out, pos, true);
    }

    private static int utf8(String s, byte[] out, int pos, boolean escape) {
        int n = s.length();
        for (int i = 0; i < n; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                if (!escape || (c >= 0x20 && c != 0x7F && c != '\\')) {
                    out[pos++] = (byte) c;
                } else {
                    pos = escape(c, out, pos);
                }
            } else if (escape && EventLogFormat.escapedAsUnicode(c)) {
                pos = unicodeEscape(c, out, pos);
            } else if (c < 0x800) {
                out[pos++] = (byte) (0xC0 | c >> 6);
                out[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (!Character.isSurrogate(c)) {
                out[pos++] = (byte) (0xE0 | c >> 12);
                out[pos++] = (byte) (0x80 | c >> 6 & 0x3F);
                out[pos++] = (byte) (0x80 | c & 0x3F);
            } else if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(s.charAt(i + 1))) {
                int cp = Character.toCodePoint(c, s.charAt(++i));
                out[pos++] = (byte) (0xF0 | cp >> 18);
                out[pos++] = (byte) (0x80 | cp >> 12 & 0x3F);
                out[pos++] = (byte) (0x80 | cp >> 6 & 0x3F);
                out[pos++] = (byte) (0x80 | cp & 0x3F);
            } else {
                out[pos++] = '?';
            }
        }
        return pos;
    }

    private static int unicodeEscape(char c, byte[] out, int pos) {
        out[pos++] = '\\';
        out[pos++] = 'u';
        out[pos++] = HEX[c >> 12];
        out[pos++] = HEX[c >> 8 & 0xF];
        out[pos++] = HEX[c >> 4 & 0xF];
        out[pos++] = HEX[c & 0xF];
        return pos;
    }

    private static int escape(char c, byte[] out, int pos) {
        out[pos++] = '\\';
        switch (c) {
            case '\\' -> out[pos++] = '\\';
            case '\n' -> out[pos++] = 'n';
            case '\r' -> out[pos++] = 'r';
            case '\t' -> out[pos++] = 't';
            default -> {
                out[pos++] = 'x';
                out[pos++] = HEX[c >> 4];
                out[pos++] = HEX[c & 0xF];
            }
        }
        return pos;
    }
}
