package herd.gui;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * A report's client time for people: the UTC clock time to the millisecond
 * ({@code 11:32:07.959}, with the date when it is not today's) and its age
 * ({@code 4 s ago}), instead of the raw POSIX seconds a report carries. Pure; any thread.
 */
final class ReportTime {

    private static final DateTimeFormatter CLOCK = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DATED =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS").withZone(ZoneOffset.UTC);

    private ReportTime() {
    }

    /** {@code clientTime} (POSIX seconds, as a report carries it) as an instant, to the nanosecond. */
    static Instant instant(String clientTime) {
        BigDecimal t = new BigDecimal(clientTime);
        BigDecimal seconds = t.setScale(0, RoundingMode.FLOOR);
        int nanos = t.subtract(seconds).movePointRight(9).setScale(0, RoundingMode.DOWN).intValueExact();
        return Instant.ofEpochSecond(seconds.longValueExact(), nanos);
    }

    /** The clock time in UTC, {@code 11:32:07.959}; with the date when it is not the day of {@code now}. */
    static String clock(Instant at, Instant now) {
        boolean today = LocalDate.ofInstant(at, ZoneOffset.UTC).equals(LocalDate.ofInstant(now, ZoneOffset.UTC));
        return (today ? CLOCK : DATED).format(at);
    }

    /** How long before {@code now} it was, in whole units: {@code now}, {@code 4 s ago}, {@code 12 min ago}, {@code in 3 s}. */
    static String age(Instant at, Instant now) {
        long ms = now.toEpochMilli() - at.toEpochMilli();
        long s = Math.abs(ms) / 1000;
        if (s == 0) {
            return "now"; // within a second either way: the clocks of the client and the monitor differ that much
        }
        String span = s < 60 ? s + " s" : s < 3600 ? s / 60 + " min" : s < 86_400 ? s / 3600 + " h" : s / 86_400 + " d";
        return ms >= 0 ? span + " ago" : "in " + span;
    }

    /** {@code 11:32:07.959 · 4 s ago}: the grid's text for a report's time. */
    static String describe(String clientTime, Instant now) {
        Instant at = instant(clientTime);
        return clock(at, now) + " · " + age(at, now);
    }
}
