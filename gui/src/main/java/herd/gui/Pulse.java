package herd.gui;

import java.util.function.LongConsumer;
import javafx.animation.AnimationTimer;

/**
 * The monitor's heartbeat: runs its tick on the JavaFX thread at most about
 * {@value #MAX_PER_SECOND} times a second (every other frame at the usual 60 frames a
 * second). Everything the window shows is updated in these ticks, in one batch each, never
 * once per herd event.
 */
final class Pulse extends AnimationTimer {

    static final int MAX_PER_SECOND = 30;
    // a little under 1/30 s, so that every second 60 Hz frame qualifies despite frame jitter
    private static final long MIN_GAP_NANOS = 30_000_000L;

    private final LongConsumer tick;
    private long last;

    /** @param tick receives the frame time in nanoseconds */
    Pulse(LongConsumer tick) {
        this.tick = tick;
    }

    @Override
    public void handle(long now) {
        if (last != 0 && now - last < MIN_GAP_NANOS) {
            return;
        }
        last = now;
        tick.accept(now);
    }
}
