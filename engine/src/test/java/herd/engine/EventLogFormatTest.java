package herd.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

class EventLogFormatTest {

    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSS'Z'").withZone(ZoneOffset.UTC);

    private static String time(Instant at) {
        StringBuilder b = new StringBuilder();
        EventLogFormat.appendTime(at, b);
        return b.toString();
    }

    @Test
    void timeIsUtcWithSixFractionDigitsAcrossSecondsAndLeadingZeros() {
        assertEquals("2026-11-23T23:05:01.000000Z", time(Instant.parse("2026-11-23T23:05:01Z")));
        assertEquals("2026-11-23T23:05:01.000007Z", time(Instant.parse("2026-11-23T23:05:01.000007999Z")));
        assertEquals("2026-11-23T23:05:02.123456Z", time(Instant.parse("2026-11-23T23:05:02.123456Z")));
        assertEquals("1970-01-01T00:00:00.999999Z", time(Instant.parse("1970-01-01T00:00:00.999999Z")));
    }

    @Test
    void cachedSecondsAgreeWithAFormatterForAnyInstantInAnyOrder() {
        Random random = new Random(5);
        long base = Instant.parse("2026-11-23T23:05:01Z").getEpochSecond();
        for (int i = 0; i < 20_000; i++) {
            Instant at = Instant.ofEpochSecond(base + random.nextInt(5), random.nextInt(1_000_000_000));
            assertEquals(REFERENCE.format(at), time(at));
        }
    }

    @Test
    void separatorsBidiControlsC1AndTheByteOrderMarkAreEscapedSoALineReadsAsSent() {
        HerdEvent e = new HerdEvent.LineIn(Instant.parse("2026-11-23T23:05:01.5Z"), "Welsh",
                Party.client("127.0.0.1:5000"), "IAMAT a\u0085b\u2028c\u2029d\u202Ee\u2066f\u200Fg\uFEFFh Zo\u00eb \u20ac");
        assertEquals("2026-11-23T23:05:01.500000Z IN client/127.0.0.1:5000 "
                + "IAMAT a\\u0085b\\u2028c\\u2029d\\u202Ee\\u2066f\\u200Fg\\uFEFFh Zo\u00eb \u20ac", EventLogFormat.line(e));
    }

    @Test
    void lineIsTimeKindPartyAndEscapedPayload() {
        HerdEvent e = new HerdEvent.LineIn(Instant.parse("2026-11-23T23:05:01.5Z"), "Welsh",
                Party.client("127.0.0.1:5000"), "IAMAT a\tb");
        assertEquals("2026-11-23T23:05:01.500000Z IN client/127.0.0.1:5000 IAMAT a\\tb", EventLogFormat.line(e));
    }
}
