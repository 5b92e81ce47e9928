package herd.engine.testing;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import herd.engine.places.GoogleJson;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * A real HTTP server on loopback standing in for Google's Nearby Search. Answers by the
 * {@code location} parameter: a canned body, an HTTP status, or a stall until released.
 */
public final class StandInGoogle implements AutoCloseable {

    public static final String KEY = "test-key-0123456789";

    /** How to answer requests for one location. */
    public record Answer(int status, String body, CountDownLatch stallUntil) {
        public static Answer ok(String body) {
            return new Answer(200, body, null);
        }
    }

    private final HttpServer http;
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    public final List<Map<String, String>> requests = new CopyOnWriteArrayList<>();
    private volatile Answer fallback = Answer.ok(body(25));

    public StandInGoogle() throws IOException {
        http = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        http.setExecutor(Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "stand-in-google");
            t.setDaemon(true);
            return t;
        }));
        http.createContext("/maps/api/place/nearbysearch/json", this::handle);
        http.createContext("/v1/places:searchNearby", this::handleNew);
        http.start();
    }

    /** A request to the Places API (New) stand-in: its headers and JSON body. */
    public record NewRequest(String method, Map<String, String> headers, String body) {}

    public final List<NewRequest> newRequests = new CopyOnWriteArrayList<>();
    private final Map<String, Answer> newAnswers = new ConcurrentHashMap<>();

    public String newUrl() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/v1/places:searchNearby";
    }

    /** Answers Places (New) requests centred on {@code latCommaLng} (as the request wrote it). */
    public void answerNew(String latCommaLng, Answer answer) {
        newAnswers.put(latCommaLng, answer);
    }

    private void handleNew(HttpExchange ex) throws IOException {
        String body = new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>();
        ex.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
        newRequests.add(new NewRequest(ex.getRequestMethod(), headers, body));
        var center = GoogleJson.read(body).path("locationRestriction").path("circle").path("center");
        String where = center.path("latitude").asText() + "," + center.path("longitude").asText();
        Answer a = newAnswers.getOrDefault(where, Answer.ok("{}"));
        if (!KEY.equals(headers.get("x-goog-api-key"))) {
            a = new Answer(403, "{\"error\": {\"code\": 403, \"message\": \"API key not valid.\", \"status\": \"PERMISSION_DENIED\"}}", null);
        }
        respond(ex, a);
    }

    public String url() {
        return "http://127.0.0.1:" + http.getAddress().getPort() + "/maps/api/place/nearbysearch/json";
    }

    /** Answers requests whose {@code location} is {@code latCommaLng} with {@code answer}. */
    public void answer(String latCommaLng, Answer answer) {
        answers.put(latCommaLng, answer);
    }

    private void handle(HttpExchange ex) throws IOException {
        Map<String, String> q = query(ex.getRequestURI());
        requests.add(q);
        Answer a = answers.getOrDefault(q.getOrDefault("location", ""), fallback);
        if (!KEY.equals(q.get("key"))) {
            a = Answer.ok("{\"html_attributions\":[],\"results\":[],\"status\":\"REQUEST_DENIED\","
                    + "\"error_message\":\"The provided API key is invalid.\"}");
        }
        respond(ex, a);
    }

    private void respond(HttpExchange ex, Answer a) throws IOException {
        if (a.stallUntil() != null) {
            try {
                a.stallUntil().await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        byte[] bytes = a.body().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json; charset=UTF-8");
        try {
            ex.sendResponseHeaders(a.status(), bytes.length);
            try (OutputStream out = ex.getResponseBody()) {
                out.write(bytes);
            }
        } catch (IOException gone) {
            // the herd gave up waiting (timeout test): nothing to answer
        }
        ex.close();
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String raw = uri.getRawQuery();
        if (raw == null) {
            return out;
        }
        for (String pair : raw.split("&")) {
            int eq = pair.indexOf('=');
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** A Google-shaped body with {@code n} results, blank lines and non-ASCII names, compact. */
    public static String body(int n) {
        StringBuilder b = new StringBuilder("{\n\n  \"html_attributions\" : [],\n  \"next_page_token\" : \"CvQ-tok\",\n"
                + "  \"results\" : [\n");
        for (int i = 0; i < n; i++) {
            b.append("    {\"geometry\":{\"location\":{\"lat\":34.0689").append(i).append(",\"lng\":-118.4451")
                    .append(i).append("}},\"name\":\"Café Nº").append(i)
                    .append("\",\"rating\":4.5,\"types\":[\"cafe\",\"food\"],\"vicinity\":\"Los Ángeles\"}")
                    .append(i + 1 < n ? ",\n\n" : "\n");
        }
        return b.append("  ],\n  \"status\" : \"OK\"\n}\n\n").toString();
    }

    @Override
    public void close() {
        http.stop(0);
        ((java.util.concurrent.ExecutorService) http.getExecutor()).shutdownNow();
    }
}
