package herd.engine;

import java.util.List;

/**
 * A snapshot of durations counted in fixed buckets (a Prometheus classic histogram's
 * shape, not cumulative): {@code bucketCounts.get(i)} durations were above bound {@code i - 1}
 * and at most bound {@code i}, and the last count is of those above the last bound.
 *
 * @param upperBoundsSeconds the buckets' upper bounds, inclusive, in seconds, ascending
 * @param bucketCounts       one count per bound, then one for everything above the last
 * @param count              every duration counted: the sum of {@code bucketCounts}
 * @param sumSeconds         the durations added up, in seconds
 */
public record DurationHistogram(List<Double> upperBoundsSeconds, List<Long> bucketCounts, long count,
                                double sumSeconds) {

    public DurationHistogram {
        upperBoundsSeconds = List.copyOf(upperBoundsSeconds);
        bucketCounts = List.copyOf(bucketCounts);
        if (bucketCounts.size() != upperBoundsSeconds.size() + 1) {
            throw new IllegalArgumentException("need " + (upperBoundsSeconds.size() + 1) + " bucket counts, got "
                    + bucketCounts.size());
        }
    }
}
