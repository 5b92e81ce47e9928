package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BurstTest {

    private static final String SERVER = "Goloman";
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final List<AutoCloseable> open = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
        threads.shutdownNow();
    }

    /**
     * A listener on port 0 of the loopback that answers each connection's first line with
     * {@code answer} of it (null: closes the connection; "": never answers).
     */
    private InetSocketAddress server(Function<String, String> answer) throws IOException {
        ServerSocket listener = new ServerSocket(0, 1024, InetAddress.getLoopbackAddress());
        open.add(listener);
        threads.execute(() -> {
            while (!listener.isClosed()) {
                try {
                    Socket s = listener.accept();
                    open.add(s);
                    threads.execute(() -> answer(s, answer));
                } catch (IOException e) {
                    return; // the test is over
                }
            }
        });
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort());
    }

    private static void answer(Socket s, Function<String, String> answer) {
        try (s) {
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String reply = line == null ? null : answer.apply(line);
            if (reply == null) {
                return;
            }
            OutputStream out = s.getOutputStream();
            out.write(reply.getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (reply.isEmpty()) {
                s.getInputStream().read(); // never answers: holds the connection until the client closes it
            }
        } catch (IOException e) {
            // the client closed first: the burst is over
        }
    }

    /** The AT line a herd server answers an IAMAT with. */
    private static String at(String iamat) {
        return "AT " + SERVER + " +0.000000001" + iamat.substring("IAMAT".length()) + "\n";
    }

    @Test
    void everyConnectionAnsweredRightCountsAndIsTimedFromTheFirstConnect() throws Exception {
        InetSocketAddress address = server(BurstTest::at);
        Burst.Result r = Burst.run(address, SERVER, 200, 200, "t-", Duration.ofSeconds(30), new ArrayList<>());
        assertEquals(200, r.opened());
        assertEquals(200, r.answered());
        assertEquals(0, r.failed(), r.failures().toString());
        assertTrue(r.millis() > 0 && r.perSecond() > 0, r.toString());
        assertTrue(r.audited().containsKey("t-199"), "the last answered is audited: " + r.audited().keySet());
        assertTrue(r.audited().size() >= 16 && r.audited().size() <= 18, r.audited().keySet().toString());
        assertTrue(r.notes().get(r.notes().size() - 1).contains("200 answered right"), r.notes().toString());
    }

    @Test
    void wrongClosedAndMissingRepliesEachFailTheirConnection() throws Exception {
        InetSocketAddress address = server(line -> line.contains(" t-1 ") ? "AT Hands +0.000000001 x\n"
                : line.contains(" t-2 ") ? null
                : line.contains(" t-3 ") ? "" : at(line));
        Burst.Result r = Burst.run(address, SERVER, 10, 10, "t-", Duration.ofSeconds(2), new ArrayList<>());
        assertEquals(7, r.answered());
        assertEquals(Map.of("wrong reply", 1L, "closed by the server before its reply", 1L,
                "connected, no reply within 2 s", 1L), r.failures());
        assertEquals(1, r.samples().size());
        assertTrue(r.samples().get(0).startsWith("expected AT Goloman ..."), r.samples().toString());
        assertFalse(r.audited().containsKey("t-1"));
    }

    @Test
    void aPortNobodyListensOnRefusesEveryConnectionWithoutACrash() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        Burst.Result r = Burst.run(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), SERVER, 20, 20, "t-",
                Duration.ofSeconds(30), new ArrayList<>());
        assertEquals(0, r.answered());
        assertEquals(20, r.failed());
        assertTrue(r.failures().keySet().stream().allMatch(k -> k.startsWith("connect failed: ")), r.failures().toString());
        assertTrue(Double.isNaN(r.millis()));
        assertTrue(r.audited().isEmpty());
    }

    @Test
    void fewerConnectionsWhenTheOpenFileLimitWouldNotHoldThem() {
        assertEquals(15_000, Burst.fitting(15_000, 20_000, 100));
        assertEquals(20_000 - 6000 - Burst.SPARE_FILES, Burst.fitting(15_000, 20_000, 6000));
        assertEquals(0, Burst.fitting(15_000, 1024, 1000));
        assertEquals(15_000, Burst.fitting(15_000, Long.MAX_VALUE, 100));
    }

    @Test
    void listenCountersAreTheDifferenceOverTheBurst() {
        Burst.ListenCounters before = new Burst.ListenCounters(100, 120);
        assertEquals(new Burst.ListenCounters(5, 7), new Burst.ListenCounters(105, 127).since(before));
    }

    @Test
    void aBurstThatFailedCountsItsFailuresAsErrorsAndItsOverflows() {
        HerdRun run = new HerdRun("java", 1);
        Comparison.burst(run, new Burst.Result(100, 100, 97, Map.of("not connected within 30 s", 3L), 1500.0,
                Optional.of(new Burst.ListenCounters(40, 41)), Map.of(), List.of(), List.of("a note"), null));
        assertEquals(1500, run.values.get(Metric.BURST_MS));
        assertEquals(97 / 1.5, run.values.get(Metric.BURST_RATE), 1e-9);
        assertEquals(3, run.values.get(Metric.BURST_FAILED));
        assertEquals(3, run.values.get(Metric.ERRORS));
        assertEquals(40, run.values.get(Metric.BURST_OVERFLOWS));
        assertEquals(41, run.values.get(Metric.BURST_LISTEN_DROPS));
        assertTrue(run.notes.contains("a note"));
    }

    @Test
    void aServerThatKeptItsDescriptorsIsAnErrorAndUnreadCountersAreLeftOut() {
        HerdRun run = new HerdRun("asyncio", 1);
        Comparison.burst(run, new Burst.Result(100, 100, 100, Map.of(), 900.0, Optional.empty(), Map.of(), List.of(),
                List.of(), "Goloman still held 100 more descriptors"));
        assertEquals(0, run.values.get(Metric.BURST_FAILED));
        assertEquals(1, run.values.get(Metric.ERRORS));
        assertFalse(run.values.containsKey(Metric.BURST_OVERFLOWS));
        assertTrue(run.notes.contains("7 accept burst: Goloman still held 100 more descriptors"), run.notes.toString());
    }
}
