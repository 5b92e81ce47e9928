package herd.engine.node;

import herd.engine.config.Limits;
import java.time.Clock;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the parts of one server share, handed to each of them instead of the whole server:
 * its name, clock, events (its log lines, and event objects for listeners), counters,
 * limits, the herd's timer, and whether it is up. Safe from any thread. Everything is fixed
 * but the limits, which a config reload replaces ({@link #useLimits}): each part reads them
 * when it needs them, so new work follows the new ones.
 */
public final class NodeContext {

    private final String name;
    private final Clock clock;
    private final NodeEvents events;
    private final NodeCounters counters;
    private volatile Limits limits;
    private final ScheduledExecutorService timer;
    private final BooleanSupplier up;

    /** @param up true while the server listens (a taken-down server keeps its parts) */
    public NodeContext(String name, Clock clock, NodeEvents events, NodeCounters counters, Limits limits,
                       ScheduledExecutorService timer, BooleanSupplier up) {
        this.name = name;
        this.clock = clock;
        this.events = events;
        this.counters = counters;
        this.limits = Objects.requireNonNull(limits);
        this.timer = timer;
        this.up = up;
    }

    public String name() {
        return name;
    }

    public Clock clock() {
        return clock;
    }

    public NodeEvents events() {
        return events;
    }

    public NodeCounters counters() {
        return counters;
    }

    /** The limits in force now. */
    public Limits limits() {
        return limits;
    }

    /** Replaces the limits (a config reload); work already under way keeps what it read. */
    public void useLimits(Limits next) {
        limits = Objects.requireNonNull(next);
    }

    public ScheduledExecutorService timer() {
        return timer;
    }

    public BooleanSupplier up() {
        return up;
    }

    public Instant now() {
        return clock.instant();
    }

    public boolean isUp() {
        return up.getAsBoolean();
    }
}
