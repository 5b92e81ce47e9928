package herd.engine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Google's legacy Places Nearby Search ({@code GET .../nearbysearch/json}) through the JDK
 * {@link HttpClient}, asynchronously. Google's own non-OK statuses pass through as sent;
 * transport failures, timeouts, HTTP errors and unreadable bodies become
 * {@code UNKNOWN_ERROR}. The key goes only into the request URL and is scrubbed from any
 * message that might quote it.
 */
final class LegacyNearbySearch implements PlacesProvider {

    private final String url;
    private final String key;
    private final Duration timeout;

    LegacyNearbySearch(String url, String key, int timeoutMs) {
        this.url = url;
        this.key = key;
        this.timeout = Duration.ofMillis(timeoutMs);
    }

    @Override
    public CompletableFuture<ObjectNode> nearby(PlacesQuery q) {
        String location = q.center().latitudeParam() + "," + q.center().longitudeParam();
        URI uri = URI.create(url + (url.contains("?") ? "&" : "?")
                + "location=" + enc(location) + "&radius=" + enc(q.radiusParam()) + "&key=" + enc(key));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).GET().build();
        return SharedHttp.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> failure != null ? failed(failure) : answer(response));
    }

    private ObjectNode answer(HttpResponse<String> response) {
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

    private ObjectNode failed(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null
                ? failure.getCause() : failure;
        if (cause instanceof TimeoutException || cause instanceof HttpTimeoutException) {
            return PlacesAnswers.error("UNKNOWN_ERROR", "Places did not answer within " + timeout.toMillis() + " ms");
        }
        String detail = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return PlacesAnswers.error("UNKNOWN_ERROR", "cannot reach Places: " + scrub(detail));
    }

    /** Messages from the HTTP stack may quote the URL, and with it the key. */
    private String scrub(String text) {
        return key.isEmpty() ? text : text.replace(key, "***").replace(enc(key), "***");
    }

    @Override
    public String describe() {
        return "google (legacy Nearby Search at " + url + ")";
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /**
     * One HTTP client for the whole process, on daemon threads: its selector thread then
     * never outlives nor leaks with a herd (JDK 17's client cannot be closed).
     */
    private static final class SharedHttp {
        private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "herd-places-http");
            t.setDaemon(true);
            return t;
        });
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .executor(EXECUTOR)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }
}
