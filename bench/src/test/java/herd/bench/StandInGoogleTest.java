package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;

class StandInGoogleTest {

    @Test
    void answersTwentyResultsWithTheKeyAndDeniesWithoutAndCountsRequests() throws Exception {
        try (StandInGoogle google = new StandInGoogle("k3y")) {
            HttpClient http = HttpClient.newHttpClient();
            ObjectMapper json = new ObjectMapper();
            for (int i = 0; i < 3; i++) { // three on one keep-alive connection
                HttpResponse<String> ok = http.send(HttpRequest.newBuilder(
                        URI.create(google.url() + "?location=34.0,-118.4&radius=10000&key=k3y")).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertEquals(200, ok.statusCode());
                JsonNode doc = json.readTree(ok.body());
                assertEquals("OK", doc.get("status").asText());
                assertEquals(StandInGoogle.RESULTS, doc.get("results").size());
            }
            HttpResponse<String> denied = http.send(HttpRequest.newBuilder(
                    URI.create(google.url() + "?location=34.0,-118.4&radius=10000&key=wrong")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertTrue(denied.body().contains("REQUEST_DENIED"));
            assertEquals(4, google.served());
        }
    }
}
