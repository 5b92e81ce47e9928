package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.PlacesSettings;
import herd.engine.testing.FakePeer;
import herd.engine.testing.Heartbeats;
import herd.engine.testing.LineClient;
import herd.engine.testing.RecordedEvents;
import herd.engine.testing.TestHerds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Slow and stuck parties, idle clients and the connection cap: bounded, logged, harmless to others. */
class HerdLimitsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    final RecordedEvents recorded = new RecordedEvents();
    final List<HerdEvent> events = recorded.all();

    private Herd start(Limits limits, List<String> names) throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline")).withLimits(limits);
        return recorded.start(config, names, Map.of());
    }

    /** A connection with a tiny receive buffer, so that a server's replies back up quickly. */
    private static Socket stubbornReader(int port) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.connect(new InetSocketAddress("127.0.0.1", port));
        return s;
    }

    private boolean closedWith(String server, String reasonPart) {
        return recorded.closedWith(server, reasonPart);
    }

    @Test
    void clientThatNeverReadsIsDroppedAndOthersAreStillServed() throws Exception {
        Limits limits = new Limits(64 * 1024, 64 * 1024, 16L << 20, 600, 100);
        try (Herd herd = start(limits, List.of("Hands"))) {
            int port = TestHerds.port(herd, "Hands");
            LineClient.exchange(port, "IAMAT paris +48.8566+2.3522 1\n");
            try (Socket stuck = stubbornReader(port)) {
                byte[] ask = "WHATSAT paris 50 20\n".repeat(100).getBytes(StandardCharsets.UTF_8);
                for (int i = 0; i < 40 && !closedWith("Hands", "client is not reading"); i++) {
                    stuck.getOutputStream().write(ask); // about 4 KB of reply per line, never read
                    assertTrue(LineClient.exchange(port, "IAMAT other +1+1 " + (i + 1) + "\n").startsWith("AT Hands "),
                            "another client is answered while one is stuck");
                }
                await().atMost(WAIT).until(() -> closedWith("Hands", "client is not reading: more than 65536 bytes queued"));
            } catch (IOException resetByServer) {
                // the server dropped the connection while we were still writing: that is the point
            }
            await().atMost(WAIT).until(() -> closedWith("Hands", "client is not reading"));
            assertTrue(herd.server("Hands").stats().clientsOpen() <= 1);
        }
    }

    @Test
    void peerThatNeverReadsIsDroppedWithALogLine() throws Exception {
        // A queue limit the flood never reaches (updates past the watermark wait, coalesced):
        // the peer is dropped because it reads nothing for 5 s. Ids up to 2000 bytes: the flood's are long.
        Limits limits = new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 100, 2000, 30, 24, 3600, 30, 1024);
        try (Herd herd = start(limits, List.of("Hands"))) {
            int port = TestHerds.port(herd, "Hands");
            try (Socket fakeGoloman = stubbornReader(port)) {
                FakePeer.handshake(fakeGoloman, "Goloman", "Hands", TestHerds.cookie());
                await().atMost(WAIT).until(() -> herd.server("Hands").linkStates().get("Goloman") == LinkState.UP);
                Heartbeats alive = Heartbeats.start(fakeGoloman); // alive, so only not reading can drop it
                // long ids, so the flood outgrows the kernel's socket buffers and the queue's watermark
                String pad = "x".repeat(1000);
                for (int batch = 0; batch < 100 && herd.server("Hands").linkStates().get("Goloman") == LinkState.UP; batch++) {
                    StringBuilder flood = new StringBuilder();
                    for (int i = 0; i < 500; i++) {
                        flood.append("IAMAT flood-").append(batch).append('-').append(i).append(pad).append(" +1+1 1\n");
                    }
                    String replies = LineClient.exchange(port, flood.toString());
                    assertEquals(500, replies.lines().count(), "clients are answered while the peer is stuck");
                }
                await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof HerdEvent.LinkDown d
                        && d.peer().equals("Goloman") && d.reason().startsWith("peer Goloman is not reading: nothing read for 5 s")));
                assertEquals(LinkState.WAITING, herd.server("Hands").linkStates().get("Goloman"));
                alive.stop();
            }
        }
    }

    @Test
    void farFutureUpdateFromAPeerIsSkippedAndLoggedAndTheLinkStays() throws Exception {
        // A neighbour with a looser maxClockSkewSeconds, or an older version, must not pin a client here.
        try (Herd herd = start(Limits.defaults(), List.of("Hands"))) {
            int port = TestHerds.port(herd, "Hands");
            try (Socket fakeGoloman = fakeGolomanLinkedTo(herd)) {
                var out = fakeGoloman.getOutputStream();
                out.write(("AT Goloman +0.000000000 pin +1+1 99999999999.0\n"
                        + "AT Goloman +0.000000000 marker +1+1 5\n").getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT).until(() -> herd.server("Hands").location("marker").isPresent());
                assertTrue(herd.server("Hands").location("pin").isEmpty(), "not stored");
                assertTrue(events.stream().anyMatch(e -> e instanceof HerdEvent.Notice n && n.text().equals(
                        "skipped an update from peer Goloman: client time more than 3600 s ahead of this server's clock")));
                assertEquals(LinkState.UP, herd.server("Hands").linkStates().get("Goloman"), "one bad record never drops a link");
                String now = System.currentTimeMillis() / 1000 + ".5";
                assertTrue(LineClient.exchange(port, "IAMAT pin +2+2 " + now + "\n").startsWith("AT Hands "));
                assertEquals(now, herd.server("Hands").location("pin").orElseThrow().clientTime());
            }
        }
    }

    @Test
    void idleClientIsClosedWithALogLine() throws Exception {
        // That idle peer links stay up is pinned by IdleRuleTest: heartbeats keep a live link
        // busy, so no herd-level check could see a rule that idled peers out.
        Limits limits = new Limits(64 * 1024, 4L << 20, 16L << 20, 1, 100);
        try (Herd herd = start(limits, List.of("Welsh"))) {
            try (Socket idle = new Socket("127.0.0.1", TestHerds.port(herd, "Welsh"))) {
                idle.setSoTimeout(10_000);
                assertEquals(-1, idle.getInputStream().read(), "closed by the server, nothing sent");
            }
            await().atMost(WAIT).until(() -> closedWith("Welsh", "idle for 1 s"));
        }
    }

    @Test
    void clientTricklingALineIsClosedAtTheLineDeadlineWhileOthersAreUnaffected() throws Exception {
        Limits limits = new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 100, 256, 30, 24, 3600, 1, 1024);
        ScheduledExecutorService ticks = Executors.newSingleThreadScheduledExecutor();
        try (Herd herd = start(limits, List.of("Welsh"))) {
            int port = TestHerds.port(herd, "Welsh");
            try (Socket slow = new Socket("127.0.0.1", port); Socket idle = new Socket("127.0.0.1", port);
                 LineClient steady = new LineClient(port)) {
                slow.setSoTimeout(10_000);
                steady.send("IAMAT steady +1+1");
                AtomicInteger sent = new AtomicInteger();
                AtomicBoolean steadyFailed = new AtomicBoolean();
                long t0 = System.nanoTime();
                // Every 200 ms: one byte of a line that never ends (never idle, never a line), and
                // the end of steady's line with the start of its next (each line done in 200 ms,
                // yet every read ends inside one).
                ticks.scheduleAtFixedRate(() -> {
                    try {
                        slow.getOutputStream().write('x');
                    } catch (IOException closedByServer) {
                        // the point of the test
                    }
                    try {
                        steady.send(" " + sent.incrementAndGet() + "\nIAMAT steady +1+1");
                    } catch (IOException e) {
                        steadyFailed.set(true);
                    }
                }, 0, 200, TimeUnit.MILLISECONDS);
                assertEquals(-1, slow.getInputStream().read(), "closed by the server, nothing sent back");
                long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                assertTrue(tookMs >= 1000, "not before the deadline: " + tookMs + " ms");
                await().atMost(WAIT).until(() -> closedWith("Welsh", "line not completed within 1 s"));
                ticks.shutdown();
                assertTrue(ticks.awaitTermination(5, TimeUnit.SECONDS));
                assertFalse(steadyFailed.get(), "steady could always write");
                steady.send(" 0\n");
                for (int i = 0; i <= sent.get(); i++) {
                    String reply = steady.readLine();
                    assertTrue(reply.startsWith("AT Welsh +") && reply.endsWith(" steady +1+1 " + (i == sent.get() ? 0 : i + 1)),
                            "every steady line answered: " + reply);
                }
                // Completed lines leave nothing pending: neither client is closed past the deadline.
                await().during(Duration.ofMillis(1500)).atMost(WAIT).until(() -> events.stream().filter(e ->
                        e instanceof HerdEvent.ConnectionClosed c && c.reason().contains("line not completed")).count() == 1);
                assertTrue(LineClient.exchange(port, "IAMAT other +1+1 1\n").startsWith("AT Welsh "));
                idle.getOutputStream().write("IAMAT idle +1+1 1\n".getBytes(StandardCharsets.UTF_8));
                idle.setSoTimeout(10_000);
                assertEquals('A', idle.getInputStream().read(), "an idle connection is not a slow line");
            } finally {
                ticks.shutdownNow();
            }
        }
    }

    /**
     * A burst of connects while nothing accepts (an early-bound port before its server runs):
     * the kernel completes each connection and holds it in the backlog. With the backlog at
     * MINA's old 50, the SYN of the 52nd is dropped and its connect waits for the SYN's
     * retransmission a second later, so this fails: checked with the backlog set to 50.
     * The kernel caps every backlog at net.core.somaxconn (4096 on Linux 5.4 and later).
     */
    @Test
    void aBurstOfAThousandConnectsCompletesAtOnceBeforeAnyIsAccepted() throws Exception {
        int somaxconn = Integer.parseInt(Files.readAllLines(Path.of("/proc/sys/net/core/somaxconn")).get(0).strip());
        assertTrue(somaxconn >= 1024, "net.core.somaxconn is " + somaxconn + ": the kernel caps any backlog there; raise it");
        int burst = 1000;
        int port = EarlyListeners.bind("Welsh", "127.0.0.1", 0, Limits.defaults().acceptBacklog());
        List<SocketChannel> channels = new ArrayList<>();
        try (Selector selector = Selector.open()) {
            AtomicInteger connected = new AtomicInteger();
            for (int i = 0; i < burst; i++) {
                SocketChannel ch = SocketChannel.open();
                channels.add(ch);
                ch.configureBlocking(false);
                if (ch.connect(new InetSocketAddress("127.0.0.1", port))) {
                    connected.incrementAndGet();
                } else {
                    ch.register(selector, SelectionKey.OP_CONNECT);
                }
            }
            // Well before the first SYN retransmission (1 s): no SYN was dropped.
            await().atMost(Duration.ofMillis(900)).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(10)).until(() -> {
                selector.selectNow();
                for (SelectionKey k : selector.selectedKeys()) {
                    if (((SocketChannel) k.channel()).finishConnect()) {
                        connected.incrementAndGet();
                        k.cancel();
                    }
                }
                selector.selectedKeys().clear();
                return connected.get() == burst;
            });
        } finally {
            for (SocketChannel ch : channels) {
                ch.close();
            }
            EarlyListeners.closeAll();
        }
    }

    @Test
    void theServersAcceptorBindsWithTheConfiguredBacklog() throws Exception {
        Limits limits = new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 100, 256, 30, 24, 3600, 30, 2048);
        try (Herd herd = start(limits, List.of("Welsh"))) {
            assertEquals(2048, herd.server("Welsh").acceptBacklog());
        }
        assertEquals(1024, Limits.defaults().acceptBacklog());
    }

    @Test
    void connectionsBeyondTheCapAreRefusedAndTheCapFreesUp() throws Exception {
        Limits limits = new Limits(64 * 1024, 4L << 20, 16L << 20, 600, 2);
        try (Herd herd = start(limits, List.of("Welsh"))) {
            int port = TestHerds.port(herd, "Welsh");
            try (LineClient a = new LineClient(port); LineClient b = new LineClient(port)) {
                a.send("IAMAT a +1+1 1\n");
                assertTrue(a.readLine().startsWith("AT Welsh"));
                b.send("IAMAT b +1+1 1\n");
                assertTrue(b.readLine().startsWith("AT Welsh"));
                assertEquals("", LineClient.exchange(port, "IAMAT c +1+1 1\n"), "the third client gets nothing and is closed");
                await().atMost(WAIT).until(() -> closedWith("Welsh", "refused: 2 client connections already open (limits.maxClients)"));
            }
            await().atMost(WAIT).until(() -> herd.server("Welsh").stats().clientsOpen() == 0);
            assertTrue(LineClient.exchange(port, "IAMAT d +1+1 1\n").startsWith("AT Welsh"), "room again");
        }
    }

    private boolean anyLinkDown() {
        return events.stream().anyMatch(e -> e instanceof HerdEvent.LinkDown);
    }

    @Test
    void anIamatOfAFullLineIsRefusedAndTheHerdStaysLinked() throws Exception {
        List<String> all = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
        try (Herd herd = start(Limits.defaults(), all)) {
            await().atMost(WAIT).until(() -> herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
            // 65,535 bytes each: within the line limit, but their AT lines would not be
            String longId = "IAMAT " + "i".repeat(65_535 - 6 - 7) + " +1+1 1";
            String longTime = "IAMAT kiwi +1+1 " + "1".repeat(65_535 - 16);
            assertEquals(65_535, longId.length());
            assertEquals(65_535, longTime.length());
            int goloman = TestHerds.port(herd, "Goloman");
            assertEquals("? " + longId + "\n? " + longTime + "\n",
                    LineClient.exchange(goloman, longId + "\n" + longTime + "\n"));
            assertTrue(LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT later +2+2 2\n").startsWith("AT Welsh "));
            await().atMost(WAIT).until(() -> herd.servers().stream().allMatch(s -> s.location("later").isPresent()));
            assertTrue(herd.servers().stream().allMatch(s -> s.locations().size() == 1), recorded.dump());
            assertTrue(herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
            assertTrue(!anyLinkDown(), recorded.dump());
        }
    }

    /** A socket that completes the handshake as Goloman with the herd's Hands, once Hands has the link up. */
    private static Socket fakeGolomanLinkedTo(Herd herd) throws Exception {
        Socket s = new Socket("127.0.0.1", TestHerds.port(herd, "Hands"));
        FakePeer.handshake(s, "Goloman", "Hands", TestHerds.cookie());
        await().atMost(WAIT).until(() -> herd.server("Hands").linkStates().get("Goloman") == LinkState.UP);
        return s;
    }

    @Test
    void aPeerRecordThisServerCannotTakeIsSkippedAndTheLinkStays() throws Exception {
        try (Herd herd = start(Limits.defaults(), List.of("Hands"))) {
            try (Socket fakeGoloman = fakeGolomanLinkedTo(herd)) {
                var out = fakeGoloman.getOutputStream();
                String diff = " +0.000000001 ";
                out.write(("AT Goloman" + diff + "x".repeat(70_000) + " +1+1 1\n" // longer than the line limit
                        + "AT Goloman" + diff + "y".repeat(300) + " +1+1 1\n" // an id over its bound
                        + "AT Goloman nonsense\n"
                        + "AT Goloman" + diff + "good +1+1 1\n").getBytes(StandardCharsets.UTF_8));
                await().atMost(WAIT).until(() -> herd.server("Hands").location("good").isPresent());
                assertEquals(1, herd.server("Hands").locations().size());
                assertTrue(recorded.noticed("skipped a line longer than 65536 bytes from peer Goloman"), recorded.dump());
                assertEquals(2, events.stream().filter(e -> e instanceof HerdEvent.Notice n && n.error()
                        && n.text().startsWith("skipped a record from peer Goloman")).count(), recorded.dump());
                assertEquals(LinkState.UP, herd.server("Hands").linkStates().get("Goloman"));
                assertTrue(!anyLinkDown(), recorded.dump());
            }
        }
    }
}
