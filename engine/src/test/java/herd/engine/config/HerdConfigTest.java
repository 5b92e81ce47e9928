package herd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HerdConfigTest {

    @Test
    void defaultsAreTheSpecHerd() {
        HerdConfig c = HerdConfig.defaults();
        assertEquals(List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes"), c.serverNames());
        assertEquals(12013, c.server("Welsh").orElseThrow().port());
        assertEquals(6, c.links().size());
        assertEquals(List.of("Hands", "Holiday", "Wilkes"), c.neighbours("Goloman"));
        assertEquals(List.of("Holiday"), c.neighbours("Welsh"));
        assertEquals("auto", c.places().provider().configName());
        assertEquals(Path.of("logs"), c.logDir());
    }

    @Test
    void fullFileIsRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"host": "127.0.0.2", "port": 2000}, "B": {"port": 2001}},
                 "links": [["B", "A"]],
                 "places": {"provider": "google", "url": "http://127.0.0.1:9/x", "keyEnv": "K", "timeoutMs": 50},
                 "logDir": "/tmp/herd-logs"}""", "t.json");
        assertEquals(new ServerSpec("A", "127.0.0.2", 2000), c.server("A").orElseThrow());
        assertEquals("127.0.0.1", c.server("B").orElseThrow().host());
        assertEquals(List.of(new Link("A", "B")), c.links());
        assertEquals(new PlacesSettings(PlacesSettings.Provider.GOOGLE, "http://127.0.0.1:9/x", "K", 50, 60_000, 1000, 10), c.places());
        assertEquals(Path.of("/tmp/herd-logs"), c.logDir());
    }

    @Test
    void listenIsReadAsWrittenAndHostIsWhereThePeersDial() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"host": "10.0.0.3", "port": 12013, "listen": "0.0.0.0"},
                             "B": {"host": "b.example", "port": 12014, "listen": "[::]"},
                             "C": {"host": "10.0.0.4", "port": 12015, "listen": "::"},
                             "D": {"host": "10.0.0.5", "port": 12016, "listen": "herd-d.internal."},
                             "E": {"host": "10.0.0.6", "port": 12017, "listen": "fd00::2"},
                             "F": {"host": "10.0.0.7", "port": 12018}}}""", "t");
        ServerSpec a = c.server("A").orElseThrow();
        assertEquals(new ServerSpec("A", "10.0.0.3", 12013, "0.0.0.0"), a);
        assertEquals("0.0.0.0", a.listenHost());
        assertEquals("0.0.0.0:12013", a.listenAddress());
        assertEquals("10.0.0.3:12013", a.dialAddress());
        assertEquals("[::]:12014", c.server("B").orElseThrow().listenAddress());
        assertEquals("[::]:12015", c.server("C").orElseThrow().listenAddress());
        assertEquals("herd-d.internal.", c.server("D").orElseThrow().listenHost());
        assertEquals("[fd00::2]:12017", c.server("E").orElseThrow().listenAddress());
        ServerSpec f = c.server("F").orElseThrow();
        assertEquals(null, f.listen(), "without listen a server binds its host, as before");
        assertEquals("10.0.0.7", f.listenHost());
        assertEquals(new ServerSpec("F", "10.0.0.7", 12018), f);
        assertEquals(new ServerSpec("A", "10.0.0.3", 0, "0.0.0.0"), c.withPorts(List.of(0, 0, 0, 0, 0, 0)).servers().get(0),
                "a move to other ports keeps listen");
    }

    /**
     * Which machine a server is on is not in the config: servers with different hosts may
     * each listen on every address of their own machine at one port. Loopback hosts are one
     * machine's, and distinct loopback addresses may share a port as before.
     */
    @Test
    void oneWildcardPerPortIsAllowedPerMachineAndDistinctAddressesShareAPort() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"host": "10.0.0.1", "port": 12010, "listen": "0.0.0.0"},
                             "B": {"host": "10.0.0.2", "port": 12010, "listen": "0.0.0.0"},
                             "C": {"host": "10.0.0.3", "port": 12010, "listen": "::"},
                             "D": {"host": "127.0.0.1", "port": 12011},
                             "E": {"host": "127.0.0.2", "port": 12011},
                             "F": {"host": "127.0.0.1", "port": 12012, "listen": "0.0.0.0"}}}""", "t");
        assertEquals(6, c.servers().size());
    }

    @Test
    void googleNewDefaultsToItsOwnUrlAndCacheKeysAreRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "places": {"provider": "google-new", "cacheTtlMs": 0, "cacheEntries": 5, "maxCallsPerSecond": 3}}""", "t");
        assertEquals(new PlacesSettings(PlacesSettings.Provider.GOOGLE_NEW, PlacesSettings.NEW_NEARBY_URL, "GOOGLE_PLACES_API_KEY", 10_000, 0, 5, 3),
                c.places());
    }

    @Test
    void metricsPortsAreReadPerServerAndOffByDefault() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 2000, "metrics": {"port": 9113}},
                             "B": {"port": 2001},
                             "C": {"host": "127.0.0.2", "port": 2002, "metrics": {"port": 9113}}}}""", "t");
        assertEquals(Map.of("A", 9113, "C", 9113), c.metricsPorts(), "the same port on another host is no clash");
        assertEquals(9113, c.metricsPort("A").orElseThrow());
        assertTrue(c.metricsPort("B").isEmpty());
        assertEquals(Map.of(), HerdConfig.defaults().metricsPorts());
    }

    @Test
    void aMetricsPortFromTheCommandLineIsCheckedLikeTheFilesOnes() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 2000, "metrics": {"port": 9113}}, "B": {"port": 2001}}}""", "t");
        assertEquals(9114, c.withMetricsPort("A", 9114).metricsPort("A").orElseThrow(), "it replaces the file's");
        assertEquals(0, c.withMetricsPort("B", 0).metricsPort("B").orElseThrow(), "0: any free port");
        assertEquals(9113, c.withMetricsPort("B", 0).withPorts(List.of(3000, 3001)).metricsPort("A").orElseThrow(),
                "kept by the config's other withers");
        assertEquals("--metrics-port 2000 is also A's port on 127.0.0.1",
                assertThrows(IllegalArgumentException.class, () -> c.withMetricsPort("B", 2000)).getMessage());
        assertEquals("--metrics-port 9113 is also A's metrics port on 127.0.0.1",
                assertThrows(IllegalArgumentException.class, () -> c.withMetricsPort("B", 9113)).getMessage());
        assertEquals("--metrics-port must be a port from 0 to 65535, got 65536",
                assertThrows(IllegalArgumentException.class, () -> c.withMetricsPort("B", 65536)).getMessage());
        assertEquals("--metrics-port: no server named Z",
                assertThrows(IllegalArgumentException.class, () -> c.withMetricsPort("Z", 9000)).getMessage());
    }

    @Test
    void limitsAreRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "limits": {"maxLineBytes": 1000, "clientQueueBytes": 2000, "peerQueueBytes": 3000,
                            "idleTimeoutSeconds": 4, "maxClients": 5}}""", "t");
        assertEquals(new Limits(1000, 2000, 3000, 4, 5), c.limits());
        assertEquals(Limits.defaults(), HerdConfig.defaults().limits());
        HerdConfig bounds = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "limits": {"maxLineBytes": 300, "maxClientIdBytes": 64, "maxTimeDigits": 20,
                            "maxCoordinateDigits": 12}}""", "t");
        assertEquals(new Limits(300, 4L << 20, 16L << 20, 600, 20_000, 64, 20, 12, 3600, 30, 1024), bounds.limits());
    }

    @Test
    void fieldBoundsThatLetAnAtLineOutgrowTheLineLimitAreRefusedInCodeToo() {
        Limits tight = new Limits(300, 4L << 20, 16L << 20, 600, 20_000);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> HerdConfig.defaults().withLimits(tight));
        assertTrue(e.getMessage().startsWith("an AT line of server Goloman can be 395 bytes"), e.getMessage());
    }

    @Test
    void clockSkewLineTimeoutAndAcceptBacklogAreReadWithTheirDefaults() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}}, "limits": {"maxClockSkewSeconds": 60, "lineTimeoutSeconds": 7,
                                                               "acceptBacklog": 4096}}""", "t");
        assertEquals(60, c.limits().maxClockSkewSeconds());
        assertEquals(7, c.limits().lineTimeoutSeconds());
        assertEquals(4096, c.limits().acceptBacklog());
        assertEquals(1024, Limits.defaults().acceptBacklog());
        assertEquals(3600, Limits.defaults().maxClockSkewSeconds());
        assertEquals(30, Limits.defaults().lineTimeoutSeconds());
    }

    @Test
    void logRotationIsReadWithItsDefaults() throws Exception {
        assertEquals(new LogSettings(64L << 20, 10), HerdConfig.defaults().log());
        assertEquals(LogSettings.defaults(), HerdConfig.parse("{\"servers\": {\"A\": {\"port\": 1}}}", "t").log());
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}}, "log": {"maxFileBytes": 65536, "maxFiles": 3}}""", "t");
        assertEquals(new LogSettings(65536, 3), c.log());
        HerdConfig off = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}}, "log": {"maxFileBytes": 0}}""", "t");
        assertEquals(new LogSettings(0, 10), off.log(), "0: never rotate (logrotate and SIGHUP do it)");
        assertFalse(off.log().rotates());
        HerdConfig big = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}}, "log": {"maxFileBytes": 4294967296, "maxFiles": 1}}""", "t");
        assertEquals(new LogSettings(4L << 30, 1), big.log(), "files past 2 GiB");
    }

    @Test
    void aBadLogSizeIsPlacedAtItsValue() {
        assertRefused("""
                {
                  "servers": {"Welsh": {"port": 12013}},
                  "log": {"maxFiles": 5,
                          "maxFileBytes": 1000}
                }
                """, "herd.json:4:27: log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got 1000");
    }

    @Test
    void securityIsRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "security": {"peerSecretEnv": "S", "tls": {"keyStore": "k.p12", "passwordEnv": "P"}}}""", "t");
        assertEquals(Security.sharedSecretFromEnv("S").withTls(new Security.Tls(Path.of("k.p12"), "P", null)), c.security());
        assertEquals(Path.of("k.p12"), c.security().tls().trustStoreOrKeyStore());
        assertEquals(Security.defaults(), HerdConfig.defaults().security());
    }

    @Test
    void peersAuthenticateWithTheCookieUnlessTheConfigSaysOtherwise() throws Exception {
        String servers = "{\"servers\": {\"A\": {\"port\": 1}}";
        assertEquals(Security.PeerAuthentication.COOKIE, HerdConfig.parse(servers + "}", "t").security().peerAuth());
        assertEquals(Security.PeerAuthentication.COOKIE, HerdConfig.defaults().security().peerAuth());
        assertEquals(Security.defaults().withCookieFile(Path.of("/srv/herd/cookie")), HerdConfig.parse(servers
                + ", \"security\": {\"peerAuth\": \"cookie\", \"cookieFile\": \"/srv/herd/cookie\"}}", "t").security());
        assertEquals(Security.unauthenticated(),
                HerdConfig.parse(servers + ", \"security\": {\"peerAuth\": \"none\"}}", "t").security());
        assertEquals(Security.sharedSecret("x"),
                HerdConfig.parse(servers + ", \"security\": {\"peerSecret\": \"x\"}}", "t").security());
    }

    @Test
    void theCookieFileComesFromTheEnvironmentTheConfigOrTheHomeFolder() {
        String home = System.getProperty("user.home");
        Security s = Security.defaults();
        assertEquals(Path.of(home, ".herd", "cookie"), s.cookieFileIn(Map.of()));
        assertEquals(Path.of("/etc/herd/c"), s.withCookieFile(Path.of("/etc/herd/c")).cookieFileIn(Map.of()));
        assertEquals(Path.of(home, "h", "c"), s.withCookieFile(Path.of("~/h/c")).cookieFileIn(Map.of()));
        assertEquals(Path.of("/tmp/t/c"), s.withCookieFile(Path.of("/etc/herd/c"))
                .cookieFileIn(Map.of(Security.COOKIE_FILE_ENV, "/tmp/t/c")), "the environment wins");
        assertEquals(Path.of(home, ".herd", "cookie"), s.cookieFileIn(Map.of(Security.COOKIE_FILE_ENV, "")));
    }

    @Test
    void missingKeysTakeDefaults() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"Goloman": {"port": 1}, "Hands": {"port": 2}, "Welsh": {"port": 3}}}""", "t");
        assertEquals(List.of(Link.between("Goloman", "Hands")), c.links(), "default links among the named servers");
        assertEquals(PlacesSettings.defaults(), c.places());
    }

    /**
     * Each bad file gives one line: the file, the line and column of the part at fault (the
     * first place {@code at} occurs), and the problem.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "{}|{|\"servers\" is required",
            "[]|[|the top level must be a JSON object {...}, got []",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"extra\": 1}|\"extra|unknown key \"extra\" in the top level (allowed: servers, links, places, limits, security, logDir, log)",
            "{\"servers\": {\"A\": {\"port\": 1, \"colour\": 1}}}|\"colour|unknown key \"colour\" in servers.A (allowed: host, port, listen, metrics)",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": 9}}}|9}|servers.A.metrics must be an object {port}, got 9",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {\"prt\": 9}}}}|\"prt|unknown key \"prt\" in servers.A.metrics (allowed: port)",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {}}}}|{}|servers.A.metrics.port is required",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {\"port\": 0}}}}|0}|servers.A.metrics.port must be an integer from 1 to 65535, got 0",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {\"port\": 1}}}}|1}}}}|servers.A.metrics.port 1 is also A's port on 127.0.0.1",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"port\": 2, \"metrics\": {\"port\": 1}}}}|1}}}}|servers.B.metrics.port 1 is also A's port on 127.0.0.1",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {\"port\": 2}}, \"B\": {\"port\": 2}}}|2}}|servers.A.metrics.port 2 is also B's port on 127.0.0.1",
            "{\"servers\": {\"A\": {\"port\": 1, \"metrics\": {\"port\": 9}}, \"B\": {\"port\": 2, \"metrics\": {\"port\": 9}}}}|9}}}}|servers.B.metrics.port 9 is also A's metrics port on 127.0.0.1",
            "{\"servers\": {\"A\": {\"host\": \"h\"}}}|{\"host|servers.A.port is required",
            "{\"servers\": {\"A\": {\"port\": 70000}}}|70000|servers.A.port must be an integer from 1 to 65535, got 70000",
            "{\"servers\": {\"A\": {\"port\": \"1\"}}}|\"1\"|servers.A.port must be an integer from 1 to 65535, got \"1\"",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"port\": 1}}}|1}}}|duplicate port: 127.0.0.1:1 is given to more than one server",
            "{\"servers\": {\"A\": {\"host\": \"::1\", \"port\": 1}, \"B\": {\"host\": \"[::1]\", \"port\": 1}}}|1}}}|duplicate port: [::1]:1 is given to more than one server",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"*\"}}}|\"*|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"*\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"10.0.0.300\"}}}|\"10.|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"10.0.0.300\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"10.0.1\"}}}|\"10.|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"10.0.1\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"010.0.0.1\"}}}|\"010|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"010.0.0.1\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"0.0.0.0:12013\"}}}|\"0.0|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"0.0.0.0:12013\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"[0.0.0.0]\"}}}|\"[0|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"[0.0.0.0]\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"::g\"}}}|\"::g|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"::g\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"1:2:3:4:5:6:7:8:9\"}}}|\"1:|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"1:2:3:4:5:6:7:8:9\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"herd_1.example\"}}}|\"herd_|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"herd_1.example\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"a..example\"}}}|\"a..|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"a..example\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"-a.example\"}}}|\"-a|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"-a.example\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"http://a\"}}}|\"http|servers.A.listen must be an IP address (0.0.0.0 or :: for every address) or a host name, got \"http://a\"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \" \"}}}|\" \"|servers.A.listen must be a non-empty string, got \" \"",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": 0}}}|0}|servers.A.listen must be a non-empty string, got 0",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"0.0.0.0\"}, \"B\": {\"host\": \"127.0.0.2\", \"port\": 1}}}|1}}}|servers.B would listen on 127.0.0.2:1 and A on 0.0.0.0:1 (a wildcard takes the port on every address), on one machine (both hosts are loopback addresses): give one of them another port",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"host\": \"localhost\", \"port\": 1, \"listen\": \"::\"}}}|\"::\"|servers.B would listen on [::]:1 and A on 127.0.0.1:1 (a wildcard takes the port on every address), on one machine (both hosts are loopback addresses): give one of them another port",
            "{\"servers\": {\"A\": {\"port\": 1, \"listen\": \"10.0.0.3\"}, \"B\": {\"host\": \"127.0.0.2\", \"port\": 1, \"listen\": \"10.0.0.3\"}}}|\"10.0.0.3\"}}|servers.B would listen on 10.0.0.3:1 and A on 10.0.0.3:1, on one machine (both hosts are loopback addresses): give one of them another port",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"Z\"]]}|\"Z|link [\"A\",\"Z\"] names unknown server \"Z\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"A\"]]}|[\"A|link [\"A\",\"A\"] joins a server to itself",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"port\": 2}}, \"links\": [[\"A\",\"B\"],[\"B\",\"A\"]]}|[\"B|link [\"B\",\"A\"] is listed twice",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [\"A\"]}|\"A\"]|each link must be a pair of server names, got \"A\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"provider\": \"bing\"}}|\"bing|places.provider must be one of auto, google, google-new, offline, got \"bing\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"url\": \"ftp://x\"}}|\"ftp|places.url must be an http or https URL, got \"ftp://x\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"timeoutMs\": 0}}|0}|places.timeoutMs must be an integer of at least 1 (milliseconds), got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"cacheTtlMs\": -1}}|-1|places.cacheTtlMs must be an integer of at least 0 (milliseconds; 0 turns the cache off), got -1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"maxCallsPerSecond\": 0}}|0}|places.maxCallsPerSecond must be an integer of at least 1 (calls per second), got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"cacheEntries\": 1.5}}|1.5|places.cacheEntries must be an integer of at least 0 (answers; 0 turns the cache off), got 1.5",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"key\": \"secret\"}}|\"key|unknown key \"key\" in places (allowed: provider, url, keyEnv, timeoutMs, cacheTtlMs, cacheEntries, maxCallsPerSecond)",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"logDir\": 5}|5}|logDir must be a non-empty string, got 5",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": 5}|5}|\"log\" must be an object {maxFileBytes, maxFiles}, got 5",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxSize\": 5}}|\"maxSize|unknown key \"maxSize\" in log (allowed: maxFileBytes, maxFiles)",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFileBytes\": 65535}}|65535|log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got 65535",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFileBytes\": -1}}|-1|log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got -1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFileBytes\": \"64MiB\"}}|\"64MiB|log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got \"64MiB\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFileBytes\": 1e8}}|1e8|log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got 1.0E8",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFileBytes\": 99999999999999999999}}|999|log.maxFileBytes must be 0 (never rotate) or an integer of at least 65536 (bytes), got 99999999999999999999",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"log\": {\"maxFiles\": 0}}|0}|log.maxFiles must be an integer of at least 1 (files per server, the current one included), got 0",
            "{\"servers\": {}}|{}|\"servers\" must be a non-empty object of name: {host, port}",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerSecret\": \"a\", \"peerSecretEnv\": \"B\"}}|\"peerSecretEnv|give security.peerSecret or security.peerSecretEnv, not both",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"tls\": {\"keyStore\": \"k\"}}}|{\"keyStore|security.tls needs keyStore and passwordEnv",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"secret\": \"x\"}}|\"secret|unknown key \"secret\" in security (allowed: peerAuth, cookieFile, peerSecret, peerSecretEnv, tls)",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerAuth\": \"off\"}}|\"off|security.peerAuth must be \"cookie\" or \"none\", got \"off\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerAuth\": false}}|false|security.peerAuth must be a non-empty string, got false",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerSecret\": \"x\", \"peerAuth\": \"cookie\"}}|\"peerAuth|give security.peerAuth or a shared secret (peerSecret), not both",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerAuth\": \"none\", \"peerSecretEnv\": \"S\"}}|\"peerAuth|give security.peerAuth or a shared secret (peerSecretEnv), not both",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerAuth\": \"none\", \"cookieFile\": \"c\"}}|\"cookieFile|security.cookieFile is read only when peers authenticate with the cookie, not with peerAuth \"none\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerSecretEnv\": \"S\", \"cookieFile\": \"c\"}}|\"cookieFile|security.cookieFile is read only when peers authenticate with the cookie, not with a shared secret",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"cookieFile\": \" \"}}|\" \"|security.cookieFile must be a non-empty string, got \" \"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"cookieFile\": \"a\\u0000b\"}}|\"a\\|security.cookieFile is not a file name: Nul character not allowed",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxClients\": 0}}|0}|limits.maxClients must be an integer of at least 1, got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxLineBytes\": 8}}|8}|limits.maxLineBytes must be an integer of at least 16, got 8",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxClockSkewSeconds\": 0}}|0}|limits.maxClockSkewSeconds must be an integer of at least 1 (seconds), got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"lineTimeoutSeconds\": 0}}|0}|limits.lineTimeoutSeconds must be an integer of at least 1 (seconds), got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"acceptBacklog\": 0}}|0}|limits.acceptBacklog must be an integer of at least 1 (connections), got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"idleSeconds\": 8}}|\"idleSeconds|unknown key \"idleSeconds\" in limits (allowed: maxLineBytes, clientQueueBytes, peerQueueBytes, idleTimeoutSeconds, maxClients, maxClientIdBytes, maxTimeDigits, maxCoordinateDigits, maxClockSkewSeconds, lineTimeoutSeconds, acceptBacklog)",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxTimeDigits\": 0}}|0}|limits.maxTimeDigits must be an integer of at least 1, got 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxLineBytes\": 300}}|{\"maxLineBytes|an AT line of server A can be 389 bytes (maxClientIdBytes 256, maxTimeDigits 30, maxCoordinateDigits 24), more than limits.maxLineBytes 300: raise maxLineBytes or lower those bounds",
            "{\"servers\": {\"A b\": {\"port\": 1}}}|\"A b|server name \"A b\" must be letters, digits, '_', '.' or '-'",
            "{\"servers\": {\"A\": {\"port\": 1}, \"A\": {\"port\": 2}}}|\"A\": {\"port\": 2|\"A\" is given twice in one object (first at 1:14)",
            "{\"servers\": {\"A\": {\"port\": 1} \"B\": {}}}|\"B|expected ',' or '}' after a field",
            "{\"servers\": {\"A\": {\"port\": 1},}}|}}|expected a field name after ',' (JSON allows no ',' before '}')",
            "{servers: {}}|servers|expected a field name in double quotes",
            "{\"servers\" {}}|{}|expected ':' after a field name",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"B\"],]}|]}|expected a value after ',' (JSON allows no ',' before ']')",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\" \"B\"]]}|\"B|expected ',' or ']' after an array element",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"B\"}]}|}]|'}' does not close the array opened at 1:43",
            "{\"servers\": {\"A\": {\"port\": 'x'}}}|'x'|expected a value; JSON strings take double quotes, not single",
            "{\"servers\": {\"A\": {\"port\": tru}}}|tru|unknown word \"tru\": expected a value (a string in double quotes, a number, an object, an array, true, false or null)",
            "{\"servers\": {\"A\": {\"port\": 012}}}|12|a number cannot start with 0 (write 8, not 08)",
            "{\"servers\": {\"A\": {\"port\": 1}}} // the herd|/|unexpected text after the end of the config",
            "{/* the herd */ \"servers\": {}}|/|comments are not allowed in JSON",
            "{\"logDir\": \"a\\qb\"}|qb|bad escape in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by 4 hex digits)",
            "` \t `|` \t `|the file is empty; a config is a JSON object {...}",
    })
    void badConfigIsRefusedWithOneLineNamingTheFileLineAndColumn(String json, String at, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.parse(json, "bad.json"));
        assertEquals("bad.json:1:" + (json.indexOf(at) + 1) + ": " + problem, e.getMessage());
    }

    @Test
    void aMissingCommaIsPlacedAtTheFieldAfterIt() {
        assertRefused("""
                {
                  "servers": {
                    "Welsh": {"port": 12013}
                    "Wilkes": {"port": 12014}
                  }
                }
                """, "herd.json:4:5: expected ',' or '}' after a field");
    }

    @Test
    void aValueOfTheWrongTypeIsPlacedAtTheValue() {
        assertRefused("""
                {
                  "servers": {
                    "Welsh": {"host": "127.0.0.1",
                              "port": "12013"}
                  }
                }
                """, "herd.json:4:23: servers.Welsh.port must be an integer from 1 to 65535, got \"12013\"");
    }

    @Test
    void anUnknownFieldIsPlacedAtItsName() {
        assertRefused("""
                {
                  "servers": {"Welsh": {"port": 12013}},
                  "places": {
                    "provider": "offline",
                      "timeout": 5000
                  }
                }
                """, "herd.json:5:7: unknown key \"timeout\" in places (allowed: provider, url, keyEnv, timeoutMs, "
                + "cacheTtlMs, cacheEntries, maxCallsPerSecond)");
    }

    @Test
    void aFileThatEndsTooSoonNamesWhatIsStillOpen() {
        assertRefused("""
                {
                  "servers": {
                    "Welsh": {"port": 12013}
                """, "herd.json:4:1: the file ends before the object opened at 2:14 is closed");
    }

    @Test
    void aLineBreakInsideAStringIsPlacedAtTheBreak() {
        assertRefused("{\"servers\": {\"Welsh\": {\"port\": 1}},\n \"logDir\": \"logs\n\"}",
                "herd.json:2:17: a line break or other control character in a string must be escaped (\\n, \\t, \\u0001)");
    }

    @Test
    void whatTheFileSaysStaysOnOneLine() {
        assertRefused("{\"servers\": {\"Welsh\\nHERD\u2028x\": {\"port\": 1}}}",
                "herd.json:1:14: server name \"Welsh\\nHERD\\u2028x\" must be letters, digits, '_', '.' or '-'");
        assertRefused("{\"servers\": {\"Welsh\": {\"port\": 1}}, \"places\": {\"url\": \"http://a\\nb\"}}",
                "herd.json:1:55: places.url is not a URL: Illegal character in authority at index 7: http://a\\nb");
    }

    /** Every cut-short config is refused in plain words: never the parser's class or feature names. */
    @Test
    void everyTruncatedFileIsOneLineWithAPlaceAndNoParserInternals() {
        String whole = """
                {"servers": {"Welsh": {"host": "127.0.0.1", "port": 12013}, "Holiday": {"port": 12012}},
                 "links": [["Welsh", "Holiday"]], "places": {"provider": "offline", "timeoutMs": 1.5e3},
                 "logDir": "l\\u00f6gs", "security": {"peerSecret": "x"}}""";
        for (int end = 0; end < whole.length(); end++) {
            String cut = whole.substring(0, end);
            ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.parse(cut, "herd.json"), cut);
            String m = e.getMessage();
            assertTrue(m.matches("herd\\.json:\\d+:\\d+: [^\\n\\r]+"), cut + " -> " + m);
            for (String internal : List.of("Source", "REDACTED", "Feature", "Exception", "jackson", "Json", "code ", "`", "[")) {
                assertFalse(m.contains(internal), cut + " -> " + m);
            }
        }
    }

    @Test
    void aByteOrderMarkIsAllowed() throws Exception {
        assertEquals(4000, HerdConfig.parse("\uFEFF{\"servers\": {\"Welsh\": {\"port\": 4000}}}", "t").server("Welsh")
                .orElseThrow().port());
    }

    @Test
    void aFileThatIsNotUtf8IsPlacedAtItsFirstBadByte(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("herd.json");
        byte[] latin1 = "{\"servers\": {\"Welsh\": {\"port\": 4000}},\n \"logDir\": \"l\u00f6gs\"}"
                .getBytes(StandardCharsets.ISO_8859_1);
        Files.write(f, latin1);
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.load(f));
        assertEquals(f + ":2:14: not UTF-8 text (byte 0xf6); save the file as UTF-8", e.getMessage());
    }

    private static void assertRefused(String json, String message) {
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.parse(json, "herd.json"));
        assertEquals(message, e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.load(dir.resolve("nope.json")));
        assertEquals(dir.resolve("nope.json") + ": no such file", e.getMessage());
    }

    @Test
    void fileIsLoaded(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("herd.json");
        Files.writeString(f, "{\"servers\": {\"Welsh\": {\"port\": 4000}}}");
        HerdConfig c = HerdConfig.load(f);
        assertEquals(4000, c.server("Welsh").orElseThrow().port());
        assertEquals(f.toString(), c.source());
    }
}
