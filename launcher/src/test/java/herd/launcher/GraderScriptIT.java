package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The herd as a course's grading script tries it: five {@code launcher.jar} processes
 * started at once, a fixed half second, then for each of the ten pairs of servers: SIGTERM
 * both, 0.3 s later an IAMAT at a live server, 0.5 s later a WHATSAT at every other live
 * server, which must answer with the AT line when the live servers are still connected by
 * links and {@code ? WHATSAT ...} when they are not; then the pair restarted and on to the
 * next once their ports listen.
 *
 * <p>The fixed waits are the point: they are what such a script does, and what Herd must
 * keep up with (start-up to a listening port, rejoin after a restart, flooding). They are
 * not waits for things to settle: nothing here waits for a link or a flood. Only the
 * start-up step may be retried once, as the issue allows on a loaded machine; the start-up
 * times seen are printed.
 *
 * <p>The servers run as a grader runs them, {@code java -jar launcher.jar NAME} with no
 * other argument: the built-in herd on 127.0.0.1:12010-12014, not free ports from a config
 * file as the other jar tests use. Reading a config file costs start-up time a grader does
 * not pay. When one of those ports is taken on this machine (a herd of one's own running),
 * the test is skipped and says so.
 */
class GraderScriptIT {

    private static final List<String> NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    /** The links of the default herd (SPEC §1). */
    private static final List<List<String>> LINKS = List.of(
            List.of("Goloman", "Hands"), List.of("Goloman", "Holiday"), List.of("Goloman", "Wilkes"),
            List.of("Hands", "Wilkes"), List.of("Holiday", "Welsh"), List.of("Holiday", "Wilkes"));
    private static final Duration PORT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private final Map<String, HerdProcess> running = new LinkedHashMap<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private long lastWorstMillis;

    @AfterEach
    void stopAll() {
        running.values().forEach(HerdProcess::close);
    }

    @Test
    void fiveServersStartedAtOnceThenEveryPairKilledAndRestarted() throws Exception {
        for (int i = 0; i < NAMES.size(); i++) {
            ports.put(NAMES.get(i), 12010 + i);
        }
        for (String name : NAMES) {
            assumeTrue(!ListeningPorts.isListening(ports.get(name)) && !HerdProcess.accepts(ports.get(name)),
                    "port " + ports.get(name) + " of the built-in herd is taken on this machine; grader script skipped");
        }

        long floor = bareJvmFloorMillis();
        System.out.println("grader script: five JVMs that only bind a port, started at once, all listen after "
                + floor + " ms on this machine now");
        if (!startAllAndReportAfterHalfASecond("first try")) {
            stopAll();
            running.clear();
            if (!startAllAndReportAfterHalfASecond("retry")) {
                long worst = lastWorstMillis;
                // The grader's 0.5 s is out of reach of any JVM here when the floor is near it:
                // then Herd is held to twice the machine's floor (it loads a 14 MB jar and an
                // engine; before the early bind it took 5-10 times the floor).
                if (floor < 350 || worst > Math.max(500, floor * 2)) {
                    fail("a server did not answer an IAMAT 0.5 s after start, twice (worst listening " + worst
                            + " ms, bare JVMs " + floor + " ms); see the start-up times printed");
                }
            }
        }

        int round = 0;
        for (int a = 0; a < NAMES.size(); a++) {
            for (int b = a + 1; b < NAMES.size(); b++) {
                killPairReportAndAsk(round++, NAMES.get(a), NAMES.get(b));
            }
        }
        assertEquals(10, round);
    }

    /**
     * Starts all five at once, sleeps 0.5 s, and sends an IAMAT to each. False if any
     * connection is refused (the start-up lost the race); prints every server's time from
     * start to listening port either way.
     */
    private boolean startAllAndReportAfterHalfASecond(String attempt) throws Exception {
        long t0 = System.nanoTime();
        for (String name : NAMES) {
            running.put(name, HerdProcess.start(dir, Map.of(), name));
        }
        Map<String, Long> listeningAt = new java.util.concurrent.ConcurrentHashMap<>();
        Thread watcher = new Thread(() -> { // notes when each port listens, while the script goes on
            long deadline = t0 + PORT_WAIT.toNanos();
            while (listeningAt.size() < NAMES.size() && System.nanoTime() < deadline) {
                for (String name : NAMES) {
                    try {
                        if (!listeningAt.containsKey(name) && ListeningPorts.isListening(ports.get(name))) {
                            listeningAt.put(name, (System.nanoTime() - t0) / 1_000_000);
                        }
                    } catch (IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                LockSupport.parkNanos(5_000_000L);
            }
        }, "grader-port-watcher");
        watcher.start();
        for (long left; (left = t0 + 500_000_000L - System.nanoTime()) > 0; ) {
            LockSupport.parkNanos(left); // the script's sleep(0.5)
        }
        List<String> refused = new ArrayList<>();
        for (String name : NAMES) {
            try {
                String reply = LineExchange.exchange(ports.get(name), "IAMAT start." + name + " +34.068930-118.445127 1520023934.918963997\n");
                assertTrue(reply.startsWith("AT " + name + " "), name + " answered " + reply);
            } catch (ConnectException e) {
                refused.add(name);
            }
        }
        watcher.join(PORT_WAIT.toMillis());
        StringBuilder times = new StringBuilder("grader script, " + attempt + ": start to listening port (ms):");
        for (String name : NAMES) {
            Long ms = listeningAt.get(name);
            times.append(' ').append(name).append(' ').append(ms == null ? "never" : ms.toString());
        }
        lastWorstMillis = listeningAt.size() < NAMES.size() ? Long.MAX_VALUE
                : java.util.Collections.max(listeningAt.values());
        System.out.println(times + (refused.isEmpty() ? "; every server answered at 0.5 s"
                : "; connection refused at 0.5 s by " + String.join(", ", refused)));
        return refused.isEmpty();
    }

    /**
     * Five JVMs that only bind a port ({@link BindOnly}), started at once: this machine's
     * floor for "five Java servers listening", in ms to the last one, right now.
     */
    private long bareJvmFloorMillis() throws Exception {
        List<Integer> free = HerdProcess.freePorts(NAMES.size());
        List<Process> bare = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (int port : free) {
                bare.add(new ProcessBuilder(HerdProcess.javaBinary(), "-cp",
                        Path.of(BindOnly.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString(),
                        BindOnly.class.getName(), Integer.toString(port)).redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start());
            }
            await().atMost(PORT_WAIT).pollInterval(Duration.ofMillis(10)).until(() -> {
                for (int port : free) {
                    if (!ListeningPorts.isListening(port)) {
                        return false;
                    }
                }
                return true;
            });
            return (System.nanoTime() - t0) / 1_000_000;
        } finally {
            for (Process p : bare) {
                p.destroyForcibly();
                p.waitFor();
            }
        }
    }

    private void killPairReportAndAsk(int round, String a, String b) throws Exception {
        running.get(a).process.destroy(); // SIGTERM, as the script's kill does
        running.get(b).process.destroy();
        Thread.sleep(300); // the script's sleep(0.3): a fixed wait under test, not a wait for a condition
        List<String> live = new ArrayList<>(NAMES);
        live.removeAll(List.of(a, b));
        String reporter = live.get(round % live.size());
        String client = "grader." + round + "." + a + "-" + b;
        String iamat = "IAMAT " + client + " +34.068930-118.445127 1520023934.918963997\n";
        String at = LineExchange.exchange(ports.get(reporter), iamat).lines().findFirst().orElse("");
        assertTrue(at.startsWith("AT " + reporter + " "), "round " + round + ": " + reporter + " answered " + at);
        Thread.sleep(500); // the script's sleep(0.5) before asking the others
        Set<String> reached = connected(reporter, live);
        for (String asked : live) {
            if (asked.equals(reporter)) {
                continue;
            }
            String reply = LineExchange.exchange(ports.get(asked), "WHATSAT " + client + " 10 5\n");
            String first = reply.lines().findFirst().orElse("");
            String expected = reached.contains(asked) ? at : "? WHATSAT " + client + " 10 5";
            if (!expected.equals(first)) {
                fail("round " + round + " (" + a + " and " + b + " down): " + asked
                        + (reached.contains(asked) ? " is connected to " + reporter + " through live servers, so it knows "
                        : " is cut off from ") + client + "; expected <" + expected + "> but was <" + first + ">\n"
                        + linkHistory(List.of(reporter, asked), client));
            }
        }
        await().atMost(PORT_WAIT).until(() -> !running.get(a).process.isAlive() && !running.get(b).process.isAlive());
        assertEquals(0, running.get(a).process.exitValue(), a + " after SIGTERM: " + running.get(a).err());
        assertEquals(0, running.get(b).process.exitValue(), b + " after SIGTERM: " + running.get(b).err());
        for (String name : List.of(a, b)) {
            running.put(name, HerdProcess.start(dir, Map.of(), name));
        }
        for (String name : List.of(a, b)) {
            HerdProcess p = running.get(name);
            await().atMost(PORT_WAIT).until(() -> {
                if (!p.process.isAlive()) {
                    throw new AssertionError(name + " exited on restart: " + p.err());
                }
                return ListeningPorts.isListening(ports.get(name));
            });
        }
    }

    /**
     * For a failure's message: what the event logs of {@code servers} say about their links
     * (every peer line but the updates: handshakes, up, down, repairs) and about {@code client}, in time order per server.
     */
    private String linkHistory(List<String> servers, String client) {
        StringBuilder out = new StringBuilder();
        for (String server : servers) {
            out.append(server).append("'s event log, its links and ").append(client).append(":\n");
            try {
                for (String line : Files.readAllLines(dir.resolve("logs").resolve(server + ".log"))) {
                    boolean linkLine = line.contains(" peer/") && !line.contains(" AT ");
                    if (linkLine || line.contains(" SERVER_") || line.contains(" INFO ") || line.contains(client)) {
                        out.append("  ").append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                out.append("  (unreadable: ").append(e).append(")\n");
            }
        }
        return out.toString();
    }

    /** The live servers {@code from} reaches over links between live servers (itself included). */
    private static Set<String> connected(String from, List<String> live) {
        Set<String> seen = new HashSet<>(List.of(from));
        Deque<String> todo = new ArrayDeque<>(List.of(from));
        while (!todo.isEmpty()) {
            String s = todo.pop();
            for (List<String> link : LINKS) {
                int i = link.indexOf(s);
                if (i >= 0) {
                    String other = link.get(1 - i);
                    if (live.contains(other) && seen.add(other)) {
                        todo.push(other);
                    }
                }
            }
        }
        return seen;
    }

    /** Listening TCP ports from {@code /proc/net/tcp{,6}}: no probe connection that a server would count. */
    static final class ListeningPorts {

        private ListeningPorts() {
        }

        static boolean isListening(int port) throws IOException {
            String hex = String.format(":%04X ", port);
            for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
                Path p = Path.of(table);
                if (!Files.exists(p)) {
                    continue;
                }
                for (String line : Files.readAllLines(p)) {
                    if (!line.contains(hex)) {
                        continue; // cheap: this polls while five JVMs start on the same cores
                    }
                    String[] f = line.trim().split("\\s+");
                    // local_address is field 1, st is field 3; 0A is LISTEN
                    if (f.length > 3 && (f[1] + " ").endsWith(hex) && f[3].equals("0A")) {
                        return true;
                    }
                }
            }
            return false;
        }
    }
}
