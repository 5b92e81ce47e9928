package herd.gui;

/**
 * How often the monitor may redo its costly work (reading the servers' tables and
 * recomputing the convergence grid) while they keep changing, as in a flood: after work that
 * took {@code t}, not again for {@value #REST_FACTOR}{@code × t}. So that work ({@link
 * GridWorker}) takes at most about a quarter of a core however large the tables; small tables
 * (microseconds) are still redone on every pulse. Not thread-safe (the pulse's).
 */
final class Pacer {

    static final int REST_FACTOR = 3;

    private long notBefore = Long.MIN_VALUE;

    /** Whether the work may run at {@code nowNanos}. */
    boolean due(long nowNanos) {
        // nanoTime has any origin: nowNanos - MIN_VALUE overflows, so "never run" is its own case
        return notBefore == Long.MIN_VALUE || nowNanos - notBefore >= 0;
    }

    /** The work ended at {@code endNanos} and took {@code costNanos}. */
    void spent(long endNanos, long costNanos) {
        notBefore = endNanos + REST_FACTOR * costNanos;
    }
}
