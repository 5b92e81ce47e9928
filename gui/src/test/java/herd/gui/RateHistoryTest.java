package herd.gui;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The sparklines' figures, on a clock the test drives: pulses every 100 ms, as a busy window's. */
class RateHistoryTest {

    private static final long MS = 1_000_000L;
    private static final long START = 5_000 * MS; // a whole second, as pulse times need not be

    /** Feeds {@code perPulse} on every 100 ms pulse from {@code from} for {@code seconds}; returns the time after. */
    private static long feed(RateHistory h, long from, int seconds, long perPulse) {
        long t = from;
        for (int i = 0; i < seconds * 10; i++, t += 100 * MS) {
            h.add(perPulse, t);
        }
        return t;
    }

    @Test
    void aSteadyRateShowsAsThatManyPerSecondOncePerSecond() {
        RateHistory h = new RateHistory();
        long t = feed(h, START, 10, 250); // 2,500 a second for ten seconds
        h.add(0, t); // the tenth second ends
        double[] v = h.values();
        double[] expected = new double[RateHistory.SECONDS];
        Arrays.fill(expected, RateHistory.SECONDS - 10, RateHistory.SECONDS, 2500);
        assertArrayEquals(expected, v);
        assertEquals(2500, h.last());
        assertEquals(2500, h.peak());

        t = feed(h, t, 5, 40); // then 400 a second
        h.add(0, t);
        assertEquals(2500, h.values()[RateHistory.SECONDS - 6]);
        assertEquals(400, h.values()[RateHistory.SECONDS - 1]);
        assertEquals(400, h.values()[RateHistory.SECONDS - 5]);
    }

    @Test
    void secondsWithoutAPulseCountAsNothingAndAMinuteLaterTheHistoryIsEmpty() {
        RateHistory h = new RateHistory();
        long t = feed(h, START, 2, 10);
        assertTrue(h.add(0, t + 3_000 * MS), "three seconds on, the history moved");
        double[] v = h.values();
        assertEquals(100, v[RateHistory.SECONDS - 5]); // the second second, then three seconds with no pulse
        assertEquals(0, v[RateHistory.SECONDS - 3]);
        assertEquals(0, v[RateHistory.SECONDS - 1]);
        assertTrue(h.add(0, t + 120_000 * MS));
        assertArrayEquals(new double[RateHistory.SECONDS], h.values());
    }

    @Test
    void anIdleHistoryNeverMoves() {
        RateHistory h = new RateHistory();
        for (long t = START; t < START + 10_000 * MS; t += 33 * MS) {
            assertFalse(h.add(0, t), "moved at " + t);
        }
    }
}
