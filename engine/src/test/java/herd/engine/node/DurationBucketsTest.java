package herd.engine.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.DurationHistogram;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The engine's histogram without a server: buckets, bounds, sum, and counting from many threads. */
class DurationBucketsTest {

    private static List<Long> counts(int... nonZero) {
        List<Long> out = new ArrayList<>(Collections.nCopies(DurationBuckets.BOUNDS_NANOS.length + 1, 0L));
        for (int i = 0; i < nonZero.length; i += 2) {
            out.set(nonZero[i], (long) nonZero[i + 1]);
        }
        return out;
    }

    @Test
    void aDurationCountsInTheFirstBucketWhoseUpperBoundItDoesNotExceed() {
        DurationBuckets b = new DurationBuckets();
        b.observe(1);                  // 1 ns: <= 100 us
        b.observe(100_000);            // exactly 100 us: bounds are inclusive, as Prometheus's "le"
        b.observe(100_001);            // just over: <= 250 us
        b.observe(3_000_000);          // 3 ms: <= 5 ms
        b.observe(30_000_000_000L);    // 30 s: the last bound
        b.observe(31_000_000_000L);    // above every bound: the last bucket
        DurationHistogram h = b.snapshot();
        assertEquals(counts(0, 2, 1, 1, 5, 1, 16, 1, 17, 1), h.bucketCounts());
        assertEquals(6, h.count());
        assertEquals((1 + 100_000 + 100_001 + 3_000_000 + 30_000_000_000L + 31_000_000_000L) / 1e9, h.sumSeconds(), 1e-12);
    }

    @Test
    void boundsAreInSecondsAscendingFromATenthOfAMillisecondToThirtySeconds() {
        List<Double> bounds = new DurationBuckets().snapshot().upperBoundsSeconds();
        assertEquals(List.of(0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
                5.0, 10.0, 30.0), bounds);
    }

    @Test
    void aNegativeDurationCountsAsZero() {
        DurationBuckets b = new DurationBuckets();
        b.observe(-5_000_000_000L); // a neighbour's clock five seconds ahead of this one's
        DurationHistogram h = b.snapshot();
        assertEquals(counts(0, 1), h.bucketCounts());
        assertEquals(0.0, h.sumSeconds());
    }

    @Test
    void nothingCountedIsAnEmptyHistogram() {
        DurationHistogram h = new DurationBuckets().snapshot();
        assertEquals(counts(), h.bucketCounts());
        assertEquals(0, h.count());
        assertEquals(0.0, h.sumSeconds());
    }

    @Test
    void manyThreadsCountingAtOnceLoseNothing() throws Exception {
        DurationBuckets b = new DurationBuckets();
        int threads = 4;
        int each = 50_000;
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> started = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            long nanos = 1_000_000L * (t + 1); // 1, 2, 3, 4 ms
            Thread th = new Thread(() -> {
                try {
                    go.await();
                } catch (InterruptedException e) {
                    return;
                }
                for (int i = 0; i < each; i++) {
                    b.observe(nanos);
                }
            });
            th.start();
            started.add(th);
        }
        go.countDown();
        for (Thread th : started) {
            th.join(TimeUnit.SECONDS.toMillis(30));
        }
        DurationHistogram h = b.snapshot();
        assertEquals(counts(3, each, 4, each, 5, 2 * each), h.bucketCounts()); // 1 ms; 2 ms; 3 and 4 ms
        assertEquals((long) threads * each, h.count());
        assertEquals(each * (1 + 2 + 3 + 4) / 1e3, h.sumSeconds(), 1e-6);
    }
}
