package herd.gui;

/**
 * How often the monitor may redo its costly work (reading the servers' tables and
 * recomputing the convergence grid) while they keep changing, as in a flood: after work that
 * took {@code t}, not again for {@value #REST_FACTOR}{@code × t}. So that work takes at
 * most about a quarter of the JavaFX thread however large the tables, and clicks and the
 * graph's frames are handled in between; small tables (microseconds) are still redone on
 * every pulse. Not thread-safe (the pulse's).
 */
final class Pacer {

    static final int REST_FACTOR = 3;

    private long notBefore = Long.MIN_VALUE;

    /** Whether the work may run at {@code nowNanos}. */
    boolean due(long nowNanos) {
        return nowNanos - notBefore >= 0;
    }

    /** The work ended at {@code endNanos} and took {@code costNanos}. */
    void spent(long endNanos, long costNanos) {
        notBefore = endNanos + REST_FACTOR * costNanos;
    }
}
