package herd.engine.eventlog;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import herd.engine.EventLogFormat;
import herd.engine.HerdEvent;
import herd.engine.Party;
import herd.engine.config.LogSettings;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import java.util.stream.Stream;

/**
 * Not a test: what one event log line costs through the engine's own writer
 * ({@link EventLogBuffer} on the caller's thread, {@link EventLogWriter} rotating on its
 * thread) and through Logback's {@link RollingFileAppender}, writing the same lines (the
 * format of {@link EventLogFormat}) with the same rotation (64 MiB files, 10 kept, unless
 * told otherwise). Issue 13 asked whether the engine's writer must stay; this gives the figures.
 *
 * <pre>
 *   mvn -B -o -q -pl engine test-compile
 *   CP="engine/target/classes:engine/target/test-classes:$(ls ~/.m2/repository/ch/qos/logback/logback-*&#47;1.5.21/*.jar ~/.m2/repository/org/slf4j/slf4j-api/2.0.17/*.jar | tr '\n' ':')"
 *   java -Xms512m -Xmx512m -cp "$CP" herd.engine.eventlog.EventLogRotationBench VARIANT [lines] [linesPerSecond] [maxFileBytes] [maxFiles]
 *   java -cp "$CP" herd.engine.eventlog.EventLogRotationBench full-disk
 * </pre>
 *
 * VARIANT is one of {@code engine}, {@code format-only} (the line as a String, what any
 * Logback path must build first, and nothing else), {@code logback-fixed-flush}
 * (FixedWindowRollingPolicy and SizeBasedTriggeringPolicy with Logback's defaults: a flush
 * per event, the size looked at once a minute at most), {@code logback-fixed} (the same with
 * an 8 KiB buffer and no flush per event), {@code logback-fixed-exact} (that, with the size
 * looked at for every event, {@code checkIncrement} 0: the only way this policy keeps the
 * size), {@code logback-size-time} (SizeAndTimeBasedRollingPolicy, which counts the bytes it
 * writes, with totalSizeCap and maxHistory 30 days) and {@code logback-async} (AsyncAppender,
 * queue 8192, never dropping, over {@code logback-fixed-exact}). Run each in a JVM of its own.
 *
 * <p>Lines are logged in batches of {@value #BATCH} at {@code linesPerSecond} (default
 * 100,000, a busy server's rate; 0: flat out, a burst the writer cannot keep up with, so the
 * engine allocates fresh blocks instead of reusing its spares). One warm-up round of 200,000
 * lines, then three measured rounds; each prints the calling ("I/O") thread's CPU and
 * allocation per line, the writer thread's (the engine's writer or Logback's async worker),
 * the whole process's CPU per line (with GC and JIT), collections, and the files left. What
 * Logback put in its status manager at WARN and above is printed after each round
 * ({@code -Dbench.statusLevel=0} for all of it): Logback itself prints nothing at run time
 * unless a status listener is installed.
 *
 * <p>{@code full-disk}: 10,000 lines to a log that is a link to {@code /dev/full}, through
 * both; prints what each tells about the lost lines.
 */
public final class EventLogRotationBench {

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private static final String SERVER = "Welsh";
    private static final String[] KINDS = {"IN", "OUT", "PEER_OUT", "PEER_OUT", "PEER_IN"};
    private static final Party[] PARTIES = {Party.client("127.0.0.1:39244"), Party.client("127.0.0.1:39244"),
        Party.peer("Holiday"), Party.peer("Goloman"), Party.peer("Hands")};
    private static final int CLIENTS = 1000;
    private static final int BATCH = 1000;

    /** Keeps the JIT from discarding work nobody reads. */
    private static volatile long sink;

    private EventLogRotationBench() {
    }

    /** One way of writing the log. */
    private interface LogPath extends AutoCloseable {
        void log(Instant at, int kind, String payload);

        /** Blocks until every line logged so far is written (or handed to the OS). */
        void awaitWritten() throws Exception;

        /** The thread that writes the files, when it is not the caller's. */
        Thread writer();

        @Override
        void close() throws Exception;
    }

    public static void main(String[] args) throws Exception {
        String variant = args.length > 0 ? args[0] : "engine";
        if (variant.equals("full-disk")) {
            fullDisk();
            return;
        }
        int lines = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 100_000;
        long maxFileBytes = args.length > 3 ? Long.parseLong(args[3]) : LogSettings.defaults().maxFileBytes();
        int maxFiles = args.length > 4 ? Integer.parseInt(args[4]) : LogSettings.defaults().maxFiles();
        String[][] payloads = payloads();
        System.out.printf("%s: %,d lines at %s, files of %,d bytes, %d kept; %s, %s%n", variant, lines,
                rate > 0 ? String.format("%,d lines/s", rate) : "full speed", maxFileBytes, maxFiles,
                System.getProperty("java.vm.name"), System.getProperty("java.version"));
        round(variant, "warm-up", 200_000, rate, maxFileBytes, maxFiles, payloads);
        for (int r = 1; r <= 3; r++) {
            round(variant, "round " + r, lines, rate, maxFileBytes, maxFiles, payloads);
        }
    }

    /** Per kind, a payload per client id: an IAMAT in, its AT line out and across links. */
    private static String[][] payloads() {
        String[][] out = new String[KINDS.length][CLIENTS];
        for (int c = 0; c < CLIENTS; c++) {
            String id = "kiwi-" + c + ".cs.ucla.edu";
            String time = "1520023934." + (918963997 + c);
            String iamat = "IAMAT " + id + " +34.068930-118.445127 " + time;
            String at = "AT Welsh +275451651.974040246 " + id + " +34.068930-118.445127 " + time;
            out[0][c] = iamat;
            out[1][c] = at;
            out[2][c] = at;
            out[3][c] = at;
            out[4][c] = "AT Hands +0.000263873 " + id + " +34.068930-118.445127 " + time;
        }
        return out;
    }

    private static LogPath open(String variant, Path dir, long maxFileBytes, int maxFiles) throws Exception {
        return switch (variant) {
            case "engine" -> new Engine(dir, maxFileBytes, maxFiles);
            case "format-only" -> new FormatOnly();
            case "logback-fixed-flush" -> new Logback(dir, maxFileBytes, maxFiles, "fixed", true, false);
            case "logback-fixed" -> new Logback(dir, maxFileBytes, maxFiles, "fixed", false, false);
            case "logback-fixed-exact" -> new Logback(dir, maxFileBytes, maxFiles, "fixed-exact", false, false);
            case "logback-size-time" -> new Logback(dir, maxFileBytes, maxFiles, "size-time", false, false);
            case "logback-async" -> new Logback(dir, maxFileBytes, maxFiles, "fixed-exact", false, true);
            default -> throw new IllegalArgumentException("unknown variant " + variant);
        };
    }

    private static void round(String variant, String name, int lines, int rate, long maxFileBytes, int maxFiles,
                              String[][] payloads)
            throws Exception {
        Path dir = Files.createTempDirectory("eventlog-bench");
        try {
            System.gc();
            long gcCount0 = gcCount();
            long gcMillis0 = gcMillis();
            long process0 = OS.getProcessCpuTime();
            LogPath log = open(variant, dir, maxFileBytes, maxFiles);
            Thread writer = log.writer();
            long writerCpu0 = writer == null ? 0 : THREADS.getThreadCpuTime(writer.getId());
            long writerAlloc0 = writer == null ? 0 : THREADS.getThreadAllocatedBytes(writer.getId());
            long wall0 = System.nanoTime();
            long cpu0 = THREADS.getCurrentThreadCpuTime();
            long alloc0 = THREADS.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < lines; i++) {
                if (rate > 0 && i % BATCH == 0) {
                    long due = wall0 + i * 1_000_000_000L / rate;
                    for (long wait = due - System.nanoTime(); wait > 0; wait = due - System.nanoTime()) {
                        LockSupport.parkNanos(wait);
                    }
                }
                int kind = i % KINDS.length;
                log.log(Instant.now(), kind, payloads[kind][(i / KINDS.length) % CLIENTS]);
            }
            long cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
            long alloc = THREADS.getCurrentThreadAllocatedBytes() - alloc0;
            log.awaitWritten();
            long wall = System.nanoTime() - wall0;
            long writerCpu = writer == null ? 0 : THREADS.getThreadCpuTime(writer.getId()) - writerCpu0;
            long writerAlloc = writer == null ? 0 : THREADS.getThreadAllocatedBytes(writer.getId()) - writerAlloc0;
            log.close();
            long process = OS.getProcessCpuTime() - process0;
            List<Path> files = files(dir);
            long largest = 0;
            long newlines = 0;
            for (Path f : files) {
                largest = Math.max(largest, Files.size(f));
                newlines += newlines(f);
            }
            System.out.printf("%-8s caller %6.0f ns %6.1f B | writer %6.0f ns %6.1f B | process %6.0f ns | "
                            + "wall %5.0f ms | GC %d (%d ms) | %d files, largest %,d B, %,d lines on disk%n",
                    name, (double) cpu / lines, (double) alloc / lines, (double) writerCpu / lines,
                    (double) writerAlloc / lines, (double) process / lines, wall / 1e6, gcCount() - gcCount0,
                    gcMillis() - gcMillis0, files.size(), largest, newlines);
        } finally {
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).toList();
        }
    }

    private static long newlines(Path f) throws IOException {
        long n = 0;
        ByteBuffer b = ByteBuffer.allocate(1 << 20);
        try (FileChannel ch = FileChannel.open(f)) {
            while (ch.read(b) > 0) {
                for (int i = 0; i < b.position(); i++) {
                    if (b.get(i) == '\n') {
                        n++;
                    }
                }
                b.clear();
            }
        }
        return n;
    }

    private static long gcCount() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionCount();
        }
        return n;
    }

    private static long gcMillis() {
        long n = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            n += gc.getCollectionTime();
        }
        return n;
    }

    /** The engine: bytes formatted into the server's buffer on the caller's thread, files written and rotated by the writer's. */
    private static final class Engine implements LogPath {
        private final EventLogWriter writer;
        private final EventLogBuffer buffer;
        private final Thread thread;
        private final Path file;
        private long logged;

        Engine(Path dir, long maxFileBytes, int maxFiles) throws IOException {
            writer = new EventLogWriter(dir, new LogSettings(maxFileBytes, maxFiles));
            buffer = writer.open(SERVER);
            file = dir.resolve(SERVER + ".log");
            thread = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t.getName().equals(herd.engine.node.EngineThreads.EVENT_LOG) && t.isAlive())
                    .max(Comparator.comparingLong(Thread::getId)).orElseThrow();
        }

        @Override
        public void log(Instant at, int kind, String payload) {
            buffer.append(at, KINDS[kind], PARTIES[kind], payload);
            logged++;
        }

        @Override
        public void awaitWritten() throws IOException {
            String marker = "end of round " + logged;
            buffer.append(Instant.now(), "INFO", null, marker);
            byte[] tail = (" " + marker + "\n").getBytes(StandardCharsets.US_ASCII);
            while (!endsWith(file, tail)) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        public Thread writer() {
            return thread;
        }

        @Override
        public void close() {
            writer.close();
        }
    }

    private static boolean endsWith(Path file, byte[] tail) throws IOException {
        try (FileChannel ch = FileChannel.open(file)) {
            long size = ch.size();
            if (size < tail.length) {
                return false;
            }
            ByteBuffer b = ByteBuffer.allocate(tail.length);
            ch.read(b, size - tail.length);
            return Arrays.equals(b.array(), tail);
        } catch (java.nio.file.NoSuchFileException rotatingNow) {
            return false;
        }
    }

    /** The line as a String and nothing else: what any Logback path builds on the caller's thread first. */
    private static final class FormatOnly implements LogPath {
        @Override
        public void log(Instant at, int kind, String payload) {
            sink += EventLogFormat.line(event(at, kind, payload)).length();
        }

        @Override
        public void awaitWritten() {
        }

        @Override
        public Thread writer() {
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static HerdEvent event(Instant at, int kind, String payload) {
        return KINDS[kind].endsWith("IN") ? new HerdEvent.LineIn(at, SERVER, PARTIES[kind], payload)
                : new HerdEvent.LineOut(at, SERVER, PARTIES[kind], payload);
    }

    /**
     * Logback writing the same lines: the engine formats each (the format is the product's,
     * and Logback's own date pattern would take the time of the logging call, not the
     * event's), Logback writes {@code %msg%n} to a {@link RollingFileAppender}, on the
     * caller's thread or through an {@link AsyncAppender}.
     */
    private static final class Logback implements LogPath {
        private final LoggerContext context = new LoggerContext();
        private final ch.qos.logback.classic.Logger logger;
        private final AsyncAppender async;

        Logback(Path dir, long maxFileBytes, int maxFiles, String policy, boolean flushEachEvent, boolean viaAsync) {
            context.setName("bench");
            context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // a context of one's own has none
            RollingFileAppender<ILoggingEvent> file = new RollingFileAppender<>();
            file.setContext(context);
            file.setName("file");
            file.setFile(dir.resolve(SERVER + ".log").toString());
            file.setImmediateFlush(flushEachEvent);
            PatternLayoutEncoder encoder = new PatternLayoutEncoder();
            encoder.setContext(context);
            encoder.setPattern("%msg%n");
            encoder.setCharset(StandardCharsets.UTF_8);
            encoder.start();
            file.setEncoder(encoder);
            if (policy.startsWith("fixed")) {
                FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
                rolling.setContext(context);
                rolling.setParent(file);
                rolling.setFileNamePattern(dir.resolve(SERVER + ".log.%i").toString());
                rolling.setMinIndex(1);
                rolling.setMaxIndex(maxFiles - 1); // Logback allows at most 20 here
                rolling.start();
                SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
                trigger.setContext(context);
                trigger.setMaxFileSize(new FileSize(maxFileBytes));
                if (policy.equals("fixed-exact")) {
                    trigger.setCheckIncrement(ch.qos.logback.core.util.Duration.buildByMilliseconds(0));
                }
                trigger.start();
                file.setRollingPolicy(rolling);
                file.setTriggeringPolicy(trigger);
            } else {
                SizeAndTimeBasedRollingPolicy<ILoggingEvent> rolling = new SizeAndTimeBasedRollingPolicy<>();
                rolling.setContext(context);
                rolling.setParent(file);
                rolling.setFileNamePattern(dir.resolve(SERVER + ".%d{yyyy-MM-dd}.%i.log").toString());
                rolling.setMaxFileSize(new FileSize(maxFileBytes));
                rolling.setTotalSizeCap(new FileSize(maxFileBytes * maxFiles));
                rolling.setMaxHistory(30); // without it Logback ignores totalSizeCap
                rolling.start();
                file.setRollingPolicy(rolling); // it is the triggering policy too
            }
            file.start();
            Appender<ILoggingEvent> top = file;
            if (viaAsync) {
                async = new AsyncAppender();
                async.setContext(context);
                async.setName("async");
                async.setQueueSize(8192);
                async.setDiscardingThreshold(0); // drop nothing: INFO lines are the product here
                async.setNeverBlock(false);
                async.addAppender(file);
                async.start();
                top = async;
            } else {
                async = null;
            }
            logger = context.getLogger(SERVER);
            logger.setAdditive(false);
            logger.setLevel(Level.INFO);
            logger.addAppender(top);
            for (Status s : context.getStatusManager().getCopyOfStatusList()) {
                if (s.getLevel() >= Status.WARN) {
                    throw new IllegalStateException("logback set-up: " + s);
                }
            }
        }

        @Override
        public void log(Instant at, int kind, String payload) {
            logger.info(EventLogFormat.line(event(at, kind, payload)));
        }

        @Override
        public void awaitWritten() {
            while (async != null && async.getNumberOfElementsInQueue() > 0) {
                LockSupport.parkNanos(1_000_000);
            }
        }

        @Override
        public Thread writer() {
            if (async == null) {
                return null;
            }
            return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("AsyncAppender-Worker-"))
                    .filter(Thread::isAlive).max(Comparator.comparingLong(Thread::getId)).orElseThrow();
        }

        @Override
        public void close() {
            context.stop(); // the async worker drains, the file is flushed and closed
            for (Status s : context.getStatusManager().getCopyOfStatusList()) {
                if (s.getLevel() >= Integer.getInteger("bench.statusLevel", Status.WARN)) {
                    System.out.println("  logback says: " + s + (s.getThrowable() == null ? "" : " " + s.getThrowable()));
                }
            }
        }

        int errors() {
            int n = 0;
            for (Status s : context.getStatusManager().getCopyOfStatusList()) {
                if (s.getLevel() == Status.ERROR) {
                    n++;
                }
            }
            return n;
        }
    }

    /** 10,000 lines each way to a log on a full disk: who counts the lost lines, and who says so where. */
    private static void fullDisk() throws Exception {
        int lines = 10_000;
        String[][] payloads = payloads();
        Path dir = Files.createTempDirectory("eventlog-bench");
        try {
            Files.createSymbolicLink(dir.resolve(SERVER + ".log"), Path.of("/dev/full"));
            EventLogWriter writer = new EventLogWriter(dir, LogSettings.defaults());
            EventLogBuffer buffer = writer.open(SERVER);
            for (int i = 0; i < lines; i++) {
                int kind = i % KINDS.length;
                buffer.append(Instant.now(), KINDS[kind], PARTIES[kind], payloads[kind][i % CLIENTS]);
            }
            writer.close();
            System.out.printf("engine:  %,d lines to /dev/full, %,d counted as lost (stderr above: the first failure and"
                    + " the total at close)%n", lines, writer.lostToFailedWrites(SERVER));

            Logback logback = new Logback(dir, 64L << 20, 10, "fixed", false, false);
            for (int i = 0; i < lines; i++) {
                int kind = i % KINDS.length;
                logback.log(Instant.now(), kind, payloads[kind][i % CLIENTS]);
            }
            logback.close();
            System.out.printf("logback: %,d lines to /dev/full, no count anywhere; %d ERROR statuses in its status manager,"
                    + " none printed unless a status listener is installed; the caller saw no exception%n",
                    lines, logback.errors());
            List<String> messages = new ArrayList<>();
            for (Status s : logback.context.getStatusManager().getCopyOfStatusList()) {
                if (s.getLevel() >= Status.WARN) {
                    messages.add(s.getMessage());
                }
            }
            System.out.println("logback statuses: " + messages);
        } finally {
            Files.deleteIfExists(dir.resolve(SERVER + ".log"));
            try (Stream<Path> all = Files.walk(dir)) {
                for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
    }
}
