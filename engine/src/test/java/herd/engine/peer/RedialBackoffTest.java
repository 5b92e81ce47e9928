package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The redial schedule, without sockets or clocks: exact bounds for every failure count. */
class RedialBackoffTest {

    /** The smallest and largest wait drawn over many random draws. */
    private static long[] range(int failures) {
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = Long.MIN_VALUE;
        for (int i = 0; i < 20_000; i++) {
            long d = RedialBackoff.delayMillis(failures, random);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        return new long[] {min, max};
    }

    @Test
    void firstRetryAfterADropComesWithin50To100Ms() {
        long[] r = range(0);
        assertEquals(50, r[0]);
        assertEquals(100, r[1]);
    }

    @Test
    void eachFailureDoublesTheWait() {
        assertEquals(100, range(1)[0]);
        assertEquals(200, range(1)[1]);
        assertEquals(400, range(3)[0]);
        assertEquals(800, range(3)[1]);
    }

    @Test
    void theWaitIsCappedAtTwoSecondsHoweverManyFailures() {
        for (int failures : new int[] {5, 6, 31, 64, Integer.MAX_VALUE}) {
            long[] r = range(failures);
            assertEquals(1000, r[0], "failures " + failures);
            assertEquals(2000, r[1], "failures " + failures);
        }
    }

    @Test
    void aNegativeCountIsTreatedAsNoFailure() {
        long[] r = range(-1);
        assertTrue(r[0] >= 50 && r[1] <= 100);
    }
}
