package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * launcher.jar processes on loopback: five, one SIGKILLed, which misses an update and comes
 * back; two with no secret configured, which link up through the user's cookie file.
 */
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

    private void writeConfig() throws Exception {
        List<Integer> p = HerdProcess.freePorts(5);
        for (int i = 0; i < 5; i++) {
            ports.put(NAMES.get(i), p.get(i));
        }
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(p)); // no "security": the cookie
    }

    @Test
    void twoServersWithNoSecretConfiguredLinkUpThroughTheUsersCookie() throws Exception {
        writeConfig();
        Path cookie = dir.resolve("home").resolve(".herd").resolve("cookie");
        Map<String, String> user = Map.of(HerdProcess.COOKIE_FILE_ENV, cookie.toString());
        // started together, before either listens: one makes the cookie, the other reads it
        for (String name : List.of("Holiday", "Welsh")) {
            running.put(name, HerdProcess.start(dir, user, name, "--config", "herd.json"));
        }
        for (String name : List.of("Holiday", "Welsh")) {
            HerdProcess p = running.get(name);
            await().atMost(WAIT).until(() -> {
                if (!p.process.isAlive()) {
                    throw new AssertionError(name + " exited: " + p.err());
                }
                return HerdProcess.accepts(ports.get(name));
            });
        }
        String at = LineExchange.exchange(ports.get("Welsh"), "IAMAT cookie.client +1+1 1\n").strip();
        await().atMost(WAIT).until(() -> at.equals(knownAt("Holiday", "cookie.client")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie)));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie.getParent())));
        String secret = Files.readString(cookie).strip();
        Path holidayLog = dir.resolve("logs/Holiday.log");
        await().atMost(WAIT).until(() -> Files.readString(holidayLog).contains(" HERD-PEER-PROOF "));
        assertTrue(Files.readString(holidayLog).contains("peer links authenticate with the cookie in " + cookie));

        // a client saying the handshake of old gets nothing, and the link stays
        assertEquals("", LineExchange.exchange(ports.get("Welsh"), "HERD-PEER Holiday Welsh\n"));
        Path welshLog = dir.resolve("logs/Welsh.log");
        await().atMost(WAIT).until(() -> Files.readString(welshLog).contains("did not authenticate"));
        String later = LineExchange.exchange(ports.get("Welsh"), "IAMAT cookie.later +2+2 2\n").strip();
        await().atMost(WAIT).until(() -> later.equals(knownAt("Holiday", "cookie.later")));
        for (Path log : List.of(holidayLog, welshLog)) {
            assertFalse(Files.readString(log).contains(secret), "the cookie never reaches a log");
        }
        for (HerdProcess p : running.values()) {
            assertFalse(p.err().contains(secret) || p.out().contains(secret));
        }
    }

    @Test
    void killedServerRelearnsWhatItMissedAndFloodsThroughAgain() throws Exception {
        writeConfig();
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
