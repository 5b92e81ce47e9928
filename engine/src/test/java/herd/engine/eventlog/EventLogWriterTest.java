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
}
