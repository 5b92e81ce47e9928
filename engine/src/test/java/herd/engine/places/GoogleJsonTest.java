package herd.engine.places;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class GoogleJsonTest {

    @Test
    void printsInGooglesStyle() throws Exception {
        String in = "{\"html_attributions\":[],\"results\":[{\"geometry\":{\"location\":{\"lat\":34.068921,"
                + "\"lng\":-118.445181}},\"name\":\"UCLA\",\"rating\":4.5,\"opening_hours\":{},"
                + "\"types\":[\"university\",\"establishment\"],\"user_ratings_total\":12,\"open\":true}],"
                + "\"status\":\"OK\"}";
        String expected = """
                {
                   "html_attributions" : [],
                   "results" : [
                      {
                         "geometry" : {
                            "location" : {
                               "lat" : 34.068921,
                               "lng" : -118.445181
                            }
                         },
                         "name" : "UCLA",
                         "rating" : 4.5,
                         "opening_hours" : {},
                         "types" : [ "university", "establishment" ],
                         "user_ratings_total" : 12,
                         "open" : true
                      }
                   ],
                   "status" : "OK"
                }""";
        assertEquals(expected, GoogleJson.print(GoogleJson.read(in)));
    }

    @Test
    void keepsNumberTextAndKeyOrder() throws Exception {
        String printed = GoogleJson.print(GoogleJson.read("{\"z\":34.0689210,\"a\":1.0,\"m\":-0.5,\"big\":12345678901234567890}"));
        assertEquals("{\n   \"z\" : 34.0689210,\n   \"a\" : 1.0,\n   \"m\" : -0.5,\n   \"big\" : 12345678901234567890\n}",
                printed);
    }

    @Test
    void escapesStringsAndKeepsUnicode() throws Exception {
        String printed = GoogleJson.print(GoogleJson.read("{\"name\":\"Caf\\u00e9 \\\"Z\\\" \\\\ \\n tab\\t\"}"));
        assertEquals("{\n   \"name\" : \"Café \\\"Z\\\" \\\\ \\n tab\\t\"\n}", printed);
    }

    @Test
    void squeezesNewlineRunsAndDropsTrailingOnes() {
        assertEquals("a\nb\nc", GoogleJson.squeezeNewlines("a\n\n\nb\nc\n\n"));
        assertEquals("", GoogleJson.squeezeNewlines("\n\n"));
        assertEquals("x", GoogleJson.squeezeNewlines("x"));
    }

    @Test
    void errorShapeIsPrintedLikeGoogle() {
        ObjectNode e = PlacesAnswers.error("UNKNOWN_ERROR", "Places answered HTTP 500");
        assertEquals("""
                {
                   "html_attributions" : [],
                   "results" : [],
                   "status" : "UNKNOWN_ERROR",
                   "error_message" : "Places answered HTTP 500"
                }""", GoogleJson.print(e));
    }

    @Test
    void cutKeepsKeyOrderAndFirstResults() throws Exception {
        ObjectNode answer = (ObjectNode) GoogleJson.read(
                "{\"html_attributions\":[],\"next_page_token\":\"t\",\"results\":[{\"n\":1},{\"n\":2},{\"n\":3}],\"status\":\"OK\"}");
        ObjectNode cut = PlacesAnswers.cut(answer, 2);
        assertEquals("{\"html_attributions\":[],\"next_page_token\":\"t\",\"results\":[{\"n\":1},{\"n\":2}],\"status\":\"OK\"}",
                cut.toString());
        assertEquals(3, answer.get("results").size(), "the original is not changed");
        assertEquals(answer, PlacesAnswers.cut(answer, 20));
    }
}
