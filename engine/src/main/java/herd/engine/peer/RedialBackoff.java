package herd.engine.peer;

import java.util.random.RandomGenerator;

/**
 * How long a dialling link waits before its next attempt: capped exponential backoff with
 * jitter. The first retry after a link drops comes 50-100 ms later (a neighbour restart heals
 * at once); each failed attempt doubles the base, up to 1-2 s. Pure: no clock, no threads.
 */
public final class RedialBackoff {

    /** The base delay before the first retry; the wait is drawn from [base/2, base]. */
    static final long FIRST_RETRY_MS = 100;
    /** The largest base delay: the wait is never longer than this. */
    static final long MAX_RETRY_MS = 2000;

    private RedialBackoff() {
    }

    /** The wait before the next attempt after {@code failures} failed attempts in a row. */
    static long delayMillis(int failures, RandomGenerator random) {
        long base = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(Math.max(failures, 0), 5));
        return base / 2 + random.nextLong(base / 2 + 1);
    }
}
