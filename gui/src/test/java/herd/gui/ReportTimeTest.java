package herd.gui;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class ReportTimeTest {

    private static final Instant NOW = Instant.parse("2026-12-05T11:32:11.500Z");

    @Test
    void aReportOfTodayIsItsUtcClockTimeToTheMillisecondAndItsAge() {
        String t = Instant.parse("2026-12-05T11:32:07.959Z").getEpochSecond() + ".959123456";
        assertEquals("11:32:07.959 · 3 s ago", ReportTime.describe(t, NOW));
    }

    @Test
    void anOlderReportHasItsDateAndAnAgeInLargerUnits() {
        assertEquals("2018-03-02 20:52:14.918 · 3199 d ago", ReportTime.describe("1520023934.918963997", NOW));
        assertEquals("1970-01-01 00:01:40.000", ReportTime.clock(ReportTime.instant("100"), NOW));
        assertEquals("12 min ago", ReportTime.age(NOW.minusSeconds(12 * 60 + 59), NOW));
        assertEquals("2 h ago", ReportTime.age(NOW.minusSeconds(2 * 3600 + 1), NOW));
    }

    @Test
    void aClientClockAheadOfOursIsInTheFuture() {
        assertEquals("in 4 s", ReportTime.age(NOW.plusSeconds(4), NOW));
    }
}
