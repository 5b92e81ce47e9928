package herd.launcher.metrics;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.Herd;
import herd.engine.HerdEvent;
import herd.engine.LinkState;
import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import java.io.IOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics endpoints on a real herd in this process: the default five servers on free
 * ports with the offline gazetteer, Welsh's and Holiday's endpoints on port 0, clients that
 * send IAMATs, WHATSATs, a bad line and a blank one to Welsh, and Prometheus's side played
 * by {@link java.net.http.HttpClient}. The counters are checked against what was sent and
 * against the herd's own events; {@code /health} while up, with Welsh cut off, and down.
 */
class MetricsEndpointTest {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final int CLIENTS = 20;

    @TempDir
    Path logs;

    Herd herd;
    MetricsServer welsh;
    MetricsServer holiday;
    final List<HerdEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void startHerdAndEndpoints() throws Exception {
        HerdConfig d = HerdConfig.defaults();
        HerdConfig config = d.withPorts(Collections.nCopies(d.servers().size(), 0)).withLogDir(logs)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        herd = Herd.create(config, config.serverNames(), java.util.Map.of());
        herd.subscribe(events::add);
        herd.startAll();
        welsh = MetricsServer.start("Welsh", "127.0.0.1", 0, herd.server("Welsh")::metrics);
        holiday = MetricsServer.start("Holiday", "127.0.0.1", 0, herd.server("Holiday")::metrics);
        await().atMost(WAIT).until(() -> herd.servers().stream()
                .allMatch(s -> s.linkStates().values().stream().allMatch(LinkState.UP::equals)));
    }

    @AfterEach
    void stop() {
        if (welsh != null) {
            welsh.close();
        }
        if (holiday != null) {
            holiday.close();
        }
        if (herd != null) {
            herd.close();
        }
    }

    /** Sends {@code text} to Welsh, half-closes, and reads every reply to the end. */
    private String toWelsh(String text) throws IOException {
        try (Socket s = new Socket("127.0.0.1", herd.server("Welsh").spec().port())) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
            s.shutdownOutput();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private long eventsOf(String server, Predicate<HerdEvent> which) {
        return events.stream().filter(e -> e.server().equals(server)).filter(which).count();
    }

    @Test
    void theCountersAreWhatWasSentAndWhatTheEventsSay() throws Exception {
        long now = System.currentTimeMillis() / 1000;
        StringBuilder load = new StringBuilder();
        for (int i = 0; i < CLIENTS; i++) {
            load.append("IAMAT client-").append(i).append(" +34.068930-118.445127 ").append(now).append(".5\n");
        }
        load.append("WHATSAT client-1 10 5\nWHATSAT client-2 10 1\nWHATSAT client-3 50 20\n");
        load.append("WHATSAT nobody 10 5\n"); // invalid: an unknown client
        load.append("HELLO there\n");        // invalid
        load.append("   \n");                // blank: ignored
        String replies = toWelsh(load.toString());
        assertEquals(CLIENTS + 3, replies.lines().filter(l -> l.startsWith("AT Welsh ")).count(), replies);
        assertEquals(2, replies.lines().filter(l -> l.startsWith("? ")).count(), replies);
        await().atMost(WAIT).until(() -> herd.servers().stream().allMatch(s -> s.stats().knownClients() == CLIENTS));

        Scrape w = Scrape.of(welsh.port());
        assertEquals(CLIENTS, w.value("herd_client_lines_received_total", "server", "Welsh", "kind", "iamat"));
        assertEquals(3, w.value("herd_client_lines_received_total", "server", "Welsh", "kind", "whatsat"));
        assertEquals(2, w.value("herd_client_lines_received_total", "server", "Welsh", "kind", "invalid"));
        assertEquals(1, w.value("herd_client_lines_received_total", "server", "Welsh", "kind", "ignored"));
        assertEquals(CLIENTS + 5, w.value("herd_client_replies_sent_total", "server", "Welsh"));
        assertEquals(3, w.value("herd_whatsat_duration_seconds_count", "server", "Welsh"));
        assertEquals(3, w.value("herd_whatsat_duration_seconds_bucket", "server", "Welsh", "le", "+Inf"));
        assertEquals(3, w.value("herd_places_calls_total", "server", "Welsh"), "the offline provider has no cache");
        assertEquals(0, w.value("herd_places_rate_limited_total", "server", "Welsh"));
        assertEquals(CLIENTS, w.value("herd_updates_learned_total", "server", "Welsh"));
        assertEquals(CLIENTS, w.value("herd_updates_forwarded_total", "server", "Welsh"), "to Holiday, its one neighbour");
        assertEquals(CLIENTS, w.value("herd_location_table_clients", "server", "Welsh"));
        assertEquals(0, w.value("herd_update_age_seconds_count", "server", "Welsh"), "it learned them all from clients");
        assertEquals(1, w.value("herd_server_up", "server", "Welsh"));
        assertEquals(1, w.value("herd_link_up", "server", "Welsh", "peer", "Holiday"));
        assertEquals(1, w.value("herd_link_state", "server", "Welsh", "peer", "Holiday", "state", "up"));
        assertEquals(0, w.value("herd_link_state", "server", "Welsh", "peer", "Holiday", "state", "dialing"));
        assertEquals(0, w.value("herd_peer_pending_updates", "server", "Welsh", "peer", "Holiday"));

        // The event log's lines (as events) and the counters agree.
        assertEquals(eventsOf("Welsh", e -> e instanceof HerdEvent.LineIn l && !l.remote().isPeer()),
                CLIENTS + 6L, "every client line is one IN line");
        assertEquals(eventsOf("Welsh", e -> e instanceof HerdEvent.LineOut l && !l.remote().isPeer()),
                (long) w.value("herd_client_replies_sent_total", "server", "Welsh"));
        assertEquals(eventsOf("Welsh", e -> e instanceof HerdEvent.LocationLearned),
                (long) w.value("herd_updates_learned_total", "server", "Welsh"));
        assertEquals(eventsOf("Welsh", e -> e instanceof HerdEvent.LinkUp),
                (long) w.value("herd_link_ups_total", "server", "Welsh", "peer", "Holiday"));
        await().atMost(WAIT).until(() -> {
            Scrape s = Scrape.of(welsh.port()); // peer lines may still be on their way: both sides settle
            return s.value("herd_peer_lines_sent_total", "server", "Welsh")
                    == eventsOf("Welsh", e -> e instanceof HerdEvent.LineOut l && l.remote().isPeer())
                    && s.value("herd_peer_lines_received_total", "server", "Welsh")
                    == eventsOf("Welsh", e -> e instanceof HerdEvent.LineIn l && l.remote().isPeer());
        });

        // Holiday learned every report live from Welsh, and aged each on arrival.
        Scrape h = Scrape.of(holiday.port());
        assertEquals(CLIENTS, h.value("herd_update_age_seconds_count", "server", "Holiday"));
        assertEquals(CLIENTS, h.value("herd_update_age_seconds_bucket", "server", "Holiday", "le", "+Inf"));
        double ageSum = h.value("herd_update_age_seconds_sum", "server", "Holiday");
        assertTrue(ageSum > 0 && ageSum < CLIENTS * WAIT.toSeconds(), "age sum " + ageSum);
        assertEquals(2.0 * CLIENTS, h.value("herd_updates_forwarded_total", "server", "Holiday"),
                "to Goloman and Wilkes, never back to Welsh");
        assertEquals(0, h.value("herd_client_lines_received_total", "server", "Holiday", "kind", "iamat"));
    }

    @Test
    void healthIs200WhileLinkedAnd503WhileCutOffOrDown() throws Exception {
        String welshHealth = "http://127.0.0.1:" + welsh.port() + "/health";
        String holidayHealth = "http://127.0.0.1:" + holiday.port() + "/health";
        assertHealth(welshHealth, 200, "up; links 1/1");
        assertHealth(holidayHealth, 200, "up; links 3/3");
        assertEquals(200, Scrape.head(welshHealth).statusCode());

        herd.server("Holiday").takeDown();
        // Welsh still answers its clients, but their reports reach nobody: a load balancer should look elsewhere.
        await().atMost(WAIT).until(() -> Scrape.get(welshHealth).statusCode() == 503);
        assertHealth(welshHealth, 503, "isolated; links 0/1");
        assertHealth(holidayHealth, 503, "down");
        assertEquals(503, Scrape.head(holidayHealth).statusCode());
        Scrape h = Scrape.of(holiday.port());
        assertEquals(0, h.value("herd_server_up", "server", "Holiday"));
        assertEquals(1, h.value("herd_link_state", "server", "Holiday", "peer", "Welsh", "state", "offline"));
        // The link's state changes first, then its count and its PEER_DOWN line.
        await().atMost(WAIT).until(() -> Scrape.of(welsh.port())
                .value("herd_link_downs_total", "server", "Welsh", "peer", "Holiday") == 1);
        await().atMost(WAIT).until(() -> eventsOf("Welsh", e -> e instanceof HerdEvent.LinkDown) == 1);
        assertEquals(0, Scrape.of(welsh.port()).value("herd_link_up", "server", "Welsh", "peer", "Holiday"));

        herd.server("Holiday").bringUp();
        await().atMost(WAIT).until(() -> Scrape.get(welshHealth).statusCode() == 200);
        assertHealth(welshHealth, 200, "up; links 1/1");
        await().atMost(WAIT).until(() -> Scrape.of(welsh.port())
                .value("herd_link_ups_total", "server", "Welsh", "peer", "Holiday") == 2);
    }

    @Test
    void anyOtherPathIsNotFound() throws Exception {
        HttpResponse<String> r = Scrape.get("http://127.0.0.1:" + welsh.port() + "/status");
        assertEquals(404, r.statusCode());
        assertEquals("not found; this server answers /metrics and /health\n", r.body());
    }

    private static void assertHealth(String url, int status, String body) throws Exception {
        HttpResponse<String> r = Scrape.get(url);
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(body + "\n", r.body());
        assertEquals("text/plain; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
    }
}
