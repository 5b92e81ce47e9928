package herd.engine.places;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.protocol.CommandParser;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Google's Places API (New) Nearby Search ({@code POST .../v1/places:searchNearby}),
 * translated into the legacy response shape so that WHATSAT looks the same whichever API
 * answered. Asks for {@link CommandParser#MAX_BOUND} results whatever the WHATSAT bound:
 * the bound is applied after the cache, so one upstream answer serves every bound (Google
 * bills per request, not per result).
 */
final class GoogleNewPlaces implements PlacesProvider {

    /** Exactly the fields the translation emits. */
    static final String FIELD_MASK = "places.id,places.displayName,places.location,places.viewport,"
            + "places.shortFormattedAddress,places.types,places.rating,places.userRatingCount,places.businessStatus";
    private static final Map<Integer, String> STATUS_BY_HTTP = Map.of(
            400, "INVALID_REQUEST", 403, "REQUEST_DENIED", 429, "OVER_QUERY_LIMIT");

    private final String url;
    private final String key;
    private final GoogleHttp http;

    GoogleNewPlaces(String url, String key, int timeoutMs) {
        this.url = url;
        this.key = key;
        this.http = new GoogleHttp(timeoutMs, key);
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery q) {
        ObjectNode body = GoogleJson.MAPPER.createObjectNode();
        body.put("maxResultCount", CommandParser.MAX_BOUND);
        ObjectNode circle = body.putObject("locationRestriction").putObject("circle");
        ObjectNode center = circle.putObject("center");
        center.put("latitude", q.center().latitude());
        center.put("longitude", q.center().longitude());
        circle.put("radius", q.radiusMeters());
        HttpRequest request = HttpRequest.newBuilder(URI.create(url))
                .timeout(http.timeout())
                .header("Content-Type", "application/json")
                .header("X-Goog-Api-Key", key)
                .header("X-Goog-FieldMask", FIELD_MASK)
                .POST(HttpRequest.BodyPublishers.ofString(body.toString(), StandardCharsets.UTF_8))
                .build();
        return http.call(request, this::answer);
    }

    private ObjectNode answer(HttpResponse<String> response) {
        JsonNode body;
        try {
            body = GoogleJson.read(response.body());
        } catch (Exception e) {
            body = null;
        }
        if (response.statusCode() / 100 != 2) {
            String status = STATUS_BY_HTTP.getOrDefault(response.statusCode(), "UNKNOWN_ERROR");
            String message = body != null && body.path("error").path("message").isTextual()
                    ? http.scrub(body.path("error").path("message").textValue())
                    : "Places answered HTTP " + response.statusCode();
            return PlacesAnswers.error(status, message);
        }
        if (body == null || !body.isObject()) {
            return PlacesAnswers.error("UNKNOWN_ERROR", "Places answered a body that is not JSON");
        }
        return translate(body);
    }

    /** The legacy shape of a Places (New) answer; keys in the legacy API's order. */
    static ObjectNode translate(JsonNode body) {
        ObjectNode out = GoogleJson.MAPPER.createObjectNode();
        out.putArray("html_attributions");
        ArrayNode results = out.putArray("results");
        for (JsonNode place : body.path("places")) {
            ObjectNode r = results.addObject();
            copy(place, "businessStatus", r, "business_status");
            ObjectNode geometry = r.putObject("geometry");
            geometry.set("location", latLng(place.path("location")));
            if (place.has("viewport")) {
                ObjectNode viewport = geometry.putObject("viewport");
                viewport.set("northeast", latLng(place.path("viewport").path("high")));
                viewport.set("southwest", latLng(place.path("viewport").path("low")));
            }
            if (place.path("displayName").path("text").isTextual()) {
                r.put("name", place.path("displayName").path("text").textValue());
            }
            copy(place, "id", r, "place_id");
            copy(place, "rating", r, "rating");
            copy(place, "types", r, "types");
            copy(place, "userRatingCount", r, "user_ratings_total");
            copy(place, "shortFormattedAddress", r, "vicinity");
        }
        out.put("status", results.isEmpty() ? "ZERO_RESULTS" : "OK");
        return out;
    }

    private static ObjectNode latLng(JsonNode point) {
        ObjectNode o = GoogleJson.MAPPER.createObjectNode();
        o.set("lat", point.path("latitude").isNumber() ? point.get("latitude") : o.nullNode());
        o.set("lng", point.path("longitude").isNumber() ? point.get("longitude") : o.nullNode());
        return o;
    }

    private static void copy(JsonNode from, String fromKey, ObjectNode to, String toKey) {
        if (from.has(fromKey)) {
            to.set(toKey, from.get(fromKey));
        }
    }

    @Override
    public String describe() {
        return "google-new (Places API (New) Nearby Search at " + url + ")";
    }
}
