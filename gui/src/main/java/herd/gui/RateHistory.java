package herd.gui;

import java.util.Arrays;

/**
 * The last {@value #SECONDS} seconds of one rate (a server's lines, a link's messages): how
 * many were counted in each whole second, oldest first. Fed on every pulse with what was
 * counted since the last; a second is added to the history when a pulse falls in a later
 * one, and seconds no pulse fell in (a busy JavaFX thread) count as nothing. Not thread-safe
 * (the pulse's).
 */
final class RateHistory {

    static final int SECONDS = 60;

    private final double[] values = new double[SECONDS]; // oldest first; the last finished second last
    private long second = Long.MIN_VALUE; // the second now being counted
    private long counting;

    /**
     * Counts {@code n} at {@code nowNanos} (a pulse's time); true when the history moved on,
     * that is a second ended and {@link #values()} changed.
     */
    boolean add(long n, long nowNanos) {
        long now = Math.floorDiv(nowNanos, 1_000_000_000L);
        if (second == Long.MIN_VALUE) {
            second = now;
        }
        boolean moved = false;
        if (now > second) {
            long ended = Math.min(now - second, SECONDS);
            double[] before = values.clone();
            shift((int) ended);
            values[SECONDS - (int) ended] = now - second > SECONDS ? 0 : counting; // older than the history: gone
            counting = 0;
            second = now;
            moved = !Arrays.equals(before, values);
        }
        counting += n;
        return moved;
    }

    /** Moves the history {@code by} seconds to the left, the new seconds at nothing. */
    private void shift(int by) {
        System.arraycopy(values, by, values, 0, SECONDS - by);
        Arrays.fill(values, SECONDS - by, SECONDS, 0);
    }

    /** Per second of the last {@value #SECONDS}, oldest first (a copy). */
    double[] values() {
        return values.clone();
    }

    /** The last whole second's count. */
    double last() {
        return values[SECONDS - 1];
    }

    /** The most counted in one second of the history. */
    double peak() {
        return Arrays.stream(values).max().orElse(0);
    }
}
