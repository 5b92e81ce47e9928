package herd.engine.peer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A timer that runs nothing by itself: a socket-free test sees what the engine scheduled,
 * with its delay, and runs it when it chooses. Only {@link #schedule(Runnable, long, TimeUnit)}
 * is supported (all the peer package uses); no thread is ever started. Test thread only.
 */
final class ManualTimer extends ScheduledThreadPoolExecutor {

    /** One scheduled task; cancelling it keeps it from running. */
    static final class Task implements ScheduledFuture<Object> {
        final Runnable run;
        final long delayMillis;
        private boolean cancelled;
        private boolean done;

        Task(Runnable run, long delayMillis) {
            this.run = run;
            this.delayMillis = delayMillis;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            return unit.convert(delayMillis, TimeUnit.MILLISECONDS);
        }

        @Override
        public int compareTo(Delayed o) {
            return Long.compare(delayMillis, o.getDelay(TimeUnit.MILLISECONDS));
        }

        @Override
        public boolean cancel(boolean mayInterruptIfRunning) {
            boolean was = !cancelled && !done;
            cancelled = true;
            return was;
        }

        @Override
        public boolean isCancelled() {
            return cancelled;
        }

        @Override
        public boolean isDone() {
            return done || cancelled;
        }

        @Override
        public Object get() {
            return null;
        }

        @Override
        public Object get(long timeout, TimeUnit unit) {
            return null;
        }
    }

    private final List<Task> tasks = new ArrayList<>();

    ManualTimer() {
        super(0);
    }

    @Override
    public ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        Task t = new Task(command, unit.toMillis(delay));
        tasks.add(t);
        return t;
    }

    /** Tasks scheduled and neither run nor cancelled, oldest first. */
    List<Task> pending() {
        return tasks.stream().filter(t -> !t.isDone()).toList();
    }

    /** Runs the oldest pending task, as if its delay had passed. */
    void runNext() {
        Task t = pending().get(0);
        t.done = true;
        t.run.run();
    }
}
