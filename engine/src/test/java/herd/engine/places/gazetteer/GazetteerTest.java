package herd.engine.places.gazetteer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;

class GazetteerTest {

    /** Westwood, UCLA: the location of the assignment's example IAMAT. */
    private static final double WESTWOOD_LAT = 34.068930;
    private static final double WESTWOOD_LNG = -118.445127;

    private static final Gazetteer GAZETTEER = Gazetteer.shared();

    @Test
    void sharedInstanceIsLoadedOnceWithTheGeoNamesCities() {
        assertSame(GAZETTEER, Gazetteer.shared());
        assertTrue(GAZETTEER.size() > 100_000, "size " + GAZETTEER.size());
    }

    @Test
    void westwoodWithinTenKmIncludesTheWestsideCities() {
        List<String> names = names(GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 100));
        for (String city : List.of("Beverly Hills", "Santa Monica", "Culver City", "West Hollywood")) {
            assertTrue(names.contains(city), city + " missing from " + names);
        }
    }

    @Test
    void losAngelesCountsFromItsDowntownPointNearlyNineteenKmFromWestwood() {
        // GeoNames places Los Angeles at City Hall, so Westwood's 10 km circle misses it
        // although Westwood is inside the city; 20 km reaches it, and it ranks first.
        Place losAngeles = GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 20_000, 1).get(0);
        assertEquals("Los Angeles", losAngeles.name());
        assertEquals(18_650, distance(WESTWOOD_LAT, WESTWOOD_LNG, losAngeles.lat(), losAngeles.lng()), 50);
        assertFalse(names(GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 100)).contains("Los Angeles"));
    }

    @Test
    void everyResultIsWithinTheRadius() {
        double[][] queries = {{WESTWOOD_LAT, WESTWOOD_LNG, 10_000}, {48.8566, 2.3522, 50_000},
            {28.6139, 77.2090, 50_000}, {-33.8688, 151.2093, 25_000}, {64.7, 180, 200_000}};
        for (double[] q : queries) {
            List<Place> found = GAZETTEER.nearby(q[0], q[1], q[2], 1000);
            assertFalse(found.isEmpty());
            for (Place p : found) {
                double d = distance(q[0], q[1], p.lat(), p.lng());
                assertTrue(d <= q[2] + 1e-6, p + " is " + d + " m away, radius " + q[2]);
            }
        }
    }

    @Test
    void resultsAreSortedByPopulationDescending() {
        List<Place> found = GAZETTEER.nearby(48.8566, 2.3522, 50_000, 1000);
        assertTrue(found.size() > 100, "Paris area holds " + found.size());
        for (int i = 1; i < found.size(); i++) {
            assertTrue(found.get(i - 1).population() >= found.get(i).population(),
                    found.get(i - 1) + " before " + found.get(i));
        }
    }

    @Test
    void resultsAreCutToTheLimitKeepingTheMostPopulous() {
        List<Place> all = GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 100);
        List<Place> three = GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 3);
        assertTrue(all.size() > 3);
        assertEquals(all.subList(0, 3), three);
        assertEquals("Santa Monica", three.get(0).name());
        assertEquals(List.of(), GAZETTEER.nearby(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 0));
    }

    @Test
    void equalPopulationsRankNearerFirstThenLowerId() {
        Gazetteer small = new Gazetteer(List.of(
                new Place(30, "Far", 0, 0.2, 5000, "", "XX"),
                new Place(20, "NearB", 0, 0.1, 5000, "", "XX"),
                new Place(10, "NearA", 0, -0.1, 5000, "", "XX"),
                new Place(40, "Big", 0, 0.3, 9000, "", "XX")));
        assertEquals(List.of("Big", "NearA", "NearB", "Far"), names(small.nearby(0, 0, 100_000, 10)));
    }

    @Test
    void placesOnTheCircleAtCellEdgesAreFound() {
        // Each place sits on a 0.5-degree cell boundary, exactly half a degree from the
        // query, so the search box's edge falls right on the cell edge.
        Gazetteer small = new Gazetteer(List.of(
                new Place(1, "East", 0, 0.5, 1000, "", "XX"), new Place(2, "West", 0, -0.5, 1000, "", "XX"),
                new Place(3, "North", 0.5, 0, 1000, "", "XX"), new Place(4, "South", -0.5, 0, 1000, "", "XX")));
        double halfDegree = Gazetteer.EARTH_RADIUS_METERS * Math.toRadians(0.5);
        assertEquals(4, small.nearby(0, 0, halfDegree + 1e-6, 10).size());
        assertEquals(0, small.nearby(0, 0, halfDegree - 1e-3, 10).size());
    }

    @Test
    void openOceanHasNoPlaces() {
        assertEquals(List.of(), GAZETTEER.nearby(0, -140, 50_000, 20));
    }

    @Test
    void queryJustWestOfTheAntimeridianFindsPlacesJustEastOfIt() {
        // Fiji: Levuka (Ovalau) lies at +179.32; the query is at -179.9, 83 km away.
        List<Place> found = GAZETTEER.nearby(-18.0, -179.9, 100_000, 20);
        assertTrue(names(found).contains("Levuka"), names(found).toString());
    }

    @Test
    void queryOnTheAntimeridianFindsPlacesOnBothSides() {
        // Chukotka: Beringovskiy at +179.35, Egvekinot at -179.12, each ~185 km from the query.
        List<Place> at180 = GAZETTEER.nearby(64.7, 180, 200_000, 20);
        assertTrue(names(at180).containsAll(List.of("Beringovskiy", "Egvekinot")), names(at180).toString());
        assertEquals(at180, GAZETTEER.nearby(64.7, -180, 200_000, 20));
    }

    @Test
    void northPoleQueryCoversEveryLongitude() {
        // Longyearbyen (78.2N, 15.6E) is the northernmost place, ~1310 km from the pole.
        assertEquals(List.of("Longyearbyen"), names(GAZETTEER.nearby(90, 0, 1_400_000, 20)));
        assertEquals(List.of("Longyearbyen"), names(GAZETTEER.nearby(90, -123, 1_400_000, 20)));
        assertEquals(List.of("Longyearbyen"), names(GAZETTEER.nearby(89.99, -170, 1_400_000, 20)));
    }

    @Test
    void southPoleQueryCoversEveryLongitude() {
        // McMurdo Station (77.8S, 166.7E), ~1350 km from the pole.
        assertEquals(List.of("McMurdo Station"), names(GAZETTEER.nearby(-90, 0, 1_400_000, 20)));
        assertEquals(List.of("McMurdo Station"), names(GAZETTEER.nearby(-90, 180, 1_400_000, 20)));
    }

    @Test
    void queriesAtThePolesAndCornersWithSmallRadiiFindNothing() {
        double[][] points = {{90, 0}, {-90, 0}, {89.99, 180}, {-89.99, -180}, {90, 180}, {-90, -180}};
        for (double[] p : points) {
            assertEquals(List.of(), GAZETTEER.nearby(p[0], p[1], 50_000, 20), p[0] + "," + p[1]);
        }
    }

    @Test
    void indexAnswersExactlyWhatAFullScanFinds() {
        List<Place> all = GAZETTEER.all();
        List<Place> nearAntimeridian = all.stream().filter(p -> Math.abs(p.lng()) > 178).collect(Collectors.toList());
        Random random = new Random(20240607);
        for (int q = 0; q < 120; q++) { // each full scan costs ~25 ms
            double lat;
            double lng;
            switch (q % 4) {
                case 0 -> { // around a real place, where the data is dense
                    Place p = all.get(random.nextInt(all.size()));
                    lat = Math.max(-90, Math.min(90, p.lat() + random.nextGaussian() * 0.3));
                    lng = p.lng();
                }
                case 1 -> { // across the antimeridian from a place near it
                    Place p = nearAntimeridian.get(random.nextInt(nearAntimeridian.size()));
                    lat = p.lat() + random.nextGaussian() * 0.3;
                    lng = -Math.signum(p.lng()) * (180 - random.nextDouble() * 1.5);
                }
                case 2 -> { // near a pole
                    lat = random.nextBoolean() ? 90 - random.nextDouble() * 15 : -90 + random.nextDouble() * 15;
                    lng = random.nextDouble() * 360 - 180;
                }
                default -> {
                    lat = random.nextDouble() * 180 - 90;
                    lng = random.nextDouble() * 360 - 180;
                }
            }
            double radius = q % 30 == 0 ? random.nextDouble() * 20_100_000 // up to the whole globe
                    : q % 10 == 0 ? random.nextDouble() * 2_000_000
                    : q % 4 == 1 ? random.nextDouble() * 300_000 // reach across to the place
                    : random.nextDouble() * 100_000;
            int limit = 1 + random.nextInt(40);
            assertEquals(fullScan(all, lat, lng, radius, limit), GAZETTEER.nearby(lat, lng, radius, limit),
                    "query " + lat + "," + lng + " r=" + radius + " limit=" + limit);
        }
    }

    @Test
    void nearbySearchJsonHasGooglesShapeAndKeyOrder() {
        ObjectNode answer = new GazetteerAnswers(GAZETTEER).nearbySearch(WESTWOOD_LAT, WESTWOOD_LNG, 10_000, 5);
        assertEquals(List.of("html_attributions", "results", "status"), keys(answer));
        assertEquals(GazetteerAnswers.ATTRIBUTION, answer.get("html_attributions").get(0).asText());
        assertEquals("OK", answer.get("status").asText());
        assertEquals(5, answer.get("results").size());
        for (JsonNode result : answer.get("results")) {
            assertEquals(List.of("geometry", "name", "place_id", "types", "vicinity"), keys(result));
            assertEquals(List.of("lat", "lng"), keys(result.get("geometry").get("location")));
            assertEquals("[\"locality\",\"political\"]", result.get("types").toString());
            assertTrue(result.get("place_id").asText().matches("geonames:[1-9][0-9]*"));
            assertEquals("California, US", result.get("vicinity").asText());
        }
        JsonNode santaMonica = answer.get("results").get(0);
        assertEquals("Santa Monica", santaMonica.get("name").asText());
        assertEquals("{\"location\":{\"lat\":34.01945,\"lng\":-118.49119}}", santaMonica.get("geometry").toString());
    }

    @Test
    void coordinatesPrintPlainWithAtMostSevenFractionDigits() {
        List<Place> odd = List.of(new Place(1, "Tiny", 0.0001, -0.00000004, 1000, "", "XX"),
                new Place(2, "Round", -45, 100, 1000, "R", "XX"),
                new Place(3, "Long", 12.345678951, -179.99999996, 1000, "R", "XX"));
        JsonNode results = GazetteerAnswers.toNearbySearchJson(odd).get("results");
        assertEquals("{\"lat\":0.0001,\"lng\":0}", results.get(0).get("geometry").get("location").toString());
        assertEquals("{\"lat\":-45,\"lng\":100}", results.get(1).get("geometry").get("location").toString());
        assertEquals("{\"lat\":12.345679,\"lng\":-180}", results.get(2).get("geometry").get("location").toString());
        assertEquals("XX", results.get(0).get("vicinity").asText());
        assertEquals("R, XX", results.get(1).get("vicinity").asText());
    }

    @Test
    void nothingInRangeAnswersZeroResultsWithoutAttribution() {
        ObjectNode answer = new GazetteerAnswers(GAZETTEER).nearbySearch(0, -140, 50_000, 20);
        assertEquals("{\"html_attributions\":[],\"results\":[],\"status\":\"ZERO_RESULTS\"}", answer.toString());
    }

    @Test
    void argumentsOutsideTheirRangesAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(Double.NaN, 0, 1000, 5));
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(90.5, 0, 1000, 5));
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(0, -180.5, 1000, 5));
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(0, 0, -1, 5));
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(0, 0, Double.POSITIVE_INFINITY, 5));
        assertThrows(IllegalArgumentException.class, () -> GAZETTEER.nearby(0, 0, 1000, -1));
    }

    @Test
    void corruptDataIsRefusedWithAReason() throws IOException {
        IOException badMagic = assertThrows(IOException.class, () -> Gazetteer.read(gzip("NOPE".getBytes(StandardCharsets.US_ASCII))));
        assertTrue(badMagic.getMessage().contains("magic"), badMagic.getMessage());
        byte[] truncated = {'H', 'G', 'Z', '1', 0, 0, 0, 0, 0, 0, 0, 9};
        IOException shortData = assertThrows(IOException.class, () -> Gazetteer.read(gzip(truncated)));
        assertTrue(shortData.getMessage().contains("count"), shortData.getMessage());
    }

    /** The query answered the slow, obvious way, for comparison with the index. */
    private static List<Place> fullScan(List<Place> all, double lat, double lng, double radius, int limit) {
        record Hit(Place place, double meters) {
        }
        List<Hit> hits = new ArrayList<>();
        for (Place p : all) {
            double d = distance(lat, lng, p.lat(), p.lng());
            if (d <= radius) {
                hits.add(new Hit(p, d));
            }
        }
        hits.sort(Comparator.comparingInt((Hit h) -> -h.place().population())
                .thenComparingDouble(Hit::meters)
                .thenComparingInt(h -> h.place().geonameId()));
        return hits.stream().limit(limit).map(Hit::place).collect(Collectors.toList());
    }

    /**
     * Great-circle distance by the atan2 (Vincenty, sphere) formula: independent of the
     * code under test, and as accurate as haversine at every distance.
     */
    private static double distance(double lat1, double lng1, double lat2, double lng2) {
        double p1 = Math.toRadians(lat1);
        double p2 = Math.toRadians(lat2);
        double dl = Math.toRadians(lng2 - lng1);
        double east = Math.cos(p2) * Math.sin(dl);
        double north = Math.cos(p1) * Math.sin(p2) - Math.sin(p1) * Math.cos(p2) * Math.cos(dl);
        double y = Math.sqrt(east * east + north * north); // Math.hypot is several times slower
        double x = Math.sin(p1) * Math.sin(p2) + Math.cos(p1) * Math.cos(p2) * Math.cos(dl);
        return 6371008.8 * Math.atan2(y, x);
    }

    private static List<String> names(List<Place> places) {
        return places.stream().map(Place::name).collect(Collectors.toList());
    }

    private static List<String> keys(JsonNode node) {
        List<String> keys = new ArrayList<>();
        node.fieldNames().forEachRemaining(keys::add);
        return keys;
    }

    private static ByteArrayInputStream gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        }
        return new ByteArrayInputStream(out.toByteArray());
    }
}
