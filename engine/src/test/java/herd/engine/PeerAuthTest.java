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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer links that must prove they know a secret: by default the user's cookie (here the test
 * run's own cookie file, {@link TestHerds#cookieFile()}), else a shared secret; strangers
 * refused and logged, and never given the table or the link. {@code peerAuth: "none"} keeps
 * the old, open behaviour.
 */
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

    /** Holiday and Welsh in one Herd (which does not run every server), linked; both know client {@code known}. */
    private Herd holidayAndWelsh(HerdConfig c) throws Exception {
        Herd herd = start(c, List.of("Holiday", "Welsh"), Map.of());
        await().atMost(WAIT).until(() -> herd.server("Welsh").linkStates().get("Holiday") == LinkState.UP);
        assertTrue(LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT known +1+1 1\n").startsWith("AT Welsh "));
        await().atMost(WAIT).until(() -> herd.server("Holiday").location("known").isPresent());
        return herd;
    }

    private long linkEvents(Class<? extends HerdEvent> kind, String server) {
        return events.all().stream().filter(e -> kind.isInstance(e) && e.server().equals(server)).count();
    }

    @Test
    void byDefaultAClientClaimingToBeANeighbourGetsNoTableAndLeavesTheLinkAlone() throws Exception {
        HerdConfig c = config(Security.defaults().withCookieFile(TestHerds.cookieFile()));
        try (Herd herd = holidayAndWelsh(c)) {
            int welsh = TestHerds.port(herd, "Welsh");
            // the old handshake, as anyone could send it
            assertEquals("", LineClient.exchange(welsh, "HERD-PEER Holiday Welsh\n"), "closed, without a welcome or a record");
            await().atMost(WAIT).until(() -> noticed("peer Holiday at 127.0.0.1:")
                    && noticed("did not authenticate, and this server requires it (the cookie or the shared secret)"));
            // the new one, without the cookie: a challenge, then refused
            try (LineClient stranger = new LineClient(welsh)) {
                stranger.send("HERD-PEER Holiday Welsh 00112233445566778899aabbccddeeff\n");
                assertTrue(stranger.readLine().startsWith("HERD-PEER-CHALLENGE Welsh "));
                stranger.send("HERD-PEER-PROOF Holiday " + "0".repeat(64) + "\nAT Holiday +0.000000001 forged +1+1 9\n");
                assertEquals("", stranger.readToEnd(), "closed without a welcome or a record");
            }
            await().atMost(WAIT).until(() -> noticed("claiming to be peer Holiday: authentication failed"));
            assertTrue(herd.server("Welsh").location("forged").isEmpty(), "nothing injected");
            // the real link was never touched: up since the start, and it still floods
            assertEquals(LinkState.UP, herd.server("Welsh").linkStates().get("Holiday"));
            assertEquals(1, linkEvents(HerdEvent.LinkUp.class, "Welsh"), events.dump());
            assertEquals(0, linkEvents(HerdEvent.LinkDown.class, "Welsh") + linkEvents(HerdEvent.LinkDown.class, "Holiday"));
            LineClient.exchange(welsh, "IAMAT later +2+2 2\n");
            await().atMost(WAIT).until(() -> herd.server("Holiday").location("later").isPresent());
        }
    }

    @Test
    void withPeerAuthNoneAClientClaimingToBeANeighbourIsTakenForIt() throws Exception {
        // the behaviour the README warns about, kept for those who ask for it
        try (Herd herd = holidayAndWelsh(config(Security.unauthenticated()))) {
            try (LineClient impostor = new LineClient(TestHerds.port(herd, "Welsh"))) {
                // an empty table's digest: Welsh answers with everything it holds
                impostor.send("HERD-PEER Holiday Welsh\nAT Holiday +0.000000001 forged +1+1 9\nHERD-DIGEST-END 1024 0 final\n");
                assertEquals("HERD-PEER-OK Welsh", impostor.readLine());
                List<String> answer = new java.util.ArrayList<>(); // Welsh's digest, then its repair batch
                for (String line = impostor.readLine(); !line.startsWith("HERD-REPAIR-DONE") && answer.size() < 20;
                        line = impostor.readLine()) {
                    answer.add(line);
                }
                assertTrue(answer.stream().anyMatch(l -> l.matches("AT Welsh \\S+ known \\+1\\+1 1")),
                        "Welsh's whole table: " + answer);
                await().atMost(WAIT).until(() -> herd.server("Welsh").location("forged").isPresent());
            }
        }
    }

    @Test
    void serversOfOneUserLinkWithTheCookieAndAnotherCookieNeverLinks() throws Exception {
        Path cookie = logs.resolve("cookies").resolve("cookie");
        HerdConfig c = config(Security.defaults().withCookieFile(cookie));
        // two Herds, as two launcher processes would be: each reads the one file (the first makes it)
        try (Herd holiday = start(c, List.of("Holiday"), Map.of()); Herd welsh = start(c, List.of("Welsh"), Map.of())) {
            await().atMost(WAIT).until(() -> welsh.server("Welsh").linkStates().get("Holiday") == LinkState.UP
                    && holiday.server("Holiday").linkStates().get("Welsh") == LinkState.UP);
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(cookie)));
        }
        String welshLog = Files.readString(logs.resolve("Welsh.log"));
        assertFalse(welshLog.contains(Files.readString(cookie).strip()), "the cookie never reaches a log");
        assertTrue(welshLog.contains("peer links authenticate with the cookie in " + cookie), welshLog);
        // Welsh with another user's cookie (from the environment, as HERD_COOKIE_FILE): refused
        Map<String, String> otherUser = Map.of(Security.COOKIE_FILE_ENV, logs.resolve("other").resolve("cookie").toString());
        try (Herd holiday = start(c, List.of("Holiday"), Map.of()); Herd welsh = start(c, List.of("Welsh"), otherUser)) {
            await().atMost(WAIT).until(() -> noticed("the server answering as peer Welsh at 127.0.0.1:"));
            assertEquals(LinkState.DIALING, holiday.server("Holiday").linkStates().get("Welsh"));
            assertEquals(LinkState.WAITING, welsh.server("Welsh").linkStates().get("Holiday"));
        }
    }

    @Test
    void aHerdRunningEveryServerHereSharesASecretInMemoryAndReadsNoCookie() throws Exception {
        Path cookie = logs.resolve("unused").resolve("cookie");
        HerdConfig c = config(Security.defaults().withCookieFile(cookie));
        try (Herd herd = start(c, c.serverNames(), Map.of())) {
            await().atMost(WAIT).until(() -> herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
            try (LineClient stranger = new LineClient(TestHerds.port(herd, "Welsh"))) {
                stranger.send("HERD-PEER Holiday Welsh 00112233445566778899aabbccddeeff\n");
                assertTrue(stranger.readLine().startsWith("HERD-PEER-CHALLENGE Welsh "), "authenticated");
            }
        }
        assertFalse(Files.exists(cookie.getParent()), "no cookie file read or made");
        assertTrue(Files.readString(logs.resolve("Welsh.log")).contains("peer links authenticate with a secret made in"
                + " memory (every server of the herd runs in this process)"));
    }

    @Test
    void aCookieFileOthersCanReadStopsTheStart() throws Exception {
        Path cookie = logs.resolve("cookie");
        Files.writeString(cookie, "0123456789abcdef0123456789abcdef\n");
        Files.setPosixFilePermissions(cookie, PosixFilePermissions.fromString("rw-r--r--"));
        HerdConfig c = config(Security.defaults().withCookieFile(cookie));
        HerdStartException e = assertThrows(HerdStartException.class, () -> Herd.create(c, List.of("Hands"), Map.of()));
        assertEquals("cookie file " + cookie + " can be read or written by other users (rw-r--r--): run chmod 600 "
                + cookie, e.getMessage());
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
            await().atMost(WAIT).until(() -> noticed("did not authenticate, and this server requires it (the cookie or the shared secret)"));
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
                    && noticed("did not authenticate, and this server requires it (the cookie or the shared secret)"));
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
