package herd.gui;

import java.util.ArrayList;
import java.util.List;

/**
 * Propagation times per second, for the strip chart: every learn that is not its report's
 * first adds its time after the first (microseconds) to the second it happened in. Kept for
 * the last {@value #SECONDS} seconds, each second as a histogram of 64 buckets half a power of
 * two wide (so a percentile is exact to within 19%), with its exact maximum and count.
 *
 * <p>Thread-safety: {@link #add} runs on the I/O threads and holds a lock for a few array
 * writes; {@link #lastSeconds} (the JavaFX thread) holds it while it copies out at most
 * {@value #SECONDS} summaries.
 */
final class PropagationSeries {

    static final int SECONDS = 300;
    private static final int BUCKETS = 64;

    /**
     * One second's figures (microseconds).
     *
     * @param second the epoch second
     * @param count  how many learns
     */
    record Second(long second, long count, long p50, long p99, long max) {
    }

    private final long[] stamp = new long[SECONDS];
    private final long[][] histogram = new long[SECONDS][BUCKETS];
    private final long[] max = new long[SECONDS];
    private final long[] count = new long[SECONDS];

    PropagationSeries() {
        java.util.Arrays.fill(stamp, Long.MIN_VALUE);
    }

    /** A learn at {@code atMicros}, {@code afterFirstMicros} after its report's first. */
    void add(long atMicros, long afterFirstMicros) {
        long second = Math.floorDiv(atMicros, 1_000_000L);
        int slot = (int) Math.floorMod(second, SECONDS);
        int bucket = bucket(afterFirstMicros);
        synchronized (this) {
            if (stamp[slot] != second) {
                if (stamp[slot] > second) {
                    return; // older than the window
                }
                stamp[slot] = second;
                java.util.Arrays.fill(histogram[slot], 0);
                max[slot] = 0;
                count[slot] = 0;
            }
            histogram[slot][bucket]++;
            max[slot] = Math.max(max[slot], afterFirstMicros);
            count[slot]++;
        }
    }

    /** The seconds from {@code nowSecond - seconds + 1} to {@code nowSecond} that had learns, oldest first. */
    synchronized List<Second> lastSeconds(long nowSecond, int seconds) {
        List<Second> out = new ArrayList<>();
        for (long s = nowSecond - Math.min(seconds, SECONDS) + 1; s <= nowSecond; s++) {
            int slot = (int) Math.floorMod(s, SECONDS);
            if (stamp[slot] == s && count[slot] > 0) {
                out.add(new Second(s, count[slot], percentile(slot, 0.50), percentile(slot, 0.99), max[slot]));
            }
        }
        return out;
    }

    /** The upper bound of the bucket holding the {@code q} quantile, never above the second's maximum. */
    private long percentile(int slot, double q) {
        long rank = (long) Math.ceil(q * count[slot]);
        long seen = 0;
        for (int b = 0; b < BUCKETS; b++) {
            seen += histogram[slot][b];
            if (seen >= rank) {
                return Math.min(upperBound(b), max[slot]);
            }
        }
        return max[slot];
    }

    /** Bucket b holds values up to 2^(b/2) (b even) or 2^(b/2) * 1.414 (b odd), microseconds. */
    static int bucket(long micros) {
        if (micros <= 1) {
            return 0;
        }
        double halfPowers = 2 * Math.log(micros) / Math.log(2);
        return (int) Math.min(BUCKETS - 1, Math.ceil(halfPowers - 1e-9));
    }

    static long upperBound(int bucket) {
        return (long) Math.floor(Math.pow(2, bucket / 2.0) + 1e-9);
    }
}
