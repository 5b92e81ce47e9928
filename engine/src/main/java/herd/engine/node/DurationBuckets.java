package herd.engine.node;

import herd.engine.DurationHistogram;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * Durations counted in fixed buckets, for a histogram read on a scrape: {@link #observe}
 * costs a few comparisons and two {@link LongAdder} increments, and allocates nothing. The
 * bounds are log-spaced, 1, 2.5 and 5 per decade from 100 µs to 10 s, and 30 s: the herd's
 * times run from a tenth of a millisecond (an offline WHATSAT, an update one hop away) to
 * the Places timeout (10 s by default). Thread-safe: observed from any I/O or HTTP thread.
 */
public final class DurationBuckets {

    /** Upper bounds, inclusive, in nanoseconds; a last bucket counts everything above. */
    static final long[] BOUNDS_NANOS = {
        100_000L, 250_000L, 500_000L,
        1_000_000L, 2_500_000L, 5_000_000L,
        10_000_000L, 25_000_000L, 50_000_000L,
        100_000_000L, 250_000_000L, 500_000_000L,
        1_000_000_000L, 2_500_000_000L, 5_000_000_000L,
        10_000_000_000L, 30_000_000_000L,
    };

    private static final List<Double> BOUNDS_SECONDS = boundsInSeconds();

    private final LongAdder[] buckets = new LongAdder[BOUNDS_NANOS.length + 1];
    private final LongAdder sumNanos = new LongAdder();

    public DurationBuckets() {
        for (int i = 0; i < buckets.length; i++) {
            buckets[i] = new LongAdder();
        }
    }

    /** Counts one duration of {@code nanos}; a negative one (clocks of two machines apart) counts as 0. */
    public void observe(long nanos) {
        long d = Math.max(0, nanos);
        int i = 0;
        while (i < BOUNDS_NANOS.length && d > BOUNDS_NANOS[i]) {
            i++;
        }
        buckets[i].increment();
        sumNanos.add(d);
    }

    /** What was counted so far; the count is the buckets' sum, so the two always agree. */
    public DurationHistogram snapshot() {
        List<Long> counts = new ArrayList<>(buckets.length);
        long count = 0;
        for (LongAdder b : buckets) {
            long n = b.sum();
            counts.add(n);
            count += n;
        }
        return new DurationHistogram(BOUNDS_SECONDS, counts, count, sumNanos.sum() / 1e9);
    }

    private static List<Double> boundsInSeconds() {
        List<Double> out = new ArrayList<>(BOUNDS_NANOS.length);
        for (long b : BOUNDS_NANOS) {
            out.add(b / 1e9);
        }
        return List.copyOf(out);
    }
}
