package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
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
 * Growing and shrinking a herd of {@code launcher.jar} processes by editing its config file
 * and sending SIGHUP (README "Growing the herd"), while clients report all along: a sixth
 * server and two links are added and the sixth learns every client and floods its own; a
 * removed link stays closed; a bad edit is refused and changes nothing; the sixth is removed
 * and exits. No acknowledged report is lost and a client of a server that was never
 * signalled keeps its connection throughout.
 */
class LiveMembershipIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final List<String> FIVE = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final List<String> DEFAULT_LINKS = List.of("Goloman-Hands", "Goloman-Holiday", "Goloman-Wilkes",
            "Hands-Wilkes", "Holiday-Welsh", "Holiday-Wilkes");

    @TempDir
    Path dir;
    final Map<String, HerdProcess> running = new LinkedHashMap<>();
    final Map<String, Integer> ports = new LinkedHashMap<>();
    /** Reports acknowledged by the herd: client id, and the server that acknowledged it. */
    final ConcurrentLinkedQueue<String[]> acknowledged = new ConcurrentLinkedQueue<>();
    final AtomicReference<Throwable> loadFailed = new AtomicReference<>();

    @AfterEach
    void stopAll() {
        running.values().forEach(HerdProcess::close);
    }

    private void writeConfig(List<String> servers, List<String> links) throws IOException {
        StringBuilder b = new StringBuilder("{\"servers\": {");
        for (int i = 0; i < servers.size(); i++) {
            b.append(i > 0 ? ", " : "").append('"').append(servers.get(i)).append("\": {\"host\": \"127.0.0.1\", \"port\": ")
                    .append(ports.get(servers.get(i))).append('}');
        }
        b.append("}, \"links\": [");
        for (int i = 0; i < links.size(); i++) {
            String[] ends = links.get(i).split("-");
            b.append(i > 0 ? ", " : "").append("[\"").append(ends[0]).append("\", \"").append(ends[1]).append("\"]");
        }
        b.append("], \"places\": {\"provider\": \"offline\"}, \"logDir\": \"logs\"}");
        Path tmp = dir.resolve("herd.json.tmp");
        Files.writeString(tmp, b);
        Files.move(tmp, dir.resolve("herd.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    private void start(String name) throws Exception {
        running.put(name, HerdProcess.startRunning(dir, name));
    }

    /** Sends SIGHUP to {@code name} and waits for its one line on stderr about the reload. */
    private String hangUp(String name) throws Exception {
        HerdProcess p = running.get(name);
        long before = p.err().lines().filter(l -> l.startsWith("herd: config")).count();
        Process kill = new ProcessBuilder("kill", "-HUP", Long.toString(p.process.pid())).start();
        assertEquals(0, kill.waitFor());
        try {
            await().atMost(WAIT).until(() -> p.err().lines().filter(l -> l.startsWith("herd: config")).count() > before);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError(name + " said nothing of the reload; its stderr: " + p.err()
                    + "; its log ends: " + log(name).subList(Math.max(0, log(name).size() - 15), log(name).size()), e);
        }
        List<String> lines = p.err().lines().filter(l -> l.startsWith("herd: config")).toList();
        return lines.get(lines.size() - 1);
    }

    private List<String> log(String name) throws IOException {
        return Files.readAllLines(dir.resolve("logs").resolve(name + ".log"), StandardCharsets.UTF_8);
    }

    /** True when {@code name}'s log has a line with {@code kind} and {@code party} whose payload starts with {@code payload}. */
    private boolean logged(String name, String kind, String party, String payload) throws IOException {
        return log(name).stream().anyMatch(l -> {
            String[] f = l.split(" ", 4);
            return f.length >= 3 && f[1].equals(kind) && f[2].equals(party) && (f.length == 4 ? f[3] : "").startsWith(payload);
        });
    }

    private long count(String name, String kind, String party) throws IOException {
        return log(name).stream().filter(l -> {
            String[] f = l.split(" ", 4);
            return f.length >= 3 && f[1].equals(kind) && f[2].equals(party);
        }).count();
    }

    /** The first line of {@code server}'s answer to {@code WHATSAT client}, or null when it does not know it. */
    private String knownAt(String server, String client) throws IOException {
        String reply = LineExchange.exchange(ports.get(server), "WHATSAT " + client + " 1 1\n");
        return reply.startsWith("? ") ? null : reply.lines().findFirst().orElse(null);
    }

    private String iamat(String server, String client) throws IOException {
        return LineExchange.exchange(ports.get(server),
                "IAMAT " + client + " +34.068930-118.445127 " + ClientClockNow.seconds() + "\n");
    }

    /** Reports a new client every 20 ms at a random one of {@code servers}, until {@code stop}. */
    private Thread load(List<String> servers, AtomicBoolean stop) {
        Thread t = new Thread(() -> {
            int i = 0;
            try {
                while (!stop.get()) {
                    String server = servers.get(ThreadLocalRandom.current().nextInt(servers.size()));
                    String client = "load-" + i++;
                    String reply = iamat(server, client);
                    if (!reply.startsWith("AT " + server + " ")) {
                        throw new AssertionError(server + " answered " + reply);
                    }
                    acknowledged.add(new String[] {client, server});
                    Thread.sleep(20); // the pace of the load, not a wait for anything
                }
            } catch (Throwable e) {
                loadFailed.set(e);
            }
        }, "load");
        t.start();
        return t;
    }

    /** The time now as an IAMAT carries it: seconds since the epoch, to the millisecond. */
    private static final class ClientClockNow {
        static String seconds() {
            long ms = System.currentTimeMillis();
            return ms / 1000 + "." + String.format("%03d", ms % 1000);
        }
    }

    @Test
    void aSixthServerJoinsAndLeavesByConfigEditsAndSighupUnderLoad() throws Exception {
        List<Integer> free = HerdProcess.freePorts(6);
        List<String> six = new ArrayList<>(FIVE);
        six.add("Hilo");
        for (int i = 0; i < 6; i++) {
            ports.put(six.get(i), free.get(i));
        }
        writeConfig(FIVE, DEFAULT_LINKS);
        for (String name : FIVE) {
            start(name);
        }
        await().atMost(WAIT).until(() -> count("Welsh", "PEER_UP", "peer/Holiday") > 0
                && count("Hands", "PEER_UP", "peer/Wilkes") > 0 && count("Goloman", "PEER_UP", "peer/Hands") > 0);
        // a client of Hands, which is never signalled, keeps one connection throughout
        try (Socket handsClient = new Socket("127.0.0.1", ports.get("Hands"))) {
            handsClient.setSoTimeout(10_000);
            BufferedReader handsIn = new BufferedReader(new InputStreamReader(handsClient.getInputStream(), StandardCharsets.US_ASCII));
            OutputStream handsOut = handsClient.getOutputStream();
            handsOut.write("IAMAT steady +1+1 1520023934.1\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(handsIn.readLine().startsWith("AT Hands "));

            AtomicBoolean stop = new AtomicBoolean();
            Thread loadThread = load(FIVE, stop);
            await().atMost(WAIT).until(() -> {
                if (loadFailed.get() != null) {
                    throw new AssertionError("the load failed", loadFailed.get());
                }
                return acknowledged.size() >= 50;
            });

            // 1. Hilo joins, linked with Welsh and Goloman: it starts first, then its two neighbours get SIGHUP
            List<String> grown = new ArrayList<>(DEFAULT_LINKS);
            grown.addAll(List.of("Hilo-Welsh", "Goloman-Hilo"));
            writeConfig(six, grown);
            start("Hilo");
            assertEquals("herd: config herd.json reloaded: Welsh: servers +Hilo; links +Hilo", hangUp("Welsh"));
            assertEquals("herd: config herd.json reloaded: Goloman: servers +Hilo; links +Hilo", hangUp("Goloman"));
            await().atMost(WAIT).until(() -> count("Hilo", "PEER_UP", "peer/Welsh") > 0
                    && count("Hilo", "PEER_UP", "peer/Goloman") > 0);
            assertTrue(logged("Welsh", "CONFIG_RELOADED", "-", "servers +Hilo; links +Hilo"));
            // it learns the clients reported before it joined, through table repair
            String early = acknowledged.peek()[0];
            await().atMost(WAIT).until(() -> knownAt("Hilo", early) != null);
            // and its own reports reach every server, Hands (three hops) included
            assertTrue(iamat("Hilo", "from-hilo").startsWith("AT Hilo "));
            for (String s : FIVE) {
                await().atMost(WAIT).until(() -> knownAt(s, "from-hilo") != null);
            }

            // 2. the link Goloman-Hands is removed: closed at both ends, never redialled
            List<String> fewer = new ArrayList<>(grown);
            fewer.remove("Goloman-Hands");
            writeConfig(six, fewer);
            assertEquals("herd: config herd.json reloaded: Goloman: links -Hands", hangUp("Goloman"));
            // Hands was not told of Hilo before: it hears of it now
            assertEquals("herd: config herd.json reloaded: Hands: servers +Hilo; links -Goloman", hangUp("Hands"));
            await().atMost(WAIT).until(() -> logged("Goloman", "PEER_DOWN", "peer/Hands", "link removed from the config"));
            long upsBefore = count("Goloman", "PEER_UP", "peer/Hands");

            // 3. a bad edit is refused and changes nothing
            Files.writeString(dir.resolve("herd.json"), "{\"servers\": {\"Welsh\": {\"port\": 1}}, \"colour\": 1}");
            String refused = hangUp("Welsh");
            assertTrue(refused.startsWith("herd: config reload refused, the running config stays: herd.json:1:")
                    && refused.endsWith(": unknown key \"colour\" in the top level (allowed: servers, links, places,"
                    + " limits, security, logDir, log)"), refused);
            assertTrue(logged("Welsh", "ERROR", "-", "config reload refused, the running config stays: herd.json:1:"));
            assertTrue(iamat("Hilo", "after-bad-edit").startsWith("AT Hilo "));
            await().atMost(WAIT).until(() -> knownAt("Welsh", "after-bad-edit") != null);

            // 4. Hilo leaves: its process stops (exit 0), its neighbours close their links for good
            writeConfig(FIVE, fewer.stream().filter(l -> !l.contains("Hilo")).toList());
            HerdProcess hilo = running.get("Hilo");
            new ProcessBuilder("kill", "-HUP", Long.toString(hilo.process.pid())).start().waitFor();
            assertEquals(0, hilo.waitFor(WAIT), hilo.err());
            assertTrue(hilo.err().contains("herd: no server of this process is in the config any more; stopping"), hilo.err());
            assertEquals("herd: config herd.json reloaded: Welsh: servers -Hilo; links -Hilo", hangUp("Welsh"));
            assertEquals("herd: config herd.json reloaded: Goloman: servers -Hilo; links -Hilo", hangUp("Goloman"));

            stop.set(true);
            loadThread.join();
            if (loadFailed.get() != null) {
                throw new AssertionError("the load failed", loadFailed.get());
            }
            // every acknowledged report is at every server left
            for (String[] ack : acknowledged) {
                for (String s : FIVE) {
                    await().atMost(WAIT).until(() -> knownAt(s, ack[0]) != null);
                }
            }
            assertEquals(upsBefore, count("Goloman", "PEER_UP", "peer/Hands"), "the removed link never came back");
            assertFalse(logged("Hands", "CLOSE", "client/127.0.0.1:" + handsClient.getLocalPort(), ""),
                    "Hands' client was never disconnected");
            handsOut.write("IAMAT steady +1+1 1520023934.2\n".getBytes(StandardCharsets.US_ASCII));
            assertTrue(handsIn.readLine().startsWith("AT Hands "), "the same connection still answers");
            assertTrue(acknowledged.size() > 100, acknowledged.size() + " reports acknowledged under the changes");
        }
    }
}
