package herd.engine.places;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.Herd;
import herd.engine.PlacesStats;
import herd.engine.config.HerdConfig;
import herd.engine.config.PlacesSettings;
import herd.engine.testing.LineClient;
import herd.engine.testing.StandInGoogle;
import herd.engine.testing.TestHerds;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which provider a config selects, and WHATSAT end to end through each kind. */
class PlacesProvidersTest {

    @TempDir
    Path logs;

    private HerdConfig config(PlacesSettings places) throws Exception {
        return TestHerds.config(logs, "http://127.0.0.1:9/x", 1000).withPlaces(places);
    }

    @Test
    void autoWithoutAKeyIsOfflineAndWithAKeyIsGoogle() {
        PlacesSettings auto = PlacesSettings.defaults().withKeyEnv("HERD_K");
        assertTrue(PlacesProviders.create(auto, Map.of()).describe().startsWith("offline"));
        assertTrue(PlacesProviders.create(auto, Map.of("HERD_K", " ")).describe().startsWith("offline"), "blank is unset");
        assertTrue(PlacesProviders.create(auto, Map.of("HERD_K", "k")).describe().startsWith("google (legacy"));
        assertTrue(PlacesProviders.create(auto.withProvider("google-new"), Map.of("HERD_K", "k")).describe()
                .startsWith("google-new"));
        assertTrue(PlacesProviders.create(auto.withProvider("google-new"), Map.of()).describe().contains("HERD_K is not set"));
    }

    @Test
    void defaultHerdAnswersWhatsatWithRealPlacesOffline() throws Exception {
        HerdConfig c = config(PlacesSettings.defaults().withKeyEnv("HERD_NO_KEY_HERE"));
        try (Herd herd = Herd.start(c, List.of("Welsh"), Map.of())) {
            assertTrue(herd.placesDescription().startsWith("offline"), herd.placesDescription());
            int port = TestHerds.port(herd, "Welsh");
            String at = LineClient.exchange(port, "IAMAT kiwi.cs.ucla.edu +34.068930-118.445127 1520023934.918963997\n").strip();
            String reply = LineClient.exchange(port, "WHATSAT kiwi.cs.ucla.edu 10 5\n");
            assertTrue(reply.startsWith(at + "\n{\n   \"html_attributions\" : [ \"Data from GeoNames"), reply);
            assertTrue(reply.endsWith("\n   \"status\" : \"OK\"\n}\n\n"), reply);
            assertEquals(5, reply.split("\"place_id\" : \"geonames:", -1).length - 1, reply);
            assertTrue(reply.contains("\"name\" : \"Santa Monica\""), reply);
            assertTrue(reply.contains("\"types\" : [ \"locality\", \"political\" ]"), reply);
            assertEquals(new PlacesStats(1, 0, 0, 0, 0), herd.server("Welsh").placesStats());
            LineClient.exchange(port, "IAMAT ship +0-140 1\n");
            assertTrue(LineClient.exchange(port, "WHATSAT ship 50 20\n").contains("\"status\" : \"ZERO_RESULTS\""));
        }
    }

    @Test
    void offlineIsNeverRateLimited() throws Exception {
        HerdConfig c = config(PlacesSettings.defaults().withProvider("offline").withMaxCallsPerSecond(1));
        try (Herd herd = Herd.start(c, List.of("Hands"), Map.of())) {
            int port = TestHerds.port(herd, "Hands");
            LineClient.exchange(port, "IAMAT k +48.8566+2.3522 1\n");
            StringBuilder many = new StringBuilder();
            for (int i = 0; i < 30; i++) {
                many.append("WHATSAT k 20 3\n");
            }
            String all = LineClient.exchange(port, many.toString());
            assertEquals(30, all.split("\"status\" : \"OK\"", -1).length - 1);
            assertTrue(all.contains("\"name\" : \"Paris\""), all.substring(0, 400));
        }
    }

    @Test
    void whatsatBoundsShareOneUpstreamCallThroughAServer() throws Exception {
        try (StandInGoogle google = new StandInGoogle()) {
            HerdConfig c = config(PlacesSettings.defaults().withProvider("google").withUrl(google.url())
                    .withKeyEnv("HERD_TEST_KEY"));
            try (Herd herd = Herd.start(c, List.of("Wilkes"), TestHerds.keyEnv())) {
                int port = TestHerds.port(herd, "Wilkes");
                LineClient.exchange(port, "IAMAT x +34.068930-118.445127 1\n");
                String three = LineClient.exchange(port, "WHATSAT x 10 3\n");
                String twenty = LineClient.exchange(port, "WHATSAT x 10 20\n");
                assertEquals(3, three.split("\"name\"", -1).length - 1);
                assertEquals(20, twenty.split("\"name\"", -1).length - 1);
                assertEquals(1, google.requests.size());
                assertEquals(new PlacesStats(1, 1, 0, 0, 0), herd.server("Wilkes").placesStats());
            }
        }
    }

    @Test
    void googleNewAnswersWhatsatInTheLegacyShape() throws Exception {
        try (StandInGoogle google = new StandInGoogle()) {
            google.answerNew("34.068930,-118.445127", StandInGoogle.Answer.ok(GoogleNewPlacesTest.TWO_PLACES));
            HerdConfig c = config(PlacesSettings.defaults().withProvider("google-new").withUrl(google.newUrl())
                    .withKeyEnv("HERD_TEST_KEY"));
            try (Herd herd = Herd.start(c, List.of("Goloman", "Hands"), TestHerds.keyEnv())) {
                LineClient.exchange(TestHerds.port(herd, "Goloman"), "IAMAT y +34.068930-118.445127 1\n");
                await().atMost(Duration.ofSeconds(10)).until(() -> herd.server("Hands").location("y").isPresent());
                String reply = LineClient.exchange(TestHerds.port(herd, "Hands"), "WHATSAT y 10 1\n");
                assertTrue(reply.contains("\"name\" : \"UCLA\",\n         \"place_id\" : \"ChIJ1\""), reply);
                assertTrue(!reply.contains("Café Ñ"), "cut to the bound");
                assertTrue(reply.endsWith("   \"status\" : \"OK\"\n}\n\n"), reply);
            }
        }
    }
}
