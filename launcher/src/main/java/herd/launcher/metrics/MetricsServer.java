package herd.launcher.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import herd.engine.ServerMetrics;
import io.prometheus.metrics.exporter.httpserver.HTTPServer;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One server's HTTP endpoint: {@code /metrics} in Prometheus's text format (the Prometheus
 * Java client's exporter, with a registry of this server's {@link ServerCollector} alone) and
 * {@code /health} ({@link Health}); anything else is 404. Listens on the server's host, so a
 * server on 127.0.0.1 (the default) serves its metrics only to its own machine. Answers on
 * one daemon thread of its own; {@link #close()} stops it and releases the port.
 */
public final class MetricsServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HTTPServer http;
    private final String host;

    private MetricsServer(HTTPServer http, String host) {
        this.http = http;
        this.host = host;
    }

    /**
     * Starts serving server {@code name}'s metrics on {@code host}:{@code port} (0: any free
     * port, read back with {@link #port()}); {@code metrics} is read once per request.
     *
     * @throws IOException when the port cannot be bound (in use, or the host is not this machine's)
     */
    public static MetricsServer start(String name, String host, int port, Supplier<ServerMetrics> metrics)
            throws IOException {
        PrometheusRegistry registry = new PrometheusRegistry();
        registry.register(new ServerCollector(name, metrics));
        ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "herd-metrics-" + name);
            t.setDaemon(true);
            return t;
        });
        try {
            HTTPServer http = HTTPServer.builder().hostname(host).port(port).registry(registry)
                    .registerHealthHandler(false) // the client's /-/healthy says nothing of the server: ours is /health
                    .defaultHandler(new HealthOrNotFound(name, metrics))
                    .executorService(thread)
                    .buildAndStart();
            return new MetricsServer(http, host);
        } catch (IOException | RuntimeException e) {
            thread.shutdownNow();
            throw e;
        }
    }

    /** The port it listens on (the one it got, when asked for port 0). */
    public int port() {
        return http.getPort();
    }

    /** Where Prometheus scrapes it, {@code http://host:port/metrics}. */
    public String url() {
        return "http://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port() + "/metrics";
    }

    @Override
    public void close() {
        http.close();
    }

    /** {@code /health}, and 404 for any path the exporter does not serve. */
    private record HealthOrNotFound(String server, Supplier<ServerMetrics> metrics) implements HttpHandler {

        @Override
        public void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                String path = exchange.getRequestURI().getPath();
                String method = exchange.getRequestMethod();
                int status;
                String body;
                if (!path.equals("/health")) {
                    status = 404;
                    body = "not found; this server answers /metrics and /health";
                } else if (!method.equals("GET") && !method.equals("HEAD")) {
                    exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                    status = 405;
                    body = "method not allowed";
                } else {
                    Health health;
                    try {
                        health = Health.of(metrics.get());
                    } catch (RuntimeException e) {
                        LOG.warn("{}: cannot read the server's metrics for /health", server, e);
                        health = new Health(500, "cannot read the server's state: " + e);
                    }
                    status = health.status();
                    body = health.body();
                }
                byte[] bytes = (body + "\n").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.getResponseHeaders().set("Cache-Control", "no-store");
                if (method.equals("HEAD")) {
                    exchange.sendResponseHeaders(status, -1);
                    return;
                }
                exchange.sendResponseHeaders(status, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
            }
        }
    }
}
