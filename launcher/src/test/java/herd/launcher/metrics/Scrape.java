package herd.launcher.metrics;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Prometheus's side of a test: GETs a URL with {@link HttpClient} and reads the text format's
 * samples, {@code name{label="value",...} number}, so that a test asks for a series by name
 * and labels whatever their order.
 */
final class Scrape {

    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private final String text;

    private Scrape(String text) {
        this.text = text;
    }

    static HttpResponse<String> get(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    static HttpResponse<Void> head(String url) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.discarding());
    }

    /** Scrapes {@code http://127.0.0.1:port/metrics}; fails unless it answers 200. */
    static Scrape of(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = get("http://127.0.0.1:" + port + "/metrics");
        if (r.statusCode() != 200) {
            throw new AssertionError("/metrics answered " + r.statusCode() + ": " + r.body());
        }
        return new Scrape(r.body());
    }

    String text() {
        return text;
    }

    /**
     * The value of the sample named {@code name} whose labels are exactly {@code labels}
     * (pairs: name, value); fails when there is none.
     */
    double value(String name, String... labels) {
        Map<String, String> wanted = new LinkedHashMap<>();
        for (int i = 0; i < labels.length; i += 2) {
            wanted.put(labels[i], labels[i + 1]);
        }
        for (String line : text.split("\n")) {
            if (line.startsWith("#") || line.isBlank()) {
                continue;
            }
            int brace = line.indexOf('{');
            int space = line.lastIndexOf(' ');
            String sample = brace >= 0 ? line.substring(0, brace) : line.substring(0, space);
            if (sample.equals(name) && labels(line, brace).equals(wanted)) {
                return Double.parseDouble(line.substring(space + 1));
            }
        }
        throw new AssertionError("no sample " + name + wanted + " in:\n" + text);
    }

    /** The labels of a sample line (values without escapes: ours have none). */
    private static Map<String, String> labels(String line, int brace) {
        Map<String, String> out = new LinkedHashMap<>();
        if (brace < 0) {
            return out;
        }
        String inside = line.substring(brace + 1, line.indexOf('}'));
        for (String pair : inside.split(",")) {
            if (!pair.isEmpty()) {
                int eq = pair.indexOf('=');
                out.put(pair.substring(0, eq), pair.substring(eq + 2, pair.length() - 1));
            }
        }
        return out;
    }
}
