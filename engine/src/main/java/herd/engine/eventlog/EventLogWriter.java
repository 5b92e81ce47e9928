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
 * <p>A file that cannot be written (a full or failing disk) loses the lines of every write
 * that fails; they are counted, never silently: stderr gets one line at the first failure
 * and then at most one a minute with the count so far, the log gets an ERROR line with the
 * exact count once it can be written again, and stderr the total at close if it never can.
 *
 * <p>Thread-safe: {@link #open} and {@link #close} from any thread; the files are touched
 * only by the writer thread.
 */
public final class EventLogWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    static final long FLUSH_INTERVAL_MILLIS = 10;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);

    static final long TROUBLE_REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);

    /** A server's file; {@code channel} is replaced only by the writer thread ({@link #reopen}). */
    private static final class ServerFile {
        private final String server;
        private final EventLogBuffer buffer;
        private final Trouble trouble = new Trouble();
        private FileChannel channel;

        ServerFile(String server, EventLogBuffer buffer, FileChannel channel) {
            this.server = server;
            this.buffer = buffer;
            this.channel = channel;
        }

        String server() {
            return server;
        }

        EventLogBuffer buffer() {
            return buffer;
        }

        FileChannel channel() {
            return channel;
        }

        Trouble trouble() {
            return trouble;
        }
    }

    /** A file's failed writes since it last wrote: touched by the writer thread only. */
    private static final class Trouble {
        long lostLines;
        long lostBytes;
        long sinceNanos;
        long reportedNanos;
        volatile long totalLostLines; // read by tests
    }

    private final Path dir;
    private final Map<String, ServerFile> files = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean reopenRequested;

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
        FileChannel channel = openFile(server);
        f = new ServerFile(server, new EventLogBuffer(), channel);
        files.put(server, f);
        return f.buffer();
    }

    private FileChannel openFile(String server) throws IOException {
        return FileChannel.open(dir.resolve(server + ".log"), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    /**
     * Closes every file and opens {@code <logDir>/<Server>.log} again, before the next
     * lines are written (within about {@value #FLUSH_INTERVAL_MILLIS} ms): what a log rotator
     * asks for after it moved the files away (SIGHUP, the logrotate convention), and the way
     * back after a file was deleted. No line is lost: lines written before go to the old
     * file, lines after to the new one. Returns at once; any thread.
     */
    public void reopen() {
        reopenRequested = true;
        LockSupport.unpark(thread);
    }

    private void reopenAll() {
        reopenRequested = false;
        for (ServerFile f : files.values()) {
            try {
                FileChannel fresh = openFile(f.server());
                FileChannel old = f.channel;
                f.channel = fresh;
                old.close();
            } catch (IOException ex) {
                // the old file stays in use; its lines still go somewhere, and a later reopen may work
                LOG.error("cannot reopen event log for {} in {}: {}", f.server(), dir, ex.getMessage());
            }
        }
    }

    private void run() {
        List<EventLogBuffer.Block> blocks = new ArrayList<>();
        while (!closing) {
            LockSupport.parkNanos(this, FLUSH_INTERVAL_NANOS);
            if (reopenRequested) {
                writeAll(blocks); // what came before the request goes to the old file
                reopenAll();
            }
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
        if (blocks.isEmpty()) {
            return;
        }
        int i = 0;
        ByteBuffer bytes = null;
        try {
            for (; i < blocks.size(); i++) {
                EventLogBuffer.Block b = blocks.get(i);
                bytes = ByteBuffer.wrap(b.bytes, 0, b.length);
                while (bytes.hasRemaining()) {
                    f.channel().write(bytes);
                }
            }
            if (f.trouble().lostLines > 0) {
                recovered(f);
            }
        } catch (IOException ex) {
            long lines = newlines(bytes.array(), bytes.position(), bytes.limit());
            long lost = bytes.remaining();
            for (int k = i + 1; k < blocks.size(); k++) {
                EventLogBuffer.Block b = blocks.get(k);
                lines += newlines(b.bytes, 0, b.length);
                lost += b.length;
            }
            failed(f, lines, lost, ex);
        } finally {
            blocks.forEach(f.buffer()::giveBack);
            blocks.clear();
        }
    }

    private static long newlines(byte[] b, int from, int to) {
        long n = 0;
        for (int k = from; k < to; k++) {
            if (b[k] == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Counts what a failed write lost; tells stderr at the first failure, then at most once a minute. */
    private void failed(ServerFile f, long lines, long bytes, IOException ex) {
        Trouble t = f.trouble();
        long now = System.nanoTime();
        boolean first = t.lostLines == 0 && t.lostBytes == 0;
        if (first) {
            t.sinceNanos = now;
        }
        t.lostLines += lines;
        t.lostBytes += bytes;
        t.totalLostLines += lines;
        if (first || now - t.reportedNanos >= TROUBLE_REPORT_NANOS) {
            t.reportedNanos = now;
            LOG.error("cannot write event log for {} in {}: {}; {} events not written so far (this message at most once a minute)",
                    f.server(), dir, ex.getMessage(), t.lostLines);
        }
    }

    /** The file takes writes again: the gap, exactly, in the log itself and on stderr. */
    private void recovered(ServerFile f) {
        Trouble t = f.trouble();
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t.sinceNanos);
        String text = "event log could not be written for " + seconds + " s: " + t.lostLines + " events ("
                + t.lostBytes + " bytes) were lost";
        LOG.error("event log for {} in {} is written again; {}", f.server(), dir, text);
        t.lostLines = 0;
        t.lostBytes = 0;
        f.buffer().append(Instant.now(), "ERROR", null, text); // written with the next flush
    }

    /** Events lost to failed writes of {@code server}'s file so far (tests). */
    long lostToFailedWrites(String server) {
        ServerFile f = files.get(server);
        return f == null ? 0 : f.trouble().totalLostLines;
    }

    private void closeAll() {
        for (ServerFile f : files.values()) {
            if (f.trouble().lostLines > 0) {
                LOG.error("event log for {} in {} closed; {} events ({} bytes) could not be written", f.server(), dir,
                        f.trouble().lostLines, f.trouble().lostBytes);
            }
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
