package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.peer.PeerLink;
import herd.engine.testing.FakePeer;
import herd.engine.testing.LineClient;
import herd.engine.testing.RecordedEvents;
import herd.engine.testing.TestHerds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer links that fall silent — a dead network gives no FIN and no RST — are noticed by
 * heartbeats and dropped, while quiet but healthy links stay up.
 */
class HeartbeatTest {

    @TempDir
    Path logs;
    final RecordedEvents recorded = new RecordedEvents();
    final List<HerdEvent> events = recorded.all();

    private Herd start(List<String> names) throws Exception {
        HerdConfig config = TestHerds.config(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        return recorded.start(config, names, Map.of());
    }

    @Test
    void quietHealthyLinkStaysUpPastTheSilenceLimit() throws Exception {
        try (Herd herd = start(List.of("Holiday", "Welsh"))) {
            await().atMost(Duration.ofSeconds(10)).until(() -> herd.server("Welsh").linkStates().get("Holiday") == LinkState.UP);
            await().during(Duration.ofSeconds(PeerLink.SILENCE_SECONDS + 2)).atMost(Duration.ofSeconds(PeerLink.SILENCE_SECONDS + 5))
                    .until(() -> herd.server("Welsh").linkStates().get("Holiday") == LinkState.UP);
            assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LinkDown), "no link went down");
        }
    }

    @Test
    void peerThatFallsSilentIsDroppedAndHeartbeatsAreNotLogged() throws Exception {
        try (Herd herd = start(List.of("Hands")); LineClient fakeGoloman = new LineClient(TestHerds.port(herd, "Hands"))) {
            FakePeer.handshake(fakeGoloman::send, fakeGoloman::readLine, "Goloman", "Hands", TestHerds.cookie());
            assertEquals("HERD-DIGEST-END 1024 0 final", fakeGoloman.readLine(), "the digest of an empty table");
            assertEquals("HERD-ALIVE", fakeGoloman.readLine(), "a heartbeat after a quiet second");
            // the fake peer reads but never writes: Hands must give up on it
            await().atMost(Duration.ofSeconds(PeerLink.SILENCE_SECONDS + 5)).until(() -> events.stream().anyMatch(e ->
                    e instanceof HerdEvent.LinkDown d && d.reason().equals("no line from peer Goloman for 5 s")));
            assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LineOut o && o.line().equals("HERD-ALIVE")));
        }
    }
}
