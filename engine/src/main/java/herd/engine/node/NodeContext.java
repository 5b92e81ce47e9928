package herd.engine.node;

import herd.engine.config.Limits;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the parts of one server share, handed to each of them instead of the whole server:
 * its name, clock, events (its log lines, and event objects for listeners), counters,
 * limits, the herd's timer, and whether it is up. Immutable; safe from any thread.
 *
 * @param up true while the server listens (a taken-down server keeps its parts)
 */
public record NodeContext(String name, Clock clock, NodeEvents events, NodeCounters counters, Limits limits,
                          ScheduledExecutorService timer, BooleanSupplier up) {

    public Instant now() {
        return clock.instant();
    }

    public boolean isUp() {
        return up.getAsBoolean();
    }
}
