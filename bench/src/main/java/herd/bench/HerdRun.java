package herd.bench;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Everything measured on one herd in one run of the comparison: a value per metric, the
 * latency histograms the charts draw, and notes for people (error samples, what was
 * skipped and why). Filled by one thread, then read.
 */
final class HerdRun {

    final String herd;
    final int run;
    final Map<Metric, Double> values = new EnumMap<>(Metric.class);
    final List<String> notes = new ArrayList<>();
    Histogram roundTrip;

    HerdRun(String herd, int run) {
        this.herd = herd;
        this.run = run;
    }

    void put(Metric m, double value) {
        values.put(m, value);
    }

    /** Adds to a count (errors, losses), starting from zero. */
    void add(Metric m, double value) {
        values.merge(m, value, Double::sum);
    }

    void note(String text) {
        notes.add(text);
    }

    /** Puts p50, p99 (and p99.9 when a metric is given) of {@code h} in microseconds. */
    void putPercentiles(Histogram h, Metric p50, Metric p99, Metric p999) {
        if (h.getTotalCount() == 0) {
            note(p50.scenario + ": no latency samples");
            return;
        }
        put(p50, micros(h, 50));
        put(p99, micros(h, 99));
        if (p999 != null) {
            put(p999, micros(h, 99.9));
        }
    }

    static double micros(Histogram h, double percentile) {
        return h.getValueAtPercentile(percentile) / 1000.0;
    }
}
