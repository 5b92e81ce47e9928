package herd.engine.eventlog;

import herd.engine.config.LogSettings;
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
 * <p>Rotation ({@link LogSettings}): before a line would take {@code <Server>.log} past
 * {@code maxFileBytes}, the writer renames it {@code <Server>.log.1} (the older ones one
 * number up, logrotate's naming), deletes what would be beyond {@code maxFiles} files, opens a
 * fresh {@code <Server>.log} and closes the old one. Blocks are cut at a line end, so a line is
 * never split across two files, and no file is larger than {@code maxFileBytes} unless it
 * holds a single line that is (a line longer than a whole file goes into a fresh file alone)
 * or was already when the writer opened it (it is rotated before the first write). A rotation that
 * fails (a rename refused) leaves the lines in the current file, which grows past the size
 * until a later flush's attempt works; stderr hears of it at once and then at most once a
 * minute, and the log gets an ERROR line when rotation works again. Rotation costs the writer
 * thread only: I/O threads never wait for it.
 *
 * <p>Thread-safe: {@link #open} and {@link #close} from any thread; the files are touched
 * only by the writer thread.
 */
public final class EventLogWriter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventLogWriter.class);
    static final long FLUSH_INTERVAL_MILLIS = 10;
    private static final long FLUSH_INTERVAL_NANOS = TimeUnit.MILLISECONDS.toNanos(FLUSH_INTERVAL_MILLIS);

    static final long TROUBLE_REPORT_NANOS = TimeUnit.MINUTES.toNanos(1);

    /**
     * A server's file; {@code channel} and {@code size} are touched only by the writer thread
     * ({@link #reopen}, rotation) once the file is open.
     */
    private static final class ServerFile {
        private final String server;
        private final EventLogBuffer buffer;
        private final Trouble trouble = new Trouble();
        private FileChannel channel;
        /** Bytes in the file {@code channel} writes: its size at open plus what was written since. */
        private long size;

        ServerFile(String server, EventLogBuffer buffer, FileChannel channel, long size) {
            this.server = server;
            this.buffer = buffer;
            this.channel = channel;
            this.size = size;
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

    /** A file's failed writes since it last wrote, and failed rotations: touched by the writer thread only. */
    private static final class Trouble {
        long lostLines;
        long lostBytes;
        long sinceNanos;
        long reportedNanos;
        volatile long totalLostLines; // read by tests
        boolean rotationFailing;
        long rotationSinceNanos;
        long rotationReportedNanos;
        volatile long rotationFailures; // read by tests
    }

    private final Path dir;
    private final LogSettings rotation;
    private final Map<String, ServerFile> files = new ConcurrentHashMap<>();
    private final Thread thread;
    private volatile boolean closing;
    private volatile boolean reopenRequested;

    /** Rotating by {@link LogSettings#defaults()}. */
    EventLogWriter(Path dir) throws IOException {
        this(dir, LogSettings.defaults());
    }

    public EventLogWriter(Path dir, LogSettings rotation) throws IOException {
        this.dir = dir;
        this.rotation = rotation;
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
        f = new ServerFile(server, new EventLogBuffer(), channel, channel.size());
        files.put(server, f);
        return f.buffer();
    }

    private FileChannel openFile(String server) throws IOException {
        return FileChannel.open(current(server), StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND);
    }

    private Path current(String server) {
        return dir.resolve(server + ".log");
    }

    /** {@code <Server>.log.<n>}: the n-th newest rotated file. */
    private Path rotated(String server, int n) {
        return dir.resolve(server + ".log." + n);
    }

    /**
     * Closes every file and opens {@code <logDir>/<Server>.log} again, before the next
     * lines are written (within about {@value #FLUSH_INTERVAL_MILLIS} ms): what a log rotator
     * asks for after it moved the files away (SIGHUP, the logrotate convention), and the way
     * back after a file was deleted. No line is lost: lines written before go to the old
     * file, lines after to the new one. The size that rotation counts starts again from the
     * reopened file's. Returns at once; any thread.
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
                f.size = fresh.size();
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
        writeAll(blocks); // the ERROR lines the writer itself appended in the last one (a recovery, a rotation)
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
        boolean rotationRefused = false; // one failed attempt per flush; the rest goes to the current file
        try {
            for (; i < blocks.size(); i++) {
                EventLogBuffer.Block b = blocks.get(i);
                int at = 0;
                while (at < b.length) {
                    int to = b.length;
                    if (rotation.rotates() && !rotationRefused && f.size + (to - at) > rotation.maxFileBytes()) {
                        to = lastLineEnd(b.bytes, at, (int) Math.max(at, Math.min(to, at + rotation.maxFileBytes() - f.size)));
                        if (to == at && f.size == 0) {
                            to = firstLineEnd(b.bytes, at, b.length); // longer than a whole file: alone in this one
                        }
                    }
                    if (to > at) {
                        bytes = ByteBuffer.wrap(b.bytes, at, to - at);
                        while (bytes.hasRemaining()) {
                            f.size += f.channel().write(bytes);
                        }
                        at = to;
                    }
                    if (at < b.length && !rotationRefused) { // stopped short: the rest needs a fresh file
                        rotationRefused = !rotate(f);
                    }
                }
            }
            if (f.trouble().lostLines > 0) {
                recovered(f);
            }
        } catch (IOException ex) {
            EventLogBuffer.Block b = blocks.get(i);
            int from = bytes == null ? 0 : bytes.position();
            long lines = newlines(b.bytes, from, b.length);
            long lost = b.length - from;
            for (int k = i + 1; k < blocks.size(); k++) {
                EventLogBuffer.Block later = blocks.get(k);
                lines += newlines(later.bytes, 0, later.length);
                lost += later.length;
            }
            failed(f, lines, lost, ex);
        } finally {
            blocks.forEach(f.buffer()::giveBack);
            blocks.clear();
        }
    }

    /** Just past the last newline in {@code b[from, to)}; {@code from} when there is none. */
    private static int lastLineEnd(byte[] b, int from, int to) {
        for (int k = to - 1; k >= from; k--) {
            if (b[k] == '\n') {
                return k + 1;
            }
        }
        return from;
    }

    /** Just past the first newline in {@code b[from, to)}; {@code to} when there is none. */
    private static int firstLineEnd(byte[] b, int from, int to) {
        for (int k = from; k < to; k++) {
            if (b[k] == '\n') {
                return k + 1;
            }
        }
        return to;
    }

    /**
     * {@code <Server>.log} becomes {@code .log.1}, each older file one number up, the oldest
     * beyond {@code maxFiles} is deleted, and a fresh {@code <Server>.log} is opened. Only a
     * gap-free run from {@code .1} is moved up: after a rotation that failed half-way, or a
     * file deleted by hand, the next one fills the gap and deletes nothing it need not. Files
     * past the window (a larger {@code maxFiles} before) are deleted too, so at most
     * {@code maxFiles} are left. False, reported and counted, when a step fails: then the
     * current file stays in use, whole.
     */
    private boolean rotate(ServerFile f) {
        String server = f.server();
        Path current = current(server);
        int keep = rotation.maxFiles() - 1; // rotated files beside the current one
        try {
            if (Files.exists(current)) { // else moved or deleted by hand, or by a half-failed rotation: just reopen
                if (keep == 0) {
                    Files.delete(current);
                } else {
                    int gap = 1;
                    while (gap < keep && Files.exists(rotated(server, gap))) {
                        gap++;
                    }
                    Files.deleteIfExists(rotated(server, gap)); // exists only at gap == keep: the oldest goes
                    for (int n = gap - 1; n >= 1; n--) {
                        Files.move(rotated(server, n), rotated(server, n + 1));
                    }
                    Files.move(current, rotated(server, 1));
                }
            }
            for (int n = Math.max(keep, 0) + 1; Files.deleteIfExists(rotated(server, n)); n++) {
                // left by a larger maxFiles
            }
            FileChannel fresh = openFile(server);
            FileChannel old = f.channel;
            f.channel = fresh;
            f.size = fresh.size();
            try {
                old.close();
            } catch (IOException ex) {
                LOG.error("cannot close rotated event log for {}: {}", server, ex.getMessage());
            }
        } catch (IOException ex) {
            rotationFailed(f, ex);
            return false;
        }
        if (f.trouble().rotationFailing) {
            rotatedAgain(f);
        }
        return true;
    }

    /** Tells stderr at the first failed rotation, then at most once a minute while they fail. */
    private void rotationFailed(ServerFile f, IOException ex) {
        Trouble t = f.trouble();
        long now = System.nanoTime();
        t.rotationFailures++;
        if (!t.rotationFailing || now - t.rotationReportedNanos >= TROUBLE_REPORT_NANOS) {
            if (!t.rotationFailing) {
                t.rotationSinceNanos = now;
            }
            t.rotationFailing = true;
            t.rotationReportedNanos = now;
            LOG.error("cannot rotate event log for {} in {}: {}; its lines go on into {}.log, now {} bytes, "
                    + "over log.maxFileBytes {} (this message at most once a minute)",
                    f.server(), dir, describe(ex), f.server(), f.size, rotation.maxFileBytes());
        }
    }

    /** Rotation works again: said on stderr and, as an ERROR line, in the fresh file. */
    private void rotatedAgain(ServerFile f) {
        Trouble t = f.trouble();
        t.rotationFailing = false;
        long seconds = TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t.rotationSinceNanos);
        String text = "event log could not be rotated for " + seconds + " s, so the file rotated just now is larger than"
                + " log.maxFileBytes " + rotation.maxFileBytes();
        LOG.error("event log for {} in {} rotates again; {}", f.server(), dir, text);
        f.buffer().append(Instant.now(), "ERROR", null, text); // written with the next flush
    }

    /** An I/O exception in words: the path alone says little ({@code NoSuchFileException: x}). */
    private static String describe(IOException ex) {
        return ex.getClass().getSimpleName() + ": " + ex.getMessage();
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

    /** Rotations of {@code server}'s file that failed so far (tests). */
    long rotationFailures(String server) {
        ServerFile f = files.get(server);
        return f == null ? 0 : f.trouble().rotationFailures;
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
