package herd.engine.node;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.config.Limits;
import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.BooleanSupplier;

/**
 * What the parts of one server share, handed to each of them instead of the whole server:
 * its name, clock, where its events go, its counters, its limits, the herd's timer, and
 * whether it is up. Immutable; safe from any thread.
 *
 * @param up true while the server listens (a taken-down server keeps its parts)
 */
public record NodeContext(String name, Clock clock, HerdListener events, NodeCounters counters, Limits limits,
                          ScheduledExecutorService timer, BooleanSupplier up) {

    public Instant now() {
        return clock.instant();
    }

    public void emit(HerdEvent event) {
        events.onEvent(event);
    }

    public boolean isUp() {
        return up.getAsBoolean();
    }
}
