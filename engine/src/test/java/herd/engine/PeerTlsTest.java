package herd.engine;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.config.Security;
import herd.engine.testing.LineClient;
import herd.engine.testing.RecordedEvents;
import herd.engine.testing.TestHerds;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peer links over TLS, with self-signed key stores made by the JDK's own keytool:
 * the herd floods over TLS, clients stay on plain TCP, and a peer without TLS or with an
 * untrusted certificate is refused.
 */
class PeerTlsTest {

    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final String PASSWORD = "herd-test-pw";
    private static final Map<String, String> ENV = Map.of("HERD_TLS_PW", PASSWORD);

    @TempDir
    static Path stores;
    static Path herdStore;
    static Path strangerStore;

    @TempDir
    Path logs;
    final RecordedEvents recorded = new RecordedEvents();
    final List<HerdEvent> events = recorded.all();

    @BeforeAll
    static void makeKeyStores() throws Exception {
        herdStore = keyStore("herd");
        strangerStore = keyStore("stranger");
    }

    /** A PKCS#12 store with one self-signed EC key pair, made by a real keytool process. */
    private static Path keyStore(String name) throws Exception {
        Path file = stores.resolve(name + ".p12");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "keytool").toString(),
                "-genkeypair", "-alias", name, "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=" + name,
                "-validity", "2", "-storetype", "PKCS12", "-keystore", file.toString(),
                "-storepass", PASSWORD, "-keypass", PASSWORD)
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "keytool finished");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes()));
        return file;
    }

    private HerdConfig base;

    /** One set of ports per test, so that herds started from different configs find each other. */
    private HerdConfig config(Path keyStore) throws Exception {
        if (base == null) {
            base = TestHerds.configOnFreePorts(logs, "http://127.0.0.1:9/x", 1000)
                    .withPlaces(PlacesSettings.defaults().withProvider("offline"));
        }
        return base.withSecurity(base.security().withTls(keyStore == null ? null
                : new Security.Tls(keyStore, "HERD_TLS_PW", null)));
    }

    private Herd start(HerdConfig config, List<String> names) throws Exception {
        return recorded.start(config, names, ENV);
    }

    private boolean noticed(String part) {
        return recorded.noticed(part);
    }

    @Test
    void herdFloodsOverTlsWhileClientsStayPlain() throws Exception {
        HerdConfig c = config(herdStore);
        try (Herd herd = start(c, c.serverNames())) {
            await().atMost(WAIT).until(() -> herd.servers().stream()
                    .allMatch(s -> s.linkStates().values().stream().allMatch(st -> st == LinkState.UP)));
            assertTrue(events.stream().filter(e -> e instanceof HerdEvent.LinkUp).allMatch(e ->
                    ((HerdEvent.LinkUp) e).address().endsWith(" over TLS")), "every link is TLS");
            String at = LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT tls-client +1+1 1\n");
            assertTrue(at.startsWith("AT Welsh "), "clients speak plain TCP: " + at);
            await().atMost(WAIT).until(() -> herd.server("Hands").location("tls-client").isPresent());
        }
        assertTrue(Files.readString(logs.resolve("Hands.log")).contains("PEER_UP peer/Goloman via 127.0.0.1:"));
    }

    @Test
    void tlsAndASharedSecretWorkTogether() throws Exception {
        HerdConfig c = config(herdStore);
        c = c.withSecurity(Security.sharedSecret("s3cret").withTls(c.security().tls()));
        try (Herd herd = start(c, List.of("Holiday", "Welsh"))) {
            await().atMost(WAIT).until(() -> herd.server("Welsh").linkStates().get("Holiday") == LinkState.UP);
            LineClient.exchange(TestHerds.port(herd, "Welsh"), "IAMAT both +2+2 2\n");
            await().atMost(WAIT).until(() -> herd.server("Holiday").location("both").isPresent());
        }
    }

    @Test
    void aPeerWithoutTlsIsRefused() throws Exception {
        try (Herd welsh = start(config(herdStore), List.of("Welsh"));
             Herd holiday = start(config(null), List.of("Holiday"))) {
            await().atMost(WAIT).until(() -> noticed("peer Holiday at 127.0.0.1:")
                    && noticed("did not start TLS, which this server requires"));
            assertEquals(LinkState.WAITING, welsh.server("Welsh").linkStates().get("Holiday"));
        }
    }

    @Test
    void aPeerWithAnUntrustedCertificateNeverLinksAndIsRedialled() throws Exception {
        try (Herd welsh = start(config(herdStore), List.of("Welsh"));
             Herd holiday = start(config(strangerStore), List.of("Holiday"))) {
            // both speak TLS, but neither trusts the other's certificate: the TLS handshake fails
            await().atMost(WAIT).until(() -> noticed("TLS with peer Welsh did not come up within 5 s")
                    && events.stream().filter(e -> e instanceof HerdEvent.ConnectionOpened o
                            && o.server().equals("Holiday")).count() >= 2);
            assertEquals(LinkState.WAITING, welsh.server("Welsh").linkStates().get("Holiday"));
            assertTrue(events.stream().noneMatch(e -> e instanceof HerdEvent.LinkUp));
        }
    }

    @Test
    void aPlainServerAskedForTlsAnswersAsToAClientAndTheDialerSaysWhy() throws Exception {
        try (Herd welsh = start(config(null), List.of("Welsh"));
             Herd holiday = start(config(herdStore), List.of("Holiday"))) {
            await().atMost(WAIT).until(() -> noticed("peer Welsh did not agree to TLS (is TLS configured there?)"));
            assertEquals(LinkState.DIALING, holiday.server("Holiday").linkStates().get("Welsh"));
        }
    }

    @Test
    void badKeyStoreOrMissingPasswordStopsTheStart() throws Exception {
        Path junk = stores.resolve("junk.p12");
        Files.writeString(junk, "not a key store");
        HerdStartException bad = assertThrows(HerdStartException.class,
                () -> Herd.create(config(junk), List.of("Welsh"), ENV));
        assertTrue(bad.getMessage().startsWith("cannot use TLS key store " + junk + ": "), bad.getMessage());
        HerdStartException unset = assertThrows(HerdStartException.class,
                () -> Herd.create(config(herdStore), List.of("Welsh"), Map.of()));
        assertEquals("security.tls.passwordEnv names HERD_TLS_PW, which is not set: set it to the key store's password",
                unset.getMessage());
    }
}
