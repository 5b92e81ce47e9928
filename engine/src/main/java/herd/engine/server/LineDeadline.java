package herd.engine.server;

import herd.engine.node.NodeContext;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a client connection that leaves a line unfinished for {@code limits.lineTimeoutSeconds}
 * ({@code CLOSE ... line not completed within N s}), so that a client trickling a byte now and
 * then (slowloris) cannot hold a client slot, which the idle timeout alone would let it do.
 * A connection costs nothing here while its reads end on a line's end: only one whose read
 * stops inside a line is noted, with the time that line began, and a sweep on the herd's
 * timer, a few times per deadline, closes those past it. Peer links are not subject to it:
 * a peer that stops mid-line is silent, and the silence rule drops it in 5 s.
 *
 * <p>{@link #afterRead} and {@link #forget} run on the connection's I/O thread, the sweep
 * on the timer; the start times are volatile and the set concurrent.
 */
final class LineDeadline {

    private static final Logger LOG = LoggerFactory.getLogger(LineDeadline.class);
    static final long NONE = Long.MIN_VALUE;

    private final long limitNanos;
    private final String reason;
    private final Set<ClientSession> midLine = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> sweeper;

    LineDeadline(NodeContext node) {
        int seconds = node.limits().lineTimeoutSeconds();
        this.limitNanos = TimeUnit.SECONDS.toNanos(seconds);
        this.reason = "line not completed within " + seconds + " s";
        long periodMs = Math.min(1000, seconds * 250L); // closed at most a quarter deadline late, a second at most
        this.sweeper = node.timer().scheduleAtFixedRate(this::sweep, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * After a read of client {@code s}: {@code inLine} when the input now ends inside a line,
     * {@code completedLine} when the read finished at least one line (the unfinished one is new).
     */
    void afterRead(ClientSession s, boolean inLine, boolean completedLine) {
        if (inLine) {
            if (s.lineStartedNanos == NONE || completedLine) {
                s.lineStartedNanos = System.nanoTime();
                midLine.add(s);
            }
        } else if (s.lineStartedNanos != NONE) {
            forget(s);
        }
    }

    /** {@code s} has no line pending any more (closed, half-closed, or now a peer). */
    void forget(ClientSession s) {
        s.lineStartedNanos = NONE;
        midLine.remove(s);
    }

    private void sweep() {
        if (midLine.isEmpty()) {
            return;
        }
        long now = System.nanoTime();
        for (ClientSession s : midLine) {
            long started = s.lineStartedNanos;
            if (started != NONE && now - started >= limitNanos) {
                midLine.remove(s);
                try {
                    s.connection.close(reason);
                } catch (RuntimeException e) { // a sweep that threw would never run again
                    LOG.warn("could not close {} past its line deadline", s.connection.party(), e);
                }
            }
        }
    }

    /** Stops the sweep (the server is disposed). */
    void stop() {
        sweeper.cancel(false);
    }
}
