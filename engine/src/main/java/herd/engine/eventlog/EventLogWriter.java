package herd.engine.eventlog;

import herd.engine.node.EngineThreads;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes {@code <logDir>/<Server>.log} for each server opened here, from one thread that owns
 * the files. Servers put their lines into an {@link EventLogBuffer} each; every
 * {@value #FLUSH_INTERVAL_MILLIS} ms the writer takes whatever blocks they filled (and the
 * part-filled ones) and writes them, so a tail sees a line within about that long and an I/O
 * thread never has to wake the writer (the asyncio herd likewise writes its log every
 * 100 ms). Lines a buffer could not keep are counted, and the count is written to every
 * server's log as an ERROR line once the writer catches up.
 *
 * <p>Thread-safe: {@link #open} and {@link #close} from any thread; the files are touched
 * only by the writer thread.
 */
public final class EventLogWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    static final long FLUSH_INTERVAL_MILLIS = 10;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);

    private record ServerFile(String server, EventLogBuffer buffer, FileChannel channel) {}

    private final Path dir;
    private final Map<String, ServerFile> files = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;

    public EventLogWriter(Path dir) throws IOException {
        this.dir = dir;
        Files.createDirectories(dir);
        thread = EngineThreads.daemon(this::run, EngineThreads.EVENT_LOG);
        thread.start();
    }

    /**
     * Opens (creates) {@code <Server>.log} for appending now, so a bad log folder fails at
     * start, and returns the buffer whose lines go there.
     */
    public EventLogBuffer open(String server) throws IOException {
        ServerFile f = files.get(server);
        if (f != null) {
            return f.buffer();
        }
        FileChannel channel = FileChannel.open(dir.resolve(server + ".log"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        f = new ServerFile(server, new EventLogBuffer(), channel);
        files.put(server, f);
        return f.buffer();
    }

    private void run() {
        List<EventLogBuffer.Block> blocks = new ArrayList<>();
        while (!closing) {
            LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
            writeAll(blocks);
        }
        writeAll(blocks);
        closeAll();
    }

    private void writeAll(List<EventLogBuffer.Block> blocks) {
        long dropped = 0;
        for (ServerFile f : files.values()) {
            write(f, blocks);
            dropped += f.buffer().takeDropped();
        }
        if (dropped > 0) {
            String text = "event log fell behind: " + dropped + " events (all servers) were not written";
            for (ServerFile f : files.values()) {
                f.buffer().append(Instant.now(), "ERROR", null, text);
                write(f, blocks);
            }
        }
    }

    private void write(ServerFile f, List<EventLogBuffer.Block> blocks) {
        f.buffer().takeBlocks(blocks);
        try {
            for (EventLogBuffer.Block b : blocks) {
                ByteBuffer bytes = ByteBuffer.wrap(b.bytes, 0, b.length);
                while (bytes.hasRemaining()) {
                    f.channel().write(bytes);
                }
            }
        } catch (IOException ex) {
            LOG.error("cannot write event log for {} in {}: {}", f.server(), dir, ex.getMessage());
        } finally {
            blocks.forEach(f.buffer()::giveBack);
            blocks.clear();
        }
    }

    private void closeAll() {
        for (ServerFile f : files.values()) {
            try {
                f.channel().close();
            } catch (IOException ex) {
                LOG.error("cannot close event log for {}: {}", f.server(), ex.getMessage());
            }
        }
    }

    /** Writes every line appended so far, then stops the writer thread and closes the files. */
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
