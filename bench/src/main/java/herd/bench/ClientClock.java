package herd.bench;

import java.time.Instant;

/**
 * A benchmark client's idea of "now" for its IAMATs: the wall clock in POSIX seconds with
 * nine fraction digits, made strictly increasing so that every report is newer than the
 * last one and is therefore stored and flooded through the whole herd. Not thread-safe:
 * one per client id.
 */
final class ClientClock {

    private long last;

    /** The next time, as a plain decimal like {@code 1764000000.123456789}. */
    String next() {
        Instant now = Instant.now();
        long nanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
        if (nanos <= last) {
            nanos = last + 1;
        }
        last = nanos;
        return format(nanos);
    }

    static String format(long epochNanos) {
        String fraction = Long.toString(1_000_000_000L + epochNanos % 1_000_000_000L).substring(1);
        return (epochNanos / 1_000_000_000L) + "." + fraction;
    }
}
