package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling restart of README "Growing the herd", on five {@code launcher.jar} processes
 * under IAMAT load: each server in turn gets SIGTERM, is started again with the same
 * command, and the next waits until it has relearnt its table from a neighbour. No
 * acknowledged report is lost, and a client is refused a connection only by the server
 * being restarted, only while it restarts.
 */
class RollingRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final Map<String, List<String>> NEIGHBOURS = Map.of("Goloman", List.of("Hands", "Holiday", "Wilkes"),
            "Hands", List.of("Goloman", "Wilkes"), "Holiday", List.of("Goloman", "Welsh", "Wilkes"),
            "Welsh", List.of("Holiday"), "Wilkes", List.of("Goloman", "Hands", "Holiday"));

    @TempDir
    Path dir;
    final Map<String, HerdProcess> running = new LinkedHashMap<>();
    final Map<String, Integer> ports = new LinkedHashMap<>();
    final ConcurrentLinkedQueue<String> acknowledged = new ConcurrentLinkedQueue<>();
    /** Connections refused: server and when (ms). */
    final ConcurrentLinkedQueue<Object[]> refused = new ConcurrentLinkedQueue<>();
    /** Per server, its restart windows: from SIGTERM to its "herd: running" line (ms). */
    final Map<String, List<long[]>> restarts = new LinkedHashMap<>();
    final AtomicReference<Throwable> loadFailed = new AtomicReference<>();

    @AfterEach
    void stopAll() {
        running.values().forEach(HerdProcess::close);
    }

    private void start(String name) throws Exception {
        running.put(name, HerdProcess.startRunning(dir, name));
    }

    private List<String> log(String name) throws IOException {
        return Files.readAllLines(dir.resolve("logs").resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    private long linesWith(String name, String text) throws IOException {
        return log(name).stream().filter(l -> l.contains(text)).count();
    }

    /** Digests from {@code from} that {@code name} answered ({@code INFO - table digest from X: N of 1024 buckets differ}). */
    private long digestsAnswered(String name, String from) throws IOException {
        return log(name).stream().filter(l -> l.contains("INFO - table digest from " + from + ": ")
                && l.endsWith(" buckets differ")).count();
    }

    private String knownAt(String server, String client) throws IOException {
        String reply = LineExchange.exchange(ports.get(server), "WHATSAT " + client + " 1 1\n");
        return reply.startsWith("? ") ? null : reply.lines().findFirst().orElse(null);
    }

    private Thread load(AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            int i = 0;
            try {
                while (!stop.get()) {
                    String server = NAMES.get(ThreadLocalRandom.current().nextInt(NAMES.size()));
                    String client = "roll-" + i++;
                    long ms = System.currentTimeMillis();
                    try {
                        String reply = LineExchange.exchange(ports.get(server), "IAMAT " + client
                                + " +34.068930-118.445127 " + ms / 1000 + "." + String.format("%03d", ms % 1000) + "\n");
                        if (reply.startsWith("AT " + server + " ")) {
                            acknowledged.add(client);
                        } else if (!reply.isEmpty()) { // empty: closed by its server's shutdown, not acknowledged
                            throw new AssertionError(server + " answered " + reply);
                        }
                    } catch (ConnectException e) {
                        refused.add(new Object[] {server, ms});
                    } catch (IOException e) {
                        // reset by a server shutting down: not acknowledged, so nothing to lose
                    }
                    Thread.sleep(10); // the pace of the load, not a wait for anything
                }
            } catch (Throwable e) {
                loadFailed.set(e);
            }
        }, "load");
        t.start();
        return t;
    }

    @Test
    void everyServerRestartedInTurnUnderLoadLosesNoAcknowledgedReport() throws Exception {
        List<Integer> free = HerdProcess.freePorts(5);
        for (int i = 0; i < 5; i++) {
            ports.put(NAMES.get(i), free.get(i));
        }
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(free).replace("\"google\"", "\"offline\""));
        for (String name : NAMES) {
            start(name);
        }
        await().atMost(WAIT).until(() -> linesWith("Welsh", "PEER_UP peer/Holiday") > 0
                && linesWith("Hands", "PEER_UP peer/Wilkes") > 0 && linesWith("Goloman", "PEER_UP peer/Hands") > 0);
        AtomicBoolean stop = new AtomicBoolean();
        Thread loadThread = load(stop);
        await().atMost(WAIT).until(() -> acknowledged.size() >= 50 || loadFailed.get() != null);

        for (String name : NAMES) {
            // the procedure: SIGTERM, start again, and before the next, wait until every
            // neighbour has had its digest (so the restarted server holds all they hold,
            // including what a neighbour acknowledged alone while it was down: Welsh, whose
            // only link is to Holiday, does that while Holiday restarts)
            Map<String, Long> digestsBefore = new LinkedHashMap<>();
            for (String n : NEIGHBOURS.get(name)) {
                digestsBefore.put(n, digestsAnswered(n, name));
            }
            long t0 = System.currentTimeMillis();
            HerdProcess old = running.get(name);
            new ProcessBuilder("kill", "-TERM", Long.toString(old.process.pid())).start().waitFor();
            assertEquals(0, old.waitFor(WAIT), old.err());
            start(name);
            restarts.computeIfAbsent(name, n -> new ArrayList<>()).add(new long[] {t0, System.currentTimeMillis()});
            for (String n : NEIGHBOURS.get(name)) {
                await().atMost(WAIT).until(() -> digestsAnswered(n, name) > digestsBefore.get(n));
            }
        }
        await().atMost(WAIT).until(() -> acknowledged.size() >= 300 || loadFailed.get() != null);
        stop.set(true);
        loadThread.join();
        if (loadFailed.get() != null) {
            throw new AssertionError("the load failed", loadFailed.get());
        }
        for (Object[] r : refused) {
            String server = (String) r[0];
            long at = (long) r[1];
            assertTrue(restarts.get(server).stream().anyMatch(w -> at >= w[0] && at <= w[1]),
                    server + " refused a connection at " + at + " outside its restart " + restarts.get(server));
        }
        List<String> lost = new ArrayList<>();
        for (String client : acknowledged) {
            for (String s : NAMES) {
                if (knownAt(s, client) == null) {
                    lost.add(client + "@" + s);
                }
            }
        }
        assertEquals(List.of(), lost, "acknowledged reports missing (of " + acknowledged.size() + ")");
        System.out.println("rolling restart: " + acknowledged.size() + " reports acknowledged, " + refused.size()
                + " connections refused, each by the server restarting then; none lost");
    }
}
