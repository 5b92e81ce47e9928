package herd.engine.places;

import com.fasterxml.jackson.databind.node.ObjectNode;
import herd.engine.node.EngineThreads;
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
import java.util.function.Function;

/**
 * What both Google providers share: one asynchronous HTTP client for the whole process,
 * the whole-call timeout, and turning transport failures into {@code UNKNOWN_ERROR}
 * answers whose messages never quote the key.
 */
final class GoogleHttp {

    private final Duration timeout;
    private final String key;

    GoogleHttp(int timeoutMs, String key) {
        this.timeout = Duration.ofMillis(timeoutMs);
        this.key = key;
    }

    /**
     * Sends {@code request} and maps the response with {@code answer}; failures and a call
     * longer than the timeout become {@code UNKNOWN_ERROR}. Never completes exceptionally.
     */
    CompletableFuture<ObjectNode> call(HttpRequest request, Function<HttpResponse<String>, ObjectNode> answer) {
        return Shared.CLIENT.sendAsync(request, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8))
                .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .handle((response, failure) -> failure != null ? failed(failure) : answer.apply(response));
    }

    Duration timeout() {
        return timeout;
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
    String scrub(String text) {
        return key.isEmpty() ? text : text.replace(key, "***")
                .replace(java.net.URLEncoder.encode(key, StandardCharsets.UTF_8), "***");
    }

    /**
     * One HTTP client for the whole process, on daemon threads: its selector thread then
     * never outlives nor leaks with a herd (JDK 17's client cannot be closed).
     */
    private static final class Shared {
        private static final ExecutorService EXECUTOR = Executors.newCachedThreadPool(EngineThreads.named(EngineThreads.PLACES_HTTP));
        static final HttpClient CLIENT = HttpClient.newBuilder()
                .executor(EXECUTOR)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NORMAL)
                .build();
    }
}
