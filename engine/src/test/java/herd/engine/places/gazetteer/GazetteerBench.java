package herd.engine.places.gazetteer;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Not a test: measures the gazetteer's load time and the latency of WHATSAT-sized queries
 * (50 km, 20 results) around real places, where the data is densest and queries are
 * slowest. Run after {@code mvn test-compile}:
 * <pre>
 *   java -cp target/classes:target/test-classes herd.engine.places.GazetteerBench [queries]
 * </pre>
 * Single-threaded; latencies are per query, wall clock, in microseconds.
 */
public final class GazetteerBench {

    private static final double RADIUS_METERS = 50_000;
    private static final int LIMIT = 20;

    /** Keeps the JIT from discarding queries whose results nobody reads. */
    private static volatile long sink;

    private GazetteerBench() {
    }

    public static void main(String[] args) throws IOException {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;

        long t0 = System.nanoTime();
        Gazetteer gazetteer = Gazetteer.shared();
        long coldNanos = System.nanoTime() - t0;
        System.out.printf("cold load (first Gazetteer.shared() in this JVM): %.1f ms, %d places%n",
                coldNanos / 1e6, gazetteer.size());

        // Land-ish points: a random place, moved up to ~30 km or so, so that queries land
        // where places are (and dense regions get their share of queries).
        List<Place> all = gazetteer.all();
        Random random = new Random(42);
        double[] lat = new double[queries];
        double[] lng = new double[queries];
        for (int i = 0; i < queries; i++) {
            Place p = all.get(random.nextInt(all.size()));
            lat[i] = clamp(p.lat() + random.nextGaussian() * 0.2, -90, 90);
            lng[i] = clamp(p.lng() + random.nextGaussian() * 0.2, -180, 180);
        }

        for (int round = 0; round < 3; round++) { // warm-up: let the JIT compile the query path
            run(gazetteer, lat, lng, new long[queries]);
        }
        long[] nanos = new long[queries];
        long results = run(gazetteer, lat, lng, nanos);
        Arrays.sort(nanos);
        System.out.printf("%d queries of %.0f km, limit %d: mean %.1f results%n",
                queries, RADIUS_METERS / 1000, LIMIT, (double) results / queries);
        System.out.printf("latency us: p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                percentile(nanos, 50) / 1e3, percentile(nanos, 99) / 1e3,
                percentile(nanos, 99.9) / 1e3, nanos[nanos.length - 1] / 1e3);

        long best = Long.MAX_VALUE;
        for (int i = 0; i < 5; i++) { // decoding alone, once warm, without the JVM's start-up
            long s = System.nanoTime();
            try (InputStream in = Gazetteer.class.getResourceAsStream(Gazetteer.RESOURCE)) {
                sink += Gazetteer.read(in).size();
            }
            best = Math.min(best, System.nanoTime() - s);
        }
        System.out.printf("warm reload (best of 5): %.1f ms%n", best / 1e6);
    }

    private static long run(Gazetteer gazetteer, double[] lat, double[] lng, long[] nanos) {
        long results = 0;
        for (int i = 0; i < lat.length; i++) {
            long s = System.nanoTime();
            List<Place> found = gazetteer.nearby(lat[i], lng[i], RADIUS_METERS, LIMIT);
            nanos[i] = System.nanoTime() - s;
            results += found.size();
        }
        sink += results;
        return results;
    }

    private static long percentile(long[] sorted, double p) {
        int at = (int) Math.ceil(p / 100 * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, at))];
    }

    private static double clamp(double v, double min, double max) {
        return Math.max(min, Math.min(max, v));
    }
}
