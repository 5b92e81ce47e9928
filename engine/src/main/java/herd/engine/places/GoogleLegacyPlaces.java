package herd.engine.places;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;

/**
 * Google's legacy Places Nearby Search ({@code GET .../nearbysearch/json}) through the JDK
 * {@code HttpClient}, asynchronously. Google's own non-OK statuses pass through as sent;
 * transport failures, timeouts, HTTP errors and unreadable bodies become
 * {@code UNKNOWN_ERROR}. The key goes only into the request URL.
 */
final class GoogleLegacyPlaces implements PlacesProvider {

    private final String url;
    private final String key;
    private final GoogleHttp http;

    GoogleLegacyPlaces(String url, String key, int timeoutMs) {
        this.url = url;
        this.key = key;
        this.http = new GoogleHttp(timeoutMs, key);
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery q) {
        String location = q.center().latitudeParam() + "," + q.center().longitudeParam();
        URI uri = URI.create(url + (url.contains("?") ? "&" : "?")
                + "location=" + enc(location) + "&radius=" + enc(q.radiusParam()) + "&key=" + enc(key));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(http.timeout()).GET().build();
        return http.call(request, GoogleLegacyPlaces::answer);
    }

    private static ObjectNode answer(HttpResponse<String> response) {
        if (response.statusCode() / 100 != 2) {
            return PlacesAnswers.error("UNKNOWN_ERROR", "Places answered HTTP " + response.statusCode());
        }
        try {
            JsonNode body = GoogleJson.read(response.body());
            if (!body.isObject() || !body.path("status").isTextual()) {
                return PlacesAnswers.error("UNKNOWN_ERROR", "Places answered JSON without a status");
            }
            return (ObjectNode) body;
        } catch (Exception e) {
            return PlacesAnswers.error("UNKNOWN_ERROR", "Places answered a body that is not JSON");
        }
    }

    @Override
    public String describe() {
        return "google (legacy Nearby Search at " + url + ")";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
