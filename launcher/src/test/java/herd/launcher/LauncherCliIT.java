package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The real jar's command line: help, refusals with exit codes, and a clean SIGTERM shutdown. */
class LauncherCliIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    @Test
    void helpPrintsUsage() throws Exception {
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--help")) {
            assertEquals(0, p.waitFor(LIMIT));
            assertTrue(p.out().contains("usage: java -jar launcher.jar NAME [--config FILE]"), p.out());
        }
    }

    @Test
    void unknownServerNameListsValidNamesAndExits2() throws Exception {
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "Nobody")) {
            assertEquals(2, p.waitFor(LIMIT));
            assertEquals("herd: unknown server \"Nobody\"; valid names: Goloman, Hands, Holiday, Welsh, Wilkes\n", p.err());
        }
    }

    @Test
    void badConfigIsOneLineAndExits2() throws Exception {
        Files.writeString(dir.resolve("bad.json"), "{\"servers\": {\"A\": {\"port\": 1}}, \"colour\": \"red\"}");
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--herd", "--config", "bad.json")) {
            assertEquals(2, p.waitFor(LIMIT));
            assertEquals("herd: config bad.json: unknown key \"colour\" in top level (allowed: servers, links, places, limits, security, logDir)\n",
                    p.err());
        }
    }

    @Test
    void portInUseIsOneLineAndExits1() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(5);
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(ports));
        try (ServerSocket taken = new ServerSocket(ports.get(3), 50, InetAddress.getByName("127.0.0.1"));
             HerdProcess p = HerdProcess.start(dir, Map.of(), "Welsh", "--config", "herd.json")) {
            assertEquals(1, p.waitFor(LIMIT));
            assertEquals("herd: Welsh: cannot listen on 127.0.0.1:" + ports.get(3) + ": address already in use\n", p.err());
        }
    }

    @Test
    void sigtermShutsTheHerdDownCleanly() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(5);
        Files.writeString(dir.resolve("herd.json"), HerdProcess.config(ports));
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--herd", "--config", "herd.json")) {
            await().atMost(LIMIT).until(() -> ports.stream().allMatch(HerdProcess::accepts));
            assertTrue(LineExchange.exchange(ports.get(0), "IAMAT a +1+1 1\n").startsWith("AT Goloman "));
            p.process.destroy(); // SIGTERM
            int code = p.waitFor(LIMIT);
            assertTrue(code == 0 || code == 143, "exit " + code);
            for (String name : List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes")) {
                // connections still closing may log after it; the point is that it was written out
                String log = Files.readString(dir.resolve("logs/" + name + ".log"));
                assertTrue(log.contains(" SERVER_DOWN - taken down\n"), name + ": " + log);
            }
            assertTrue(ports.stream().noneMatch(HerdProcess::accepts), "ports released");
        }
    }

    @Test
    void guiModeSaysItIsNotAvailableYet() throws Exception {
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--gui")) {
            assertEquals(2, p.waitFor(LIMIT));
            assertTrue(p.err().contains("--gui is not available yet"), p.err());
        }
    }
}
