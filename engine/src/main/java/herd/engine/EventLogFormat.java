package herd.engine;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The event log line: {@code <time> <KIND> <party> <payload>}, one per event, with the time
 * in UTC with microseconds ({@code 2026-11-23T23:05:01.123456Z}) and control characters in
 * the payload escaped so that one event is always one line. Thread-safe.
 *
 * <p>This is the format's definition, for listeners such as the monitor. The engine writes
 * its log files without event objects, with the same bytes (the engine's
 * {@code EventLogBytes}, whose tests compare it with this class). The text up to the second
 * is cached, and only the microseconds are formatted.
 */
public final class EventLogFormat {

    private static final DateTimeFormatter SECOND =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    /** The last second formatted, shared by every caller; replaced whole, never mutated. */
    private record Second(long epochSecond, String text) {}

    private static volatile Second lastSecond = new Second(Long.MIN_VALUE, "");

    private EventLogFormat() {
    }

    /** The log line for {@code event}, without a line terminator. */
    public static String line(HerdEvent event) {
        StringBuilder out = new StringBuilder(64 + event.payload().length());
        appendTime(event.at(), out);
        out.append(' ').append(event.kind()).append(' ').append(event.party());
        String payload = event.payload();
        if (!payload.isEmpty()) {
            out.append(' ');
            escape(payload, out);
        }
        return out.toString();
    }

    /** {@code 2026-11-23T23:05:01.123456Z}: UTC, always six fraction digits. */
    static void appendTime(Instant at, StringBuilder out) {
        Second s = lastSecond;
        if (s.epochSecond() != at.getEpochSecond()) {
            s = new Second(at.getEpochSecond(), SECOND.format(at));
            lastSecond = s;
        }
        int micros = at.getNano() / 1000;
        out.append(s.text()).append('.');
        for (int scale = 100_000; scale > 0; scale /= 10) {
            out.append((char) ('0' + micros / scale % 10));
        }
        out.append('Z');
    }

    /**
     * Characters beyond ASCII that a log line must not carry raw, escaped as a backslash, {@code u} and four hex digits:
     * the C1 controls (U+0080-U+009F, NEL among them), the line and paragraph separators
     * (U+2028, U+2029), which editors and some tools take for line ends, the bidirectional
     * controls (U+061C, U+200E, U+200F, U+202A-U+202E, U+2066-U+2069), which make a line
     * read as something other than what was sent, and the byte-order mark (U+FEFF).
     */
    public static boolean escapedAsUnicode(char c) {
        return c >= 0x80 && c <= 0x9F || c == 0x061C || c == 0x200E || c == 0x200F
                || c >= 0x2028 && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0xFEFF;
    }

    /**
     * Backslash, CR, LF and tab as {@code \\ \r \n \t}; other control characters as
     * {@code \xNN}; the characters of {@link #escapedAsUnicode} as a backslash, {@code u} and four hex digits.
     */
    static void escape(String text, StringBuilder out) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20 || c == 0x7F) {
                        out.append(String.format("\\x%02X", (int) c));
                    } else if (escapedAsUnicode(c)) {
                        out.append(String.format("\\u%04X", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
