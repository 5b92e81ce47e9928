package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.config.Security;
import herd.engine.peer.PeerAuth;
import herd.engine.testing.LineClient;
import herd.engine.testing.RecordedEvents;
import herd.engine.testing.TestHerds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Peer links that must prove they know a shared secret; strangers refused and logged. */
class PeerAuthTest {

    private static final Duration WAIT = Duration.ofSeconds(15);
    private static final String SECRET = "correct horse battery staple";

    @TempDir
    Path logs;
    final RecordedEvents events = new RecordedEvents();

    private HerdConfig config(Security security) throws Exception {
        return TestHerds.configOnFreePorts(logs, "http://127.0.0.1:9/x", 1000)
                .withPlaces(PlacesSettings.defaults().withProvider("offline")).withSecurity(security);
    }

    private Herd start(HerdConfig config, List<String> names, Map<String, String> env) throws Exception {
        return events.start(config, names, env);
    }

    private boolean noticed(String part) {
        return events.noticed(part);
    }

    @Test
    void herdWithASecretFromTheEnvironmentLinksUpAndFloods() throws Exception {
        HerdConfig c = config(Security.sharedSecretFromEnv("HERD_SECRET"));
        try (Herd herd = start(c, c.serverNames(), Map.of("HERD_SECRET", SECRET))) {
            await().atMost(WAIT).until(() -> herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
            LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT a +1+1 1\n");
            await().atMost(WAIT).until(() -> herd.server("Hands").location("a").isPresent());
        }
        for (String n : List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes")) {
            String log = Files.readString(logs.resolve(n + ".log"));
            assertFalse(log.contains(SECRET), "the secret never reaches a log");
        }
        // Goloman dials Hands, or Hands announced itself to Goloman when it started: either
        // way the dialer's proof is in Hands' log.
        String hands = Files.readString(logs.resolve("Hands.log"));
        assertTrue(hands.contains("PEER_IN peer/Goloman HERD-PEER-PROOF Goloman ")
                || hands.contains("PEER_OUT peer/Goloman HERD-PEER-PROOF Hands "), hands);
    }

    @Test
    void strangerWithAWrongProofIsRefusedAndLogged() throws Exception {
        HerdConfig c = config(Security.sharedSecret(SECRET));
        try (Herd herd = start(c, List.of("Hands"), Map.of())) {
            int port = TestHerds.port(herd, "Hands");
            try (LineClient stranger = new LineClient(port)) {
                stranger.send("HERD-PEER Goloman Hands 00112233445566778899aabbccddeeff\n");
                String challenge = stranger.readLine();
                assertTrue(challenge.matches("HERD-PEER-CHALLENGE Hands [0-9a-f]{32} [0-9a-f]{64}"), challenge);
                stranger.send("HERD-PEER-PROOF Goloman " + "0".repeat(64) + "\n"
                        + "AT Goloman +0.000000001 forged +1+1 99999999999\n");
                assertEquals("", stranger.readToEnd(), "closed without a welcome");
            }
            await().atMost(WAIT).until(() -> noticed("claiming to be peer Goloman: authentication failed"));
            assertEquals(LinkState.WAITING, herd.server("Hands").linkStates().get("Goloman"));
            assertTrue(herd.server("Hands").location("forged").isEmpty(), "nothing injected");
        }
    }

    @Test
    void strangerWithoutAProofIsRefused() throws Exception {
        HerdConfig c = config(Security.sharedSecret(SECRET));
        try (Herd herd = start(c, List.of("Hands"), Map.of())) {
            assertEquals("", LineClient.exchange(TestHerds.port(herd, "Hands"), "HERD-PEER Goloman Hands\n"));
            await().atMost(WAIT).until(() -> noticed("did not authenticate, and this server requires the shared secret"));
        }
    }

    @Test
    void serversWithDifferentSecretsNeverLink() throws Exception {
        HerdConfig one = config(Security.sharedSecret("one secret"));
        HerdConfig two = one.withSecurity(Security.sharedSecret("another secret"));
        try (Herd holiday = start(one, List.of("Holiday"), Map.of()); Herd welsh = start(two, List.of("Welsh"), Map.of())) {
            // Holiday dials Welsh; Welsh's challenge proves a different secret
            await().atMost(WAIT).until(() -> noticed("the server answering as peer Welsh at 127.0.0.1:"));
            assertEquals(LinkState.DIALING, holiday.server("Holiday").linkStates().get("Welsh"));
            assertEquals(LinkState.WAITING, welsh.server("Welsh").linkStates().get("Holiday"));
        }
    }

    @Test
    void aServerWithoutTheSecretIsToldWhy() throws Exception {
        HerdConfig with = config(Security.sharedSecret(SECRET));
        try (Herd holiday = start(with.withSecurity(Security.unauthenticated()), List.of("Holiday"), Map.of());
             Herd welsh = start(with, List.of("Welsh"), Map.of())) {
            await().atMost(WAIT).until(() -> noticed("peer Holiday at 127.0.0.1:")
                    && noticed("did not authenticate, and this server requires the shared secret"));
            assertEquals(LinkState.DIALING, holiday.server("Holiday").linkStates().get("Welsh"));
        }
    }

    @Test
    void missingSecretVariableStopsTheStartWithAClearMessage() throws Exception {
        HerdConfig c = config(Security.sharedSecretFromEnv("HERD_SECRET_UNSET"));
        HerdStartException e = assertThrows(HerdStartException.class, () -> Herd.create(c, List.of("Hands"), Map.of()));
        assertEquals("security.peerSecretEnv names HERD_SECRET_UNSET, which is not set: set it to the herd's shared secret",
                e.getMessage());
    }
}
