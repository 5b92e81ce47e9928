package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.PlacesSettings;
import herd.engine.testing.FakePeer;
import herd.engine.testing.Heartbeats;
import herd.engine.testing.RecordedEvents;
import herd.engine.testing.TestHerds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A neighbour that reads slower than a server floods gets each client's newest report,
 * not every report: past a small write queue, a link keeps at most one waiting update per
 * client. So the link's backlog is bounded by the clients, the link is not dropped, and
 * nothing is lost. Checked against the mutation "every update goes to the queue at once".
 */
class CoalescingTest {

    private static final int CLIENTS = 100;
    private static final int UPDATES = 100;
    private static final String PAD = "x".repeat(1000);

    @TempDir
    Path logs;

    @Test
    void aNeighbourThatFallsBehindGetsTheNewestOfEachClientOverALinkThatStaysUp() throws Exception {
        // 10 MB of updates against a 1 MiB peer queue limit: without coalescing the link is dropped
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"))
                .withLimits(new Limits(64 * 1024, 64L << 20, 1L << 20, 600, 100, 2000, 30, 24, 3600, 30, 1024)); // ids up to 2000 bytes: PAD
        RecordedEvents recorded = new RecordedEvents();
        try (Herd herd = recorded.start(config, List.of("Hands"), Map.of());
             Socket goloman = new Socket()) {
            int port = TestHerds.port(herd, "Hands");
            goloman.setReceiveBufferSize(4096);
            goloman.connect(new InetSocketAddress("127.0.0.1", port));
            FakePeer.handshake(goloman, "Goloman", "Hands", TestHerds.cookie());
            await().atMost(Duration.ofSeconds(10)).until(() -> herd.server("Hands").linkStates().get("Goloman") == LinkState.UP);
            Heartbeats alive = Heartbeats.start(goloman);

            try (Socket client = new Socket("127.0.0.1", port)) {
                OutputStream out = client.getOutputStream();
                BufferedReader replies = new BufferedReader(new InputStreamReader(client.getInputStream(), StandardCharsets.UTF_8));
                for (int t = 1; t <= UPDATES; t++) {
                    StringBuilder round = new StringBuilder();
                    for (int c = 0; c < CLIENTS; c++) {
                        round.append("IAMAT c").append(c).append(PAD).append(" +1+1 ").append(t).append('\n');
                    }
                    out.write(round.toString().getBytes(StandardCharsets.UTF_8));
                    for (int c = 0; c < CLIENTS; c++) {
                        assertTrue(replies.readLine().startsWith("AT Hands "));
                    }
                }
            }
            assertEquals(LinkState.UP, herd.server("Hands").linkStates().get("Goloman"), "the slow neighbour's link is up");

            // Goloman reads at last: the newest report of every client arrives, and far fewer than all
            Map<String, Integer> newest = new ConcurrentHashMap<>();
            AtomicInteger received = new AtomicInteger();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(goloman.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = in.readLine()) != null; ) {
                        if (line.startsWith("AT ")) {
                            String[] f = line.split(" ");
                            received.incrementAndGet();
                            newest.merge(f[3], Integer.parseInt(f[5]), Math::max);
                        }
                    }
                } catch (java.io.IOException e) {
                    // closed at the end of the test
                }
            }, "slow-goloman");
            reader.setDaemon(true);
            reader.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> newest.size() == CLIENTS
                    && newest.values().stream().allMatch(t -> t == UPDATES));
            alive.stop();
            assertTrue(received.get() < CLIENTS * UPDATES / 2,
                    received.get() + " updates crossed the link for " + CLIENTS * UPDATES + " reports: not coalesced");
            assertEquals(LinkState.UP, herd.server("Hands").linkStates().get("Goloman"));
        }
    }
}
