package herd.engine.eventlog;

import herd.engine.EventLogFormat;
import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.node.EngineThreads;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends every event to {@code <logDir>/<Server>.log}. Listeners run on I/O threads, so
 * events go through a bounded queue to one writer thread that owns the files. The writer
 * drains the queue every {@value #FLUSH_INTERVAL_MILLIS} ms and flushes the files whenever it
 * runs dry, so a tail sees lines within about that long, and an I/O thread never has to wake
 * the writer (the asyncio herd likewise writes its log every 100 ms). If the
 * queue is ever full the event is counted, not waited for, and the count is written to the
 * log as an ERROR line once the writer catches up.
 */
public final class EventLogWriter implements HerdListener, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    private static final int QUEUE_CAPACITY = 1 << 18;
    static final long FLUSH_INTERVAL_MILLIS = 10;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);

    private final Path dir;
    private final BlockingQueue<HerdEvent> queue = new ArrayBlockingQueue<>(QUEUE_CAPACITY);
    private final AtomicLong dropped = new AtomicLong();
    private final Map<String, BufferedWriter> files = new HashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    public EventLogWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        thread = EngineThreads.daemon(this::run, EngineThreads.EVENT_LOG);
        thread.start();
    }

    /** Opens (creates) {@code <Server>.log} now, so a bad log folder fails at start. */
    public void open(String server) throws IOException {
        Path file = dir.resolve(server + ".log");
        Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND)
                .close();
    }

    @Override
    public void onEvent(HerdEvent event) {
        if (!queue.offer(event)) {
            dropped.incrementAndGet();
        }
    }

    private void run() {
        List<HerdEvent> batch = new ArrayList<>(1024);
        while (!closing || !queue.isEmpty()) {
            if (queue.drainTo(batch, 4096) == 0) {
                // Not queue.poll(timeout): a waiting consumer makes every offer wake it with a
                // system call, on the I/O thread, for each event. Parked, offers cost nothing.
                LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
                continue;
            }
            for (HerdEvent e : batch) {
                write(e);
            }
            batch.clear();
            reportDrops();
            if (queue.isEmpty()) {
                flushAll();
            }
        }
        flushAll();
        closeAll();
    }

    private void reportDrops() {
        long n = dropped.getAndSet(0);
        if (n > 0) {
            for (String server : files.keySet()) {
                write(new HerdEvent.Notice(Instant.now(), server, true,
                        "event log fell behind: " + n + " events (all servers) were not written"));
            }
        }
    }

    private void write(HerdEvent e) {
        try {
            BufferedWriter out = files.get(e.server());
            if (out == null) {
                out = Files.newBufferedWriter(dir.resolve(e.server() + ".log"), StandardCharsets.UTF_8,
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
                files.put(e.server(), out);
            }
            out.write(EventLogFormat.line(e));
            out.write('\n');
        } catch (IOException ex) {
            LOG.error("cannot write event log for {} in {}: {}", e.server(), dir, ex.getMessage());
        }
    }

    private void flushAll() {
        for (Map.Entry<String, BufferedWriter> f : files.entrySet()) {
            try {
                f.getValue().flush();
            } catch (IOException ex) {
                LOG.error("cannot flush event log for {}: {}", f.getKey(), ex.getMessage());
            }
        }
    }

    private void closeAll() {
        for (BufferedWriter w : files.values()) {
            try {
                w.close();
            } catch (IOException ex) {
                LOG.error("cannot close event log: {}", ex.getMessage());
            }
        }
        files.clear();
    }

    /** Writes everything queued so far, then stops the writer thread. */
    @Override
    public void close() {
        closing = true;
        LockSupport.unpark(thread);
        try {
            thread.join(10_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
