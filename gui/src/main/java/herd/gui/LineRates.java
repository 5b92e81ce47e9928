package herd.gui;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Lines per second for each server, from its line counters over about the last second.
 * Fed once per pulse on the JavaFX thread; not thread-safe.
 */
final class LineRates {

    private static final long WINDOW_NANOS = 1_000_000_000L;

    private record Sample(long atNanos, long lines) {
    }

    private final Map<String, Deque<Sample>> samples = new HashMap<>();

    /** Records {@code lines} (a running total) for {@code server} at {@code nowNanos}; returns its rate. */
    double update(String server, long lines, long nowNanos) {
        Deque<Sample> s = samples.computeIfAbsent(server, k -> new ArrayDeque<>());
        s.addLast(new Sample(nowNanos, lines));
        // keep one sample at or beyond the window's start, so the span covers the whole second
        while (s.size() > 2 && nowNanos - s.peekFirst().atNanos() > WINDOW_NANOS
                && nowNanos - secondOf(s).atNanos() >= WINDOW_NANOS) {
            s.removeFirst();
        }
        Sample first = s.peekFirst();
        long span = nowNanos - first.atNanos();
        return span <= 0 ? 0 : (lines - first.lines()) * 1e9 / span;
    }

    /** Drops what is known of {@code server}: it left the herd (a server added later by that name starts afresh). */
    void forget(String server) {
        samples.remove(server);
    }

    private static Sample secondOf(Deque<Sample> s) {
        var it = s.iterator();
        it.next();
        return it.next();
    }
}
