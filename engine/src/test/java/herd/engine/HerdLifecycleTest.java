package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.LogSettings;
import herd.engine.config.PlacesSettings;
import herd.engine.config.ServerSpec;
import herd.engine.testing.LineClient;
import herd.engine.testing.TestHerds;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Starting, stopping and failing to start, and what a herd without a Places key answers. */
class HerdLifecycleTest {

    @TempDir
    Path logs;

    private static Set<String> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive)
                .filter(t -> !t.getName().startsWith("awaitility")) // the poller's own thread
                .map(t -> t.getName() + "#" + t.getId()).collect(Collectors.toSet());
    }

    /**
     * A port bound early (as the launcher does before the engine loads) takes connections at
     * once; a client that connected and wrote before the server ran is answered once it runs,
     * on that same socket.
     */
    @Test
    void aServerAdoptsItsEarlyBoundPortAndAnswersWhoConnectedBeforeItRan() throws Exception {
        int port = EarlyListeners.bind("Welsh", "127.0.0.1", 0, Limits.defaults().acceptBacklog());
        HerdConfig base = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000);
        java.util.List<Integer> ports = new java.util.ArrayList<>(java.util.Collections.nCopies(base.servers().size(), 0));
        ports.set(base.serverNames().indexOf("Welsh"), port);
        HerdConfig config = base.withPorts(ports);
        try (LineClient early = new LineClient(port)) { // accepted by the kernel, no server yet
            early.send("IAMAT early +1+1 1\n");
            try (Herd herd = Herd.start(config, List.of("Welsh"), Map.of())) {
                assertTrue(early.readLine().startsWith("AT Welsh "), "answered once the server runs");
                assertEquals(port, TestHerds.port(herd, "Welsh"));
            }
        } finally {
            EarlyListeners.closeAll();
        }
    }

    @Test
    void startingAndStoppingTwentyTimesLeaksNoThreadAndFreesPorts() throws Exception {
        HerdConfig config = TestHerds.configOnFreePorts(logs, "http://127.0.0.1:9/x", 1000);
        try (Herd warm = Herd.start(config, config.serverNames(), Map.of())) {
            LineClient.exchange(TestHerds.port(warm, "Welsh"), "IAMAT a +1+1 1\n");
        }
        Set<String> before = liveThreads();
        for (int i = 0; i < 20; i++) {
            try (Herd herd = Herd.start(config, config.serverNames(), Map.of())) {
                await().atMost(Duration.ofSeconds(10)).until(() -> herd.server("Welsh").linkStates()
                        .get("Holiday") == LinkState.UP);
                LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT a +1+1 " + (i + 2) + "\n");
            }
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            Set<String> extra = liveThreads();
            extra.removeAll(before);
            assertEquals(Set.of(), extra, "threads left behind");
        });
        for (ServerSpec s : config.servers()) {
            try (ServerSocket free = new ServerSocket(s.port(), 50, java.net.InetAddress.getByName(s.host()))) {
                assertEquals(s.port(), free.getLocalPort());
            }
        }
    }

    @Test
    void portInUseIsOneLineNamingServerAndAddress() throws Exception {
        HerdConfig config = TestHerds.configOnFreePorts(logs, "http://127.0.0.1:9/x", 1000);
        ServerSpec welsh = config.server("Welsh").orElseThrow();
        try (ServerSocket taken = new ServerSocket(welsh.port(), 50, java.net.InetAddress.getByName(welsh.host()))) {
            HerdStartException e = assertThrows(HerdStartException.class,
                    () -> Herd.start(config, config.serverNames(), Map.of()));
            assertEquals("Welsh: cannot listen on 127.0.0.1:" + welsh.port() + ": address already in use", e.getMessage());
        }
        // the servers that had started were stopped again: their ports are free
        ServerSpec goloman = config.server("Goloman").orElseThrow();
        try (ServerSocket free = new ServerSocket(goloman.port(), 50, java.net.InetAddress.getByName(goloman.host()))) {
            assertTrue(free.isBound());
        }
    }

    @Test
    void googleWithoutAKeyAnswersRequestDeniedNamingTheVariable() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("google").withKeyEnv("HERD_NO_SUCH_KEY"));
        try (Herd herd = Herd.start(config, List.of("Welsh"), Map.of())) {
            int port = TestHerds.port(herd, "Welsh");
            String at = LineClient.exchange(port, "IAMAT k +1+1 1\n").strip();
            String reply = LineClient.exchange(port, "WHATSAT k 10 5\n");
            assertEquals(at + "\n" + """
                    {
                       "html_attributions" : [],
                       "results" : [],
                       "status" : "REQUEST_DENIED",
                       "error_message" : "no Places API key: set the environment variable HERD_NO_SUCH_KEY and restart the server"
                    }

                    """, reply);
            assertTrue(herd.placesDescription().contains("HERD_NO_SUCH_KEY"));
        }
        assertTrue(Files.readString(logs.resolve("Welsh.log")).contains("INFO - config "));
    }

    @Test
    void keyNeverAppearsInLogsEvenWhenPlacesIsUnreachable() throws Exception {
        String key = "very-secret-key-42";
        int closedPort = TestHerds.freePorts(1).get(0);
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:" + closedPort + "/x", 1000);
        try (Herd herd = Herd.start(config, List.of("Hands"), Map.of("HERD_TEST_KEY", key))) {
            int port = TestHerds.port(herd, "Hands");
            LineClient.exchange(port, "IAMAT k +1+1 1\n");
            String reply = LineClient.exchange(port, "WHATSAT k 10 5\n");
            assertTrue(reply.contains("\"status\" : \"UNKNOWN_ERROR\""), reply);
            assertTrue(reply.contains("cannot reach Places"), reply);
            assertTrue(!reply.contains(key), reply);
            assertTrue(!herd.placesDescription().contains(key));
        }
        assertTrue(!Files.readString(logs.resolve("Hands.log")).contains(key));
    }

    /** The config's {@code log} section reaches the writer: the server's log rotates at its size and keeps its files. */
    @Test
    void theEventLogRotatesAtTheConfiguredSizeAndKeepsTheConfiguredFiles() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000).withLog(new LogSettings(4096, 2));
        try (Herd herd = Herd.start(config, List.of("Welsh"), Map.of())) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 100; i++) { // an IN and an OUT line of about 110 bytes each: 22 KB of log
                lines.append("IAMAT rotating-").append(i).append(" +34.068930-118.445127 ").append(i + 1).append('\n');
            }
            String replies = LineClient.exchange(TestHerds.port(herd, "Welsh"), lines.toString());
            assertEquals(100, replies.lines().count());
        }
        List<String> names;
        try (var listing = Files.list(logs)) {
            names = listing.map(p -> p.getFileName().toString()).filter(n -> n.startsWith("Welsh.log")).sorted().toList();
        }
        assertEquals(List.of("Welsh.log", "Welsh.log.1"), names);
        assertTrue(Files.size(logs.resolve("Welsh.log")) <= 4096 && Files.size(logs.resolve("Welsh.log.1")) <= 4096);
        assertTrue(Files.readString(logs.resolve("Welsh.log")).contains(" SERVER_DOWN - "), "the last lines are in Welsh.log");
    }

    /** An operator's take-down and a clean stop read differently in the log, so a reader can tell a drill from the end. */
    @Test
    void aTakeDownSaysTakenDownAndACleanStopSaysStopped() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000);
        try (Herd herd = Herd.start(config, List.of("Welsh"), Map.of())) {
            herd.server("Welsh").takeDown();
            herd.server("Welsh").bringUp();
        }
        List<String> down = Files.readAllLines(logs.resolve("Welsh.log")).stream().filter(l -> l.contains(" SERVER_DOWN "))
                .map(l -> l.substring(l.indexOf(" SERVER_DOWN "))).toList();
        assertEquals(List.of(" SERVER_DOWN - taken down", " SERVER_DOWN - stopped"), down);
    }

    @Test
    void singleServerOfAHerdRunsAlone() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000);
        try (Herd herd = Herd.start(config, List.of("Holiday"), Map.of())) {
            assertEquals(1, herd.servers().size());
            assertEquals(Map.of("Goloman", LinkState.WAITING, "Welsh", LinkState.DIALING, "Wilkes", LinkState.DIALING),
                    herd.server("Holiday").linkStates());
        }
    }
}
