package herd.engine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
    void googleNewDefaultsToItsOwnUrlAndCacheKeysAreRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "places": {"provider": "google-new", "cacheTtlMs": 0, "cacheEntries": 5, "maxCallsPerSecond": 3}}""", "t");
        assertEquals(new PlacesSettings(PlacesSettings.Provider.GOOGLE_NEW, PlacesSettings.NEW_NEARBY_URL, "GOOGLE_PLACES_API_KEY", 10_000, 0, 5, 3),
                c.places());
    }

    @Test
    void limitsAreRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "limits": {"maxLineBytes": 1000, "clientQueueBytes": 2000, "peerQueueBytes": 3000,
                            "idleTimeoutSeconds": 4, "maxClients": 5}}""", "t");
        assertEquals(new Limits(1000, 2000, 3000, 4, 5), c.limits());
        assertEquals(Limits.defaults(), HerdConfig.defaults().limits());
    }

    @Test
    void securityIsRead() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"A": {"port": 1}},
                 "security": {"peerSecretEnv": "S", "tls": {"keyStore": "k.p12", "passwordEnv": "P"}}}""", "t");
        assertEquals(new Security(null, "S", new Security.Tls(Path.of("k.p12"), "P", null)), c.security());
        assertEquals(Path.of("k.p12"), c.security().tls().trustStoreOrKeyStore());
        assertEquals(Security.none(), HerdConfig.defaults().security());
    }

    @Test
    void missingKeysTakeDefaults() throws Exception {
        HerdConfig c = HerdConfig.parse("""
                {"servers": {"Goloman": {"port": 1}, "Hands": {"port": 2}, "Welsh": {"port": 3}}}""", "t");
        assertEquals(List.of(Link.between("Goloman", "Hands")), c.links(), "default links among the named servers");
        assertEquals(PlacesSettings.defaults(), c.places());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{}|\"servers\" is required",
            "[]|top level must be a JSON object",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"extra\": 1}|unknown key \"extra\" in top level",
            "{\"servers\": {\"A\": {\"port\": 1, \"colour\": 1}}}|unknown key \"colour\" in servers.A",
            "{\"servers\": {\"A\": {\"host\": \"h\"}}}|servers.A.port is required",
            "{\"servers\": {\"A\": {\"port\": 70000}}}|servers.A.port must be an integer from 1 to 65535",
            "{\"servers\": {\"A\": {\"port\": \"1\"}}}|servers.A.port must be an integer",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"port\": 1}}}|duplicate port: 127.0.0.1:1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"Z\"]]}|names unknown server \"Z\"",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [[\"A\", \"A\"]]}|joins a server to itself",
            "{\"servers\": {\"A\": {\"port\": 1}, \"B\": {\"port\": 2}}, \"links\": [[\"A\",\"B\"],[\"B\",\"A\"]]}|is listed twice",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"links\": [\"A\"]}|each link must be a pair",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"provider\": \"bing\"}}|places.provider must be",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"url\": \"ftp://x\"}}|places.url must be an http or https URL",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"timeoutMs\": 0}}|places.timeoutMs must be an integer of at least 1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"cacheTtlMs\": -1}}|places.cacheTtlMs must be an integer of at least 0",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"maxCallsPerSecond\": 0}}|places.maxCallsPerSecond must be an integer of at least 1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"cacheEntries\": 1.5}}|places.cacheEntries must be an integer",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"places\": {\"key\": \"secret\"}}|unknown key \"key\" in places",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"logDir\": 5}|logDir must be a non-empty string",
            "{\"servers\": {}}|non-empty object",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"peerSecret\": \"a\", \"peerSecretEnv\": \"B\"}}|not both",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"tls\": {\"keyStore\": \"k\"}}}|security.tls needs keyStore and passwordEnv",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"security\": {\"secret\": \"x\"}}|unknown key \"secret\" in security",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxClients\": 0}}|limits.maxClients must be an integer of at least 1",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"maxLineBytes\": 8}}|limits.maxLineBytes must be an integer of at least 16",
            "{\"servers\": {\"A\": {\"port\": 1}}, \"limits\": {\"idleSeconds\": 8}}|unknown key \"idleSeconds\" in limits",
            "{\"servers\": {\"A\": {\"port\": 1}, \"A\": {\"port\": 2}}}|not valid JSON: Duplicate field 'A'",
            "{\"servers\": |not valid JSON",
    })
    void badConfigIsRefusedWithOneLineNamingTheProblem(String json, String expected) {
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.parse(json, "bad.json"));
        assertTrue(e.getMessage().startsWith("config bad.json: "), e.getMessage());
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertEquals(1, e.getMessage().lines().count(), e.getMessage());
    }

    @Test
    void missingFileIsNamed(@TempDir Path dir) {
        ConfigException e = assertThrows(ConfigException.class, () -> HerdConfig.load(dir.resolve("nope.json")));
        assertTrue(e.getMessage().endsWith("nope.json: no such file"), e.getMessage());
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
