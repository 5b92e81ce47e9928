package herd.engine;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The event log line: {@code <time> <KIND> <party> <payload>}, one per event, with the time
 * in UTC with microseconds ({@code 2026-11-23T23:05:01.123456Z}) and control characters in
 * the payload escaped so that one event is always one line. Stateless.
 */
public final class EventLogFormat {

    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private EventLogFormat() {
    }

    /** The log line for {@code event}, without a line terminator. */
    public static String line(HerdEvent event) {
        StringBuilder out = new StringBuilder(64 + event.payload().length());
        TIME.formatTo(event.at(), out);
        out.append(' ').append(event.kind()).append(' ').append(event.party());
        String payload = event.payload();
        if (!payload.isEmpty()) {
            out.append(' ');
            escape(payload, out);
        }
        return out.toString();
    }

    /** Backslash, CR, LF and tab as {@code \\ \r \n \t}; other control characters as {@code \xNN}. */
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
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
