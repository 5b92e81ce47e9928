package herd.gui;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
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
    private long ticks;
    private long slowest;
    private long slow;
    private long cpu;

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
        long start = CPU.getCurrentThreadCpuTime();
        tick.accept(now);
        long took = CPU.getCurrentThreadCpuTime() - start;
        ticks++;
        cpu += took;
        slowest = Math.max(slowest, took);
        if (took > SLOW_NANOS) {
            slow++;
        }
    }

    /** A tick that takes this much of the JavaFX thread's CPU time holds up clicks noticeably: {@value} ns. */
    static final long SLOW_NANOS = 50_000_000L;
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();

    /**
     * Ticks run so far, how many took more than {@link #SLOW_NANOS} of CPU time, the most CPU
     * time one took since the last call, and their CPU time in all (ns); for the bench. A tick's CPU time, unlike its
     * wall time, does not depend on what else the machine runs.
     */
    long[] times() {
        long[] out = {ticks, slow, slowest, cpu};
        slowest = 0;
        return out;
    }
}
