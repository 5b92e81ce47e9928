package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.testing.TestHerds;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Table repair at a scale a build can afford (the benchmark's scenario 4c runs it with a
 * million clients): a five-server herd holding {@value #CLIENTS} clients; a link flap with
 * nothing changed moves the digests and no report; a server taken down (its table forgotten)
 * and brought back relearns every client while live reports keep flooding, and no link drops.
 */
class HerdRepairTest {

    private static final int CLIENTS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    @TempDir
    Path logs;
    Herd herd;
    /** Notices, links down and lines between servers, once the herd holds its clients (a copy-on-write list would crawl). */
    final ConcurrentLinkedQueue<HerdEvent> events = new ConcurrentLinkedQueue<>();
    volatile boolean recording;

    @BeforeEach
    void start() throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/unused", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        herd = Herd.create(config, config.serverNames(), Map.of());
        herd.subscribe(e -> {
            if (recording && (e instanceof HerdEvent.Notice || e instanceof HerdEvent.LinkDown
                    || e instanceof HerdEvent.LineOut o && o.remote().isPeer())) {
                events.add(e);
            }
        });
        herd.startAll();
        await().atMost(WAIT).until(() -> herd.servers().stream()
                .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
        report("Goloman", "client-", 0, CLIENTS);
        awaitEveryServerHolds(CLIENTS);
        recording = true;
    }

    @AfterEach
    void stop() {
        herd.close();
    }

    /** Reports clients {@code prefix}{@code from} .. {@code prefix}{@code to - 1} at {@code server}, pipelined; checks each reply. */
    private void report(String server, String prefix, int from, int to) throws Exception {
        try (Socket s = new Socket("127.0.0.1", TestHerds.port(herd, server))) {
            OutputStream out = s.getOutputStream();
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    StringBuilder b = new StringBuilder();
                    for (int i = from; i < to; i++) {
                        b.append("IAMAT ").append(prefix).append(i).append(" +34.068930-118.445127 1520023934.")
                                .append(i).append('\n');
                        if (b.length() > 60_000 || i == to - 1) {
                            out.write(b.toString().getBytes(StandardCharsets.US_ASCII));
                            b.setLength(0);
                        }
                    }
                    out.flush();
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            for (int i = from; i < to; i++) {
                String reply = in.readLine();
                assertTrue(reply != null && reply.startsWith("AT " + server + " "), "reply " + i + ": " + reply);
            }
            sending.join();
        }
    }

    private void awaitEveryServerHolds(int clients) {
        await().atMost(WAIT).until(() -> herd.servers().stream().allMatch(s -> s.stats().knownClients() == clients));
    }

    private List<HerdEvent.LineOut> linesOutBetween(String a, String b) {
        return events.stream()
                .filter(e -> e instanceof HerdEvent.LineOut o
                        && (o.server().equals(a) && o.remote().equals(Party.peer(b)) || o.server().equals(b) && o.remote().equals(Party.peer(a))))
                .map(e -> (HerdEvent.LineOut) e).toList();
    }

    @Test
    void aFlapWithNothingChangedMovesOnlyTheDigests() {
        herd.server("Holiday").cutLink("Welsh");
        herd.server("Holiday").restoreLink("Welsh");
        await().atMost(WAIT).until(() -> events.stream().filter(e ->
                e instanceof HerdEvent.Notice n && n.text().startsWith("table digest from ")
                        && (n.server().equals("Holiday") || n.server().equals("Welsh"))).count() == 2);
        List<HerdEvent.LineOut> out = linesOutBetween("Holiday", "Welsh");
        assertEquals(List.of(), out.stream().filter(o -> o.line().startsWith("AT ")).map(HerdEvent.LineOut::line).toList(),
                "no report crosses");
        long bytes = out.stream().mapToLong(o -> o.line().length() + 1).sum();
        assertTrue(bytes < 60_000, "two digests of 1024 buckets and the handshake: " + bytes + " bytes");
        assertTrue(events.stream().anyMatch(e -> e instanceof HerdEvent.Notice n && n.server().equals("Holiday")
                && n.text().equals("table digest from Welsh: 0 of 1024 buckets differ")), events::toString);
    }

    @Test
    void aServerThatForgotEverythingRelearnsItWhileLiveReportsFlood() throws Exception {
        HerdServer holiday = herd.server("Holiday");
        holiday.takeDown();
        assertEquals(0, holiday.stats().knownClients());
        await().atMost(WAIT).until(() -> events.stream().filter(e -> e instanceof HerdEvent.LinkDown).count() == 6);
        events.clear(); // the links its take-down dropped, at both ends
        holiday.bringUp();
        report("Wilkes", "live-", 0, 500); // while Holiday relearns
        awaitEveryServerHolds(CLIENTS + 500);
        assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LinkDown),
                "no link dropped");
        long repairRecordsSent = events.stream().filter(e -> e instanceof HerdEvent.LineOut o
                && o.remote().equals(Party.peer("Holiday")) && o.line().startsWith("AT ")).count();
        // Holiday takes the whole table from one neighbour and keeps its digest from the others
        // until that repair is in (TableRepairTest pins that exactly: 3,000 records, not 9,000).
        // Here live reports in flight make buckets differ for a moment, and each round re-sends
        // those whole, more on a loaded machine (20,000-63,000 seen; a build on a machine at
        // load 20 saw 103,061): so only a runaway is caught here.
        assertTrue(repairRecordsSent <= 6L * CLIENTS, repairRecordsSent + " reports sent to Holiday");
        long echoed = events.stream().filter(e -> e instanceof HerdEvent.LineOut o
                && o.server().equals("Holiday") && o.line().startsWith("AT ") && o.line().contains(" client-")).count();
        // Not forwarded (that would be about 2 x 20,000): only the rounds Holiday asks for
        // afterwards may send the buckets that live reports in flight made differ for a moment
        // (about 20 clients a bucket here; seen up to 2,274 on a loaded machine).
        assertTrue(echoed < CLIENTS / 2, echoed + " relearnt reports sent on by Holiday");
    }
}
