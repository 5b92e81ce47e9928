package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Five launcher.jar processes on loopback; one is SIGKILLed, misses an update, and comes back. */
class MultiProcessHerdIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");

    @TempDir
    Path dir;
    final Map<String, HerdProcess> running = new LinkedHashMap<>();
    Map<String, Integer> ports = new LinkedHashMap<>();

    @AfterEach
    void stopAll() {
        running.values().forEach(HerdProcess::close);
    }

    private void startServer(String name) throws Exception {
        HerdProcess p = HerdProcess.start(dir, Map.of(), name, "--config", "herd.json");
        running.put(name, p);
        int port = ports.get(name);
        await().atMost(WAIT).until(() -> {
            if (!p.process.isAlive()) {
                throw new AssertionError(name + " exited: " + p.err());
            }
            return HerdProcess.accepts(port);
        });
    }

    /** The AT line a server answers WHATSAT with, or null if it does not know the client. */
    private String knownAt(String server, String client) throws Exception {
        String reply = LineExchange.exchange(ports.get(server), "WHATSAT " + client + " 1 1\n");
        return reply.startsWith("? ") ? null : reply.lines().findFirst().orElse(null);
    }

    @Test
    void killedServerRelearnsWhatItMissedAndFloodsThroughAgain() throws Exception {
        List<Integer> p = HerdProcess.freePorts(5);
        for (int i = 0; i < 5; i++) {
            ports.put(NAMES.get(i), p.get(i));
        }
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(p));
        for (String n : NAMES) {
            startServer(n);
        }
        String first = LineExchange.exchange(ports.get("Welsh"), "IAMAT before.kill +1+1 100\n").strip();
        await().atMost(WAIT).until(() -> first.equals(knownAt("Hands", "before.kill")));

        // Holiday is Welsh's only neighbour: kill it hard
        running.get("Holiday").process.destroyForcibly().waitFor();
        String missed = LineExchange.exchange(ports.get("Goloman"), "IAMAT while.down +2+2 200\n").strip();
        await().atMost(WAIT).until(() -> missed.equals(knownAt("Wilkes", "while.down")));
        assertEquals(null, knownAt("Welsh", "while.down"), "Welsh is cut off while Holiday is dead");
        String island = LineExchange.exchange(ports.get("Welsh"), "IAMAT on.island +3+3 300\n").strip();

        startServer("Holiday");
        await().atMost(WAIT).until(() -> missed.equals(knownAt("Holiday", "while.down")));
        await().atMost(WAIT).until(() -> missed.equals(knownAt("Welsh", "while.down")));
        await().atMost(WAIT).until(() -> island.equals(knownAt("Hands", "on.island")));
        assertEquals(first, knownAt("Holiday", "before.kill"), "the restarted server relearned old reports too");

        String after = LineExchange.exchange(ports.get("Welsh"), "IAMAT after.restart +4+4 400\n").strip();
        await().atMost(WAIT).until(() -> after.equals(knownAt("Goloman", "after.restart")));
        String holidayLog = Files.readString(dir.resolve("logs/Holiday.log"));
        assertTrue(holidayLog.contains("PEER_UP peer/Welsh"), holidayLog);
    }
}
