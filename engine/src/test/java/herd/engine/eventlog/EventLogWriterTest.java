package herd.engine.eventlog;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.time.Duration;
import org.slf4j.LoggerFactory;

import herd.engine.Party;
import herd.engine.config.LogSettings;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The writer puts every line that I/O threads append into its server's file, whole. */
class EventLogWriterTest {

    @TempDir
    Path dir;

    @Test
    void noLineIsLostWhenManyThreadsLogAtOnce() throws Exception {
        int threads = 8;
        int perThread = 50_000;
        EventLogWriter writer = new EventLogWriter(dir);
        List<EventLogBuffer> servers = List.of(writer.open("Goloman"), writer.open("Hands"));
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> ts = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (InterruptedException e) {
                    return;
                }
                Party party = Party.client("127.0.0.1:" + id);
                for (int i = 0; i < perThread; i++) {
                    servers.get(i % 2).append(Instant.now(), "IN", party, "IAMAT t" + id + " n" + i + " \t+34-118");
                }
            });
            th.start();
            ts.add(th);
        }
        start.countDown();
        for (Thread th : ts) {
            th.join();
        }
        writer.close();

        Set<String> seen = new HashSet<>();
        int lines = 0;
        for (String server : List.of("Goloman", "Hands")) {
            for (String line : Files.readAllLines(dir.resolve(server + ".log"))) {
                String[] f = line.split(" ", 4);
                assertEquals(4, f.length, line);
                assertEquals("IN", f[1], line);
                String[] words = f[3].split(" ");
                assertEquals("\\t+34-118", words[3], line);
                assertEquals(f[2], "client/127.0.0.1:" + words[1].substring(1), line);
                seen.add(words[1] + " " + words[2]);
                lines++;
            }
        }
        assertEquals(threads * perThread, lines, "every line written");
        assertEquals(threads * perThread, seen.size(), "every line, once");
    }

    /**
     * A log file on a full disk ({@code /dev/full} answers every write with ENOSPC): the lost
     * lines are counted exactly, and stderr hears of it once, not once per flush (a full log
     * folder used to print an error every 10 ms per server), then the total at close.
     */
    @Test
    void aFullDiskLosesCountedLinesAndSaysSoOnceNotEveryFlush() throws Exception {
        Files.createSymbolicLink(dir.resolve("Welsh.log"), Path.of("/dev/full"));
        Logger logger = (Logger) LoggerFactory.getLogger(EventLogWriter.class);
        ListAppender<ILoggingEvent> heard = new ListAppender<>();
        heard.start();
        boolean additive = logger.isAdditive();
        logger.addAppender(heard);
        logger.setAdditive(false); // the build's output stays quiet: these errors are expected
        try {
            EventLogWriter writer = new EventLogWriter(dir);
            EventLogBuffer welsh = writer.open("Welsh");
            Party party = Party.client("127.0.0.1:1");
            int lines = 0;
            for (int burst = 0; burst < 20; burst++) { // twenty flushes that each fail
                for (int i = 0; i < 10; i++) {
                    welsh.append(Instant.now(), "IN", party, "IAMAT lost" + lines++);
                }
                int expected = lines;
                await().atMost(Duration.ofSeconds(10)).until(() -> writer.lostToFailedWrites("Welsh") == expected);
            }
            assertEquals(1, heard.list.size(), "one stderr line for twenty failed flushes: " + heard.list);
            assertTrue(heard.list.get(0).getFormattedMessage().contains("cannot write event log for Welsh"),
                    heard.list.get(0).getFormattedMessage());
            writer.close();
            assertEquals(2, heard.list.size(), heard.list.toString());
            assertTrue(heard.list.get(1).getFormattedMessage().contains("closed; 200 events"),
                    heard.list.get(1).getFormattedMessage());
        } finally {
            logger.detachAppender(heard);
            logger.setAdditive(additive);
            Files.delete(dir.resolve("Welsh.log")); // the link, not /dev/full: @TempDir warns about links out of it
        }
    }

    /** A rotator moves the file away and asks for a reopen: old lines stay there, new ones go to a new file. */
    @Test
    void reopenAfterTheFileWasMovedAwayStartsANewFileAndLosesNothing() throws Exception {
        EventLogWriter writer = new EventLogWriter(dir);
        EventLogBuffer welsh = writer.open("Welsh");
        Party party = Party.client("127.0.0.1:1");
        Path log = dir.resolve("Welsh.log");
        Path rotated = dir.resolve("Welsh.log.1");
        welsh.append(Instant.now(), "IN", party, "before");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains(" before\n"));
        Files.move(log, rotated);
        welsh.append(Instant.now(), "IN", party, "moved"); // written to the moved file: not reopened yet
        writer.reopen();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(log));
        welsh.append(Instant.now(), "IN", party, "after");
        writer.close();
        List<String> old = Files.readAllLines(rotated);
        List<String> fresh = Files.readAllLines(log);
        assertEquals(List.of("before", "moved"), old.stream().map(l -> l.split(" ", 4)[3]).toList(), old.toString());
        assertEquals(List.of("after"), fresh.stream().map(l -> l.split(" ", 4)[3]).toList(), fresh.toString());
    }

    // Rotation. Lines here are about 60 bytes and files 4 KiB (the config file refuses less
    // than 64 KiB; the writer takes any size), so a block of lines spans several files.

    private static final long SMALL_FILE = 4096;

    /** Every file of {@code server}, oldest first: {@code .log.N} … {@code .log.1}, then {@code .log}. */
    private List<Path> filesOf(String server) throws Exception {
        List<Path> out = new ArrayList<>();
        try (var listing = Files.list(dir)) {
            for (Path p : (Iterable<Path>) listing::iterator) {
                String name = p.getFileName().toString();
                if (name.equals(server + ".log") || name.matches(java.util.regex.Pattern.quote(server) + "\\.log\\.[1-9][0-9]*")) {
                    out.add(p);
                }
            }
        }
        out.sort(java.util.Comparator.comparingInt(p -> {
            String name = p.getFileName().toString();
            return name.endsWith(".log") ? 0 : -Integer.parseInt(name.substring(name.lastIndexOf('.') + 1));
        }));
        return out;
    }

    /** The payloads of every line of {@code server}'s files, oldest file first. */
    private List<String> payloadsOf(String server) throws Exception {
        List<String> out = new ArrayList<>();
        for (Path p : filesOf(server)) {
            for (String line : Files.readAllLines(p)) {
                out.add(line.split(" ", 4)[3]);
            }
        }
        return out;
    }

    /** Waits until {@code file} ends with the line of {@code payload}: written, whatever rotated meanwhile. */
    private static void awaitLast(Path file, String payload) {
        // the file may be renamed away between two looks: a rotation, not a failure
        await().atMost(Duration.ofSeconds(10)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2))
                .ignoreException(java.nio.file.NoSuchFileException.class)
                .until(() -> Files.exists(file) && Files.readString(file).endsWith(" " + payload + "\n"));
    }

    private static List<String> numbered(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("IAMAT line-" + i + " +34.068930-118.445127 " + i);
        }
        return out;
    }

    /**
     * 3,000 lines, some a flush at a time and some piled up into 64 KiB blocks: every line is
     * in the files exactly once and in order, no line is split, no file is over the size, and
     * each rotated file is full (the line after it would not have fitted).
     */
    @Test
    void filesRotateAtTheSizeWithEveryLineOnceAndInOrder() throws Exception {
        EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, 1000));
        EventLogBuffer welsh = writer.open("Welsh");
        Party party = Party.client("127.0.0.1:1");
        List<String> sent = numbered(0, 3000);
        for (int i = 0; i < 100; i++) { // one line at a time, each seen written
            welsh.append(Instant.now(), "IN", party, sent.get(i));
            awaitLast(dir.resolve("Welsh.log"), sent.get(i));
        }
        for (String s : sent.subList(100, sent.size())) { // the rest at once: blocks of many lines
            welsh.append(Instant.now(), "IN", party, s);
        }
        writer.close();

        assertEquals(sent, payloadsOf("Welsh"), "every line once, in order, across the files");
        List<Path> files = filesOf("Welsh");
        assertTrue(files.size() > 40, files.size() + " files: about 180 KiB in 4 KiB files");
        for (int k = 0; k < files.size(); k++) {
            byte[] b = Files.readAllBytes(files.get(k));
            assertTrue(b.length <= SMALL_FILE, files.get(k) + ": " + b.length + " bytes");
            assertEquals('\n', b[b.length - 1], files.get(k) + " ends inside a line");
            if (k < files.size() - 1) {
                int next = Files.readAllLines(files.get(k + 1)).get(0).length() + 1;
                assertTrue(b.length + next > SMALL_FILE, files.get(k) + " rotated early: " + b.length + " bytes, and the next line of "
                        + next + " would have fitted");
            }
        }
    }

    /**
     * However long it runs, a server has at most maxFiles files, the current one included: the
     * oldest goes at each rotation and the newest lines stay, in order. With maxFiles 1 a
     * rotation starts the one file afresh.
     */
    @Test
    void neverMoreThanMaxFilesFilesAndTheNewestLinesStay() throws Exception {
        for (int maxFiles : new int[] {3, 1}) {
            String server = "Welsh" + maxFiles;
            EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, maxFiles));
            EventLogBuffer log = writer.open(server);
            Party party = Party.client("127.0.0.1:1");
            List<String> sent = numbered(0, 2000);
            for (int batch = 0; batch < 20; batch++) {
                for (String s : sent.subList(batch * 100, batch * 100 + 100)) {
                    log.append(Instant.now(), "IN", party, s);
                }
                awaitLast(dir.resolve(server + ".log"), sent.get(batch * 100 + 99));
                assertTrue(filesOf(server).size() <= maxFiles, filesOf(server).toString());
            }
            writer.close();
            assertEquals(maxFiles, filesOf(server).size(), filesOf(server).toString());
            List<String> kept = payloadsOf(server);
            assertTrue(kept.size() >= (maxFiles - 1) * 40 + 1, kept.size() + " lines kept");
            assertEquals(sent.subList(sent.size() - kept.size(), sent.size()), kept, "the newest lines, in order");
        }
    }

    /** Files past the window, left by a larger maxFiles, go at the next rotation. */
    @Test
    void filesLeftByALargerMaxFilesAreDeletedAtTheNextRotation() throws Exception {
        for (int n = 1; n <= 6; n++) {
            Files.writeString(dir.resolve("Welsh.log." + n), "old " + n + "\n");
        }
        EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, 3));
        EventLogBuffer welsh = writer.open("Welsh");
        Party party = Party.client("127.0.0.1:1");
        for (String s : numbered(0, 60)) { // about 5 KiB: one rotation
            welsh.append(Instant.now(), "IN", party, s);
        }
        writer.close();
        assertEquals(List.of("Welsh.log.2", "Welsh.log.1", "Welsh.log"),
                filesOf("Welsh").stream().map(p -> p.getFileName().toString()).toList());
        assertEquals("old 1\n", Files.readString(dir.resolve("Welsh.log.2")), "the newest old file moved up one");
    }

    /** A line longer than a whole file is not cut: it goes alone into a file of its own. */
    @Test
    void aLineLongerThanAWholeFileGoesAloneIntoAFileOfItsOwn() throws Exception {
        EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, 10));
        EventLogBuffer welsh = writer.open("Welsh");
        Party party = Party.client("127.0.0.1:1");
        String huge = "IAMAT " + "x".repeat(10_000) + " +1+1 1";
        List<String> sent = List.of("IAMAT a +1+1 1", huge, "IAMAT b +1+1 2");
        sent.forEach(s -> welsh.append(Instant.now(), "IN", party, s));
        writer.close();
        assertEquals(sent, payloadsOf("Welsh"));
        List<Path> files = filesOf("Welsh");
        assertEquals(3, files.size(), files.toString());
        List<String> alone = Files.readAllLines(files.get(1));
        assertEquals(1, alone.size());
        assertTrue(alone.get(0).endsWith(" " + huge));
    }

    /**
     * A reopen (SIGHUP) after rotations goes on appending to the current file and counts from
     * its size, so the size still holds; after a rotator moved the file away, the new file
     * counts from zero and rotation goes on from there. No line is lost or repeated.
     */
    @Test
    void reopenAfterRotationKeepsCountingFromTheReopenedFile() throws Exception {
        EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, 100));
        EventLogBuffer welsh = writer.open("Welsh");
        Party party = Party.client("127.0.0.1:1");
        Path log = dir.resolve("Welsh.log");
        List<String> sent = numbered(0, 300);
        int at = 0;
        for (int round = 0; round < 3; round++) {
            for (int i = 0; i < 100; i++, at++) {
                welsh.append(Instant.now(), "IN", party, sent.get(at));
            }
            awaitLast(log, sent.get(at - 1));
            if (round == 1) {
                Files.move(log, dir.resolve("moved-away.log")); // what logrotate does before its SIGHUP
            }
            long before = Files.size(log.getParent().resolve(round == 1 ? "moved-away.log" : "Welsh.log"));
            writer.reopen();
            if (round == 1) { // a line appended before the writer reopens still goes to the moved file
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> Files.exists(log));
            }
            String probe = "IAMAT probe-" + round + " +1+1 1";
            welsh.append(Instant.now(), "IN", party, probe);
            awaitLast(log, probe);
            assertTrue(before > 0);
        }
        for (String s : numbered(300, 600)) {
            welsh.append(Instant.now(), "IN", party, s);
        }
        writer.close();
        for (Path p : filesOf("Welsh")) {
            assertTrue(Files.size(p) <= SMALL_FILE, p + ": " + Files.size(p) + " bytes");
        }
        List<String> all = new ArrayList<>();
        for (String line : Files.readAllLines(dir.resolve("moved-away.log"))) {
            all.add(line.split(" ", 4)[3]);
        }
        List<String> rest = payloadsOf("Welsh");
        List<String> expected = new ArrayList<>(sent.subList(0, 300));
        expected.addAll(List.of("IAMAT probe-0 +1+1 1", "IAMAT probe-1 +1+1 1", "IAMAT probe-2 +1+1 1"));
        expected.addAll(numbered(300, 600));
        List<String> got = new ArrayList<>(rest);
        got.addAll(all);
        assertEquals(expected.stream().sorted().toList(), got.stream().sorted().toList(), "every line once");
    }

    /**
     * A rotation that cannot happen (here {@code Welsh.log.1} is a directory with a file in it,
     * which no delete removes) keeps the lines in the current file, which grows past the size;
     * stderr hears of it once, not at every flush; once the way is clear rotation works again,
     * the log and stderr say it was held up, and no line is lost.
     */
    @Test
    void aRefusedRotationKeepsTheLinesInTheCurrentFileAndSaysSoOnce() throws Exception {
        Path blocker = dir.resolve("Welsh.log.1");
        Files.createDirectories(blocker);
        Files.writeString(blocker.resolve("in-the-way"), "x");
        Logger logger = (Logger) LoggerFactory.getLogger(EventLogWriter.class);
        ListAppender<ILoggingEvent> heard = new ListAppender<>();
        heard.start();
        boolean additive = logger.isAdditive();
        logger.addAppender(heard);
        logger.setAdditive(false); // the build's output stays quiet: these errors are expected
        try {
            EventLogWriter writer = new EventLogWriter(dir, new LogSettings(SMALL_FILE, 2));
            EventLogBuffer welsh = writer.open("Welsh");
            Party party = Party.client("127.0.0.1:1");
            Path log = dir.resolve("Welsh.log");
            List<String> sent = numbered(0, 400);
            for (int batch = 0; batch < 4; batch++) { // four flushes past the size, each a failed attempt
                for (String s : sent.subList(batch * 100, batch * 100 + 100)) {
                    welsh.append(Instant.now(), "IN", party, s);
                }
                awaitLast(log, sent.get(batch * 100 + 99));
            }
            assertTrue(writer.rotationFailures("Welsh") >= 3, writer.rotationFailures("Welsh") + " failed rotations");
            assertTrue(Files.size(log) > 4 * SMALL_FILE, "every line kept in Welsh.log: " + Files.size(log));
            assertEquals(1, heard.list.size(), "one stderr line for several failed rotations: " + heard.list);
            assertTrue(heard.list.get(0).getFormattedMessage().startsWith("cannot rotate event log for Welsh in "),
                    heard.list.get(0).getFormattedMessage());

            Files.delete(blocker.resolve("in-the-way"));
            Files.delete(blocker);
            List<String> more = numbered(400, 430); // under 4 KiB: one rotation, of the oversized file
            more.forEach(s -> welsh.append(Instant.now(), "IN", party, s));
            writer.close();
            assertEquals(2, heard.list.size(), heard.list.toString());
            assertTrue(heard.list.get(1).getFormattedMessage().contains("rotates again"), heard.list.get(1).getFormattedMessage());
            List<String> all = payloadsOf("Welsh");
            assertTrue(all.stream().anyMatch(l -> l.startsWith("event log could not be rotated for ")), all.toString());
            List<String> lines = all.stream().filter(l -> l.startsWith("IAMAT ")).toList();
            List<String> expected = new ArrayList<>(sent);
            expected.addAll(more);
            assertEquals(expected.subList(expected.size() - lines.size(), expected.size()), lines,
                    "the newest lines in order, the oversized file rotated away whole");
            assertTrue(lines.size() >= 400, lines.size() + ": the oversized file is Welsh.log.1 now");
        } finally {
            logger.detachAppender(heard);
            logger.setAdditive(additive);
        }
    }
}
