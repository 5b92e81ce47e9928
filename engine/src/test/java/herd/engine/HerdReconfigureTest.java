package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.Limits;
import herd.engine.config.Link;
import herd.engine.config.PlacesSettings;
import herd.engine.config.ServerSpec;
import herd.engine.testing.LineClient;
import herd.engine.testing.TestHerds;
import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A running herd grows and shrinks without a restart ({@link Herd#reconfigure}): a sixth
 * server joins, learns every client from its first neighbour and floods its own reports; a
 * removed link stays closed; a removed server stops; new limits apply to new work; a change
 * that needs a restart is refused and changes nothing.
 */
class HerdReconfigureTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path logs;
    Herd herd;
    HerdConfig config;
    final List<HerdEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        config = TestHerds.config(logs, "http://127.0.0.1:9/unused", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        herd = Herd.create(config, config.serverNames(), TestHerds.keyEnv());
        herd.subscribe(e -> {
            if (!(e instanceof HerdEvent.LineIn || e instanceof HerdEvent.LineOut || e instanceof HerdEvent.LocationLearned)) {
                events.add(e);
            }
        });
        herd.startAll();
        awaitAllLinksUp();
        for (int i = 0; i < 200; i++) {
            iamat("Welsh", "before-" + i, "1520023934." + i);
        }
        awaitEveryServerHolds("before-199");
    }

    @AfterEach
    void stop() {
        herd.close();
    }

    private String iamat(String server, String client, String time) throws IOException {
        try (LineClient c = new LineClient(TestHerds.port(herd, server))) {
            return c.send("IAMAT " + client + " +34.068930-118.445127 " + time + "\n").readLine();
        }
    }

    private void awaitAllLinksUp() {
        await().atMost(WAIT).until(() -> herd.servers().stream()
                .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
    }

    private void awaitEveryServerHolds(String client) {
        await().atMost(WAIT).until(() -> herd.servers().stream().allMatch(s -> s.location(client).isPresent()));
    }

    private List<String> reloads(String server) {
        return events.stream().filter(e -> e instanceof HerdEvent.ConfigReloaded r && r.server().equals(server))
                .map(HerdEvent::payload).toList();
    }

    @Test
    void aSixthServerJoinsLearnsEveryClientAndFloodsItsOwn() throws Exception {
        HerdConfig six = config.withServer(new ServerSpec("Hilo", "127.0.0.1", 0), List.of("Welsh", "Goloman"));
        List<String> summary = herd.reconfigure(six);

        assertEquals(6, herd.servers().size(), summary.toString());
        HerdServer hilo = herd.server("Hilo");
        assertTrue(hilo.isUp());
        awaitAllLinksUp();
        assertEquals(java.util.Set.of("Goloman", "Welsh"), hilo.linkStates().keySet());
        // it learns every client through table repair, with nobody reporting again
        await().atMost(WAIT).until(() -> hilo.stats().knownClients() >= 200);
        for (int i = 0; i < 200; i++) {
            assertTrue(hilo.location("before-" + i).isPresent(), "before-" + i);
        }
        assertTrue(iamat("Hilo", "from-hilo", "1520023999.5").startsWith("AT Hilo "));
        awaitEveryServerHolds("from-hilo");

        assertEquals(List.of("servers +Hilo; links +Hilo"), reloads("Welsh"));
        assertEquals(List.of("servers +Hilo; links +Hilo"), reloads("Goloman"));
        assertEquals(List.of("servers +Hilo"), reloads("Hands"), "a server whose links did not change hears of it too");
        assertTrue(summary.contains("Hilo: added, 127.0.0.1:" + hilo.spec().port()), summary.toString());
        assertEquals(List.of(), events.stream().filter(e -> e instanceof HerdEvent.LinkDown).toList(), "no link dropped");
    }

    @Test
    void aRemovedLinkIsClosedForGoodAndReportsGoRoundIt() throws Exception {
        List<Link> fewer = new ArrayList<>(config.links());
        assertTrue(fewer.remove(Link.between("Goloman", "Hands")));
        herd.reconfigure(config.withLinks(fewer));

        assertFalse(herd.server("Goloman").linkStates().containsKey("Hands"));
        assertFalse(herd.server("Hands").linkStates().containsKey("Goloman"));
        await().atMost(WAIT).until(() -> events.stream().anyMatch(e -> e instanceof HerdEvent.LinkDown d
                && d.server().equals("Goloman") && d.peer().equals("Hands") && d.reason().equals("link removed from the config")));
        assertEquals(List.of("links -Hands"), reloads("Goloman"));
        assertEquals(List.of("links -Goloman"), reloads("Hands"));
        // Hands still hears Goloman's reports, through Wilkes
        iamat("Goloman", "after-cut", "1520023999.1");
        awaitEveryServerHolds("after-cut");
        // Holiday taken down and brought back: a redial round for every link; still not this one
        herd.server("Holiday").takeDown();
        herd.server("Holiday").bringUp();
        awaitAllLinksUp();
        assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LinkUp u
                && (u.server().equals("Goloman") && u.peer().equals("Hands")
                    || u.server().equals("Hands") && u.peer().equals("Goloman"))
                && u.at().isAfter(reloadTime("Goloman"))), "the removed link never came back");
    }

    private java.time.Instant reloadTime(String server) {
        return events.stream().filter(e -> e instanceof HerdEvent.ConfigReloaded r && r.server().equals(server))
                .findFirst().orElseThrow().at();
    }

    @Test
    void aRemovedServerStopsAndItsNeighboursForgetIt() throws Exception {
        int welshPort = TestHerds.port(herd, "Welsh");
        herd.reconfigure(config.withoutServer("Welsh"));

        assertEquals(4, herd.servers().size());
        assertThrows(IllegalArgumentException.class, () -> herd.server("Welsh"));
        assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", welshPort).close(), "its port is closed");
        assertFalse(herd.server("Holiday").linkStates().containsKey("Welsh"));
        assertTrue(events.stream().anyMatch(e -> e instanceof HerdEvent.ServerState s && s.server().equals("Welsh")
                && !s.up() && s.detail().equals("removed from the config")), "Welsh's SERVER_DOWN");
        assertEquals(List.of("servers -Welsh; links -Welsh"), reloads("Holiday"));
        iamat("Goloman", "after-removal", "1520023999.2");
        awaitEveryServerHolds("after-removal");
    }

    @Test
    void newLimitsApplyToNewConnections() throws Exception {
        Limits d = config.limits();
        Limits tight = new Limits(d.maxLineBytes(), d.clientQueueBytes(), d.peerQueueBytes(), d.idleTimeoutSeconds(),
                d.maxClients(), 8, d.maxTimeDigits(), d.maxCoordinateDigits(), d.maxClockSkewSeconds(),
                d.lineTimeoutSeconds(), d.acceptBacklog());
        assertTrue(iamat("Welsh", "longer-than-8", "1520023999.3").startsWith("AT "));
        herd.reconfigure(config.withLimits(tight));
        assertTrue(iamat("Welsh", "longer-than-8", "1520023999.4").startsWith("? IAMAT longer-than-8 "),
                "an id over the new bound is refused");
        assertTrue(iamat("Welsh", "short", "1520023999.4").startsWith("AT "));
        assertEquals(List.of("limits changed"), reloads("Welsh"));
    }

    @Test
    void newPlacesSettingsAnswerTheNextWhatsat() throws Exception {
        try (herd.engine.testing.StandInGoogle google = new herd.engine.testing.StandInGoogle()) {
            String before = LineClient.exchange(TestHerds.port(herd, "Welsh"), "WHATSAT before-1 10 1\n");
            assertTrue(before.startsWith("AT Welsh "), before);
            assertTrue(google.requests.isEmpty(), "offline: the gazetteer answers");
            HerdConfig toGoogle = config.withPlaces(TestHerds.config(logs, google.url(), 1500).places());
            herd.reconfigure(toGoogle);
            String after = LineClient.exchange(TestHerds.port(herd, "Welsh"), "WHATSAT before-1 10 1\n");
            assertTrue(after.startsWith("AT Welsh "), after);
            assertEquals(1, google.requests.size(), "the new provider answered: " + after);
            assertTrue(reloads("Welsh").get(0).startsWith("places changed: "), reloads("Welsh").toString());
        }
    }

    @Test
    void aChangeThatNeedsARestartIsRefusedAndChangesNothing() throws Exception {
        HerdConfig moved = config.withLogDir(logs.resolve("elsewhere"))
                .withServer(new ServerSpec("Hilo", "127.0.0.1", 0), List.of("Welsh"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> herd.reconfigure(moved));
        assertTrue(e.getMessage().startsWith("logDir cannot change while the herd runs"), e.getMessage());
        assertEquals(5, herd.servers().size());
        assertEquals(config, herd.config());
        assertTrue(reloads("Welsh").isEmpty());
    }
}
