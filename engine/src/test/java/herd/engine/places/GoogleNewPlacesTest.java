package herd.engine.places;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import herd.engine.protocol.Coordinates;
import herd.engine.testing.StandInGoogle;
import java.math.BigDecimal;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The Places API (New) provider against a real HTTP stand-in: request, translation, errors. */
class GoogleNewPlacesTest {

    static StandInGoogle google;

    @BeforeAll
    static void start() throws Exception {
        google = new StandInGoogle();
    }

    @AfterAll
    static void stop() {
        google.close();
    }

    private static PlacesQuery query(String location, String meters, int bound) {
        return new PlacesQuery(Coordinates.parse(location).orElseThrow(), new BigDecimal(meters), bound);
    }

    private static String ask(String location, String meters, int bound) throws Exception {
        GoogleNewPlaces api = new GoogleNewPlaces(google.newUrl(), StandInGoogle.KEY, 1500);
        return GoogleJson.print(PlacesAnswers.cut(api.nearby(query(location, meters, bound)).get(), bound));
    }

    static final String TWO_PLACES = """
            {"places": [
              {"id": "ChIJ1", "types": ["university", "establishment"], "displayName": {"text": "UCLA", "languageCode": "en"},
               "location": {"latitude": 34.0689254, "longitude": -118.4451647},
               "viewport": {"low": {"latitude": 34.06, "longitude": -118.45}, "high": {"latitude": 34.08, "longitude": -118.43}},
               "shortFormattedAddress": "Los Angeles", "rating": 4.6, "userRatingCount": 3140, "businessStatus": "OPERATIONAL"},
              {"id": "ChIJ2", "displayName": {"text": "Café Ñ"}, "location": {"latitude": 34.07, "longitude": -118.44}}
            ]}""";

    @Test
    void requestIsAPostWithKeyHeaderFieldMaskAndCircle() throws Exception {
        google.answerNew("34.068930,-118.445127", StandInGoogle.Answer.ok(TWO_PLACES));
        int before = google.newRequests.size();
        ask("+34.068930-118.445127", "10000", 5);
        StandInGoogle.NewRequest r = google.newRequests.get(before);
        assertEquals("POST", r.method());
        assertEquals(StandInGoogle.KEY, r.headers().get("x-goog-api-key"));
        assertEquals("places.id,places.displayName,places.location,places.viewport,places.shortFormattedAddress,"
                + "places.types,places.rating,places.userRatingCount,places.businessStatus", r.headers().get("x-goog-fieldmask"));
        JsonNode body = GoogleJson.read(r.body());
        assertEquals(20, body.get("maxResultCount").intValue(), "always the largest bound: the bound is cut after the cache");
        assertEquals(new BigDecimal("34.068930"), body.at("/locationRestriction/circle/center/latitude").decimalValue());
        assertEquals(new BigDecimal("-118.445127"), body.at("/locationRestriction/circle/center/longitude").decimalValue());
        assertEquals(new BigDecimal("10000"), body.at("/locationRestriction/circle/radius").decimalValue());
        assertTrue(!r.body().contains(StandInGoogle.KEY), "the key is a header, not in the body");
    }

    @Test
    void answerIsTranslatedIntoTheLegacyShape() throws Exception {
        google.answerNew("1.5,2.5", StandInGoogle.Answer.ok(TWO_PLACES));
        assertEquals("""
                {
                   "html_attributions" : [],
                   "results" : [
                      {
                         "business_status" : "OPERATIONAL",
                         "geometry" : {
                            "location" : {
                               "lat" : 34.0689254,
                               "lng" : -118.4451647
                            },
                            "viewport" : {
                               "northeast" : {
                                  "lat" : 34.08,
                                  "lng" : -118.43
                               },
                               "southwest" : {
                                  "lat" : 34.06,
                                  "lng" : -118.45
                               }
                            }
                         },
                         "name" : "UCLA",
                         "place_id" : "ChIJ1",
                         "rating" : 4.6,
                         "types" : [ "university", "establishment" ],
                         "user_ratings_total" : 3140,
                         "vicinity" : "Los Angeles"
                      }
                   ],
                   "status" : "OK"
                }""", ask("+1.5+2.5", "500", 1));
        assertTrue(ask("+1.5+2.5", "500", 2).contains("\"name\" : \"Café Ñ\""));
    }

    @Test
    void emptyAnswerIsZeroResults() throws Exception {
        google.answerNew("3,3", StandInGoogle.Answer.ok("{}"));
        assertEquals("{\n   \"html_attributions\" : [],\n   \"results\" : [],\n   \"status\" : \"ZERO_RESULTS\"\n}",
                ask("+3+3", "100", 3));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "400|INVALID_REQUEST|Invalid radius.",
            "403|REQUEST_DENIED|Places API (New) has not been used in project 1.",
            "429|OVER_QUERY_LIMIT|Quota exceeded.",
            "500|UNKNOWN_ERROR|Internal error.",
            "503|UNKNOWN_ERROR|Backend unavailable.",
    })
    void httpErrorsMapToLegacyStatusesWithGooglesMessage(int http, String status, String message) throws Exception {
        String lat = String.valueOf(http / 10.0);
        String where = lat + ",4";
        google.answerNew(where, new StandInGoogle.Answer(http,
                "{\"error\": {\"code\": " + http + ", \"message\": \"" + message + "\", \"status\": \"X\"}}", null));
        assertEquals("{\n   \"html_attributions\" : [],\n   \"results\" : [],\n   \"status\" : \"" + status
                + "\",\n   \"error_message\" : \"" + message + "\"\n}", ask("+" + lat + "+4", "100", 3));
    }

    @Test
    void errorWithoutAJsonBodyNamesTheHttpStatus() throws Exception {
        google.answerNew("5,5", new StandInGoogle.Answer(502, "<html>bad gateway</html>", null));
        assertTrue(ask("+5+5", "100", 3).contains("\"status\" : \"UNKNOWN_ERROR\",\n   \"error_message\" : \"Places answered HTTP 502\""));
    }

    @Test
    void wrongKeyIsRequestDenied() throws Exception {
        GoogleNewPlaces api = new GoogleNewPlaces(google.newUrl(), "not-the-key", 1500);
        String printed = GoogleJson.print(api.nearby(query("+6+6", "100", 1)).get());
        assertTrue(printed.contains("\"status\" : \"REQUEST_DENIED\",\n   \"error_message\" : \"API key not valid.\""), printed);
    }

    @Test
    void malformedOkBodyAndTimeoutAreUnknownErrors() throws Exception {
        google.answerNew("7,7", StandInGoogle.Answer.ok("{\"places\": [ nope"));
        assertTrue(ask("+7+7", "100", 3).contains("\"error_message\" : \"Places answered a body that is not JSON\""));
        CountDownLatch stall = new CountDownLatch(1);
        google.answerNew("8,8", new StandInGoogle.Answer(200, TWO_PLACES, stall));
        try {
            GoogleNewPlaces api = new GoogleNewPlaces(google.newUrl(), StandInGoogle.KEY, 300);
            String printed = GoogleJson.print(api.nearby(query("+8+8", "100", 1)).get());
            assertTrue(printed.contains("\"error_message\" : \"Places did not answer within 300 ms\""), printed);
        } finally {
            stall.countDown();
        }
    }
}
