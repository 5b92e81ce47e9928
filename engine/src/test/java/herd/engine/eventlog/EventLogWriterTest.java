package herd.engine.eventlog;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
}
