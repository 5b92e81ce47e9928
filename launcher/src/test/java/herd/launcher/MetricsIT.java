package herd.launcher;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real jar's metrics endpoints (README "Metrics"): {@code NAME --metrics-port 0} prints
 * the port it got and serves {@code /metrics} and {@code /health}; {@code --herd} serves
 * the config's {@code metrics.port} of each server; a taken metrics port, and a port or a
 * mode {@code --metrics-port} cannot have, are one line each with their exit codes; the
 * monitor says it serves none.
 */
class MetricsIT {

    private static final Duration LIMIT = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final Pattern METRICS_URL = Pattern.compile("metrics on (http://127\\.0\\.0\\.1:(\\d+)/metrics)");

    @TempDir
    Path dir;

    private static HttpResponse<String> get(String url) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url)).timeout(LIMIT).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** A default-shaped config on {@code ports}, with {@code metrics} merged into the servers named. */
    private void writeConfig(List<Integer> ports, Map<String, Integer> metrics) throws Exception {
        String json = HerdProcess.config(ports);
        for (Map.Entry<String, Integer> m : metrics.entrySet()) {
            String server = "\"" + m.getKey() + "\": {\"host\": \"127.0.0.1\", \"port\": ";
            int at = json.indexOf(server) + server.length();
            int end = json.indexOf('}', at);
            json = json.substring(0, end) + ", \"metrics\": {\"port\": " + m.getValue() + "}" + json.substring(end);
        }
        Files.writeString(dir.resolve("herd.json"), json);
    }

    @Test
    void oneServerOnPortZeroPrintsItsMetricsUrlAndServesMetricsAndHealth() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(5);
        writeConfig(ports, Map.of());
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "Welsh", "--config", "herd.json", "--metrics-port", "0")) {
            await().atMost(LIMIT).until(() -> !p.process.isAlive() || p.err().contains("herd: running Welsh"));
            Matcher url = METRICS_URL.matcher(p.err());
            assertTrue(url.find(), p.err());
            int port = Integer.parseInt(url.group(2));
            assertTrue(LineExchange.exchange(ports.get(3), "IAMAT kiwi +1+1 1\nnonsense\n").startsWith("AT Welsh "));

            HttpResponse<String> metrics = get(url.group(1));
            assertEquals(200, metrics.statusCode());
            assertTrue(metrics.body().contains("herd_client_lines_received_total{kind=\"iamat\",server=\"Welsh\"} 1.0\n"),
                    metrics.body());
            assertTrue(metrics.body().contains("herd_client_lines_received_total{kind=\"invalid\",server=\"Welsh\"} 1.0\n"),
                    metrics.body());
            assertTrue(metrics.body().contains("herd_server_up{server=\"Welsh\"} 1.0\n"), metrics.body());
            // Holiday does not run: Welsh answers its clients, but their reports reach nobody else.
            HttpResponse<String> health = get("http://127.0.0.1:" + port + "/health");
            assertEquals(503, health.statusCode());
            assertEquals("isolated; links 0/1\n", health.body());

            p.process.destroy(); // SIGTERM
            assertEquals(0, p.waitFor(LIMIT), p.err());
            assertTrue(!HerdProcess.accepts(port), "the metrics port is released");
            assertEquals("", p.out(), "nothing on stdout");
        }
    }

    @Test
    void theHerdServesEachServersConfiguredMetricsPort() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(7);
        writeConfig(ports.subList(0, 5), Map.of("Holiday", ports.get(5), "Welsh", ports.get(6)));
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--herd", "--config", "herd.json")) {
            await().atMost(LIMIT).until(() -> !p.process.isAlive() || p.err().contains("herd: running "));
            assertTrue(p.err().contains("; metrics: Holiday http://127.0.0.1:" + ports.get(5) + "/metrics, Welsh http://127.0.0.1:"
                    + ports.get(6) + "/metrics); stop with Ctrl-C"), p.err());
            await().atMost(LIMIT).until(() -> get("http://127.0.0.1:" + ports.get(5) + "/health").body().equals("up; links 3/3\n"));
            assertEquals(200, get("http://127.0.0.1:" + ports.get(6) + "/health").statusCode());
            assertTrue(get("http://127.0.0.1:" + ports.get(6) + "/metrics").body()
                    .contains("herd_link_up{peer=\"Holiday\",server=\"Welsh\"} 1.0\n"));
            p.process.destroy();
            assertEquals(0, p.waitFor(LIMIT), p.err());
        }
    }

    @Test
    void aTakenMetricsPortIsOneLineAndExits1() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(6);
        writeConfig(ports.subList(0, 5), Map.of("Welsh", ports.get(5)));
        try (ServerSocket held = new ServerSocket(ports.get(5), 50, InetAddress.getByName("127.0.0.1"));
             HerdProcess p = HerdProcess.start(dir, Map.of(), "Welsh", "--config", "herd.json")) {
            assertEquals(1, p.waitFor(LIMIT));
            assertEquals("herd: Welsh: cannot serve metrics on 127.0.0.1:" + ports.get(5) + ": address already in use\n",
                    p.err().lines().filter(l -> l.startsWith("herd: ")).reduce("", (a, b) -> a + b + "\n"));
            assertTrue(!HerdProcess.accepts(ports.get(3)), "the server's port is released");
            assertTrue(Files.readString(dir.resolve("logs/Welsh.log")).contains(" SERVER_DOWN - stopped\n"));
        }
    }

    @Test
    void aMetricsPortTheCommandLineCannotHaveIsOneLineAndExits2() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(5);
        writeConfig(ports, Map.of());
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "Welsh", "--config", "herd.json", "--metrics-port",
                ports.get(2).toString())) {
            assertEquals(2, p.waitFor(LIMIT));
            assertEquals("herd: --metrics-port " + ports.get(2) + " is also Holiday's port on 127.0.0.1\n", p.err());
        }
        try (HerdProcess p = HerdProcess.start(dir, Map.of(), "--herd", "--metrics-port", "9113")) {
            assertEquals(2, p.waitFor(LIMIT));
            assertTrue(p.err().startsWith("herd: --metrics-port is for one server (NAME --metrics-port N); with --herd,"
                    + " give each server \"metrics\": {\"port\": N} in the config\nusage: "), p.err());
        }
    }

    /** The monitor serves no metrics: with a config that names metrics ports it says so, then goes on as ever. */
    @Test
    void theMonitorSaysItServesNoMetrics() throws Exception {
        List<Integer> ports = HerdProcess.freePorts(6);
        writeConfig(ports.subList(0, 5), Map.of("Welsh", ports.get(5)));
        // Goloman's port taken: the monitor stops before any window, after its notice.
        try (ServerSocket held = new ServerSocket(ports.get(0), 50, InetAddress.getByName("127.0.0.1"));
             HerdProcess p = HerdProcess.start(dir, Map.of(), "--gui", "--config", "herd.json")) {
            assertEquals(1, p.waitFor(LIMIT));
            assertEquals("herd: --gui serves no metrics; the metrics ports of Welsh in herd.json are for NAME and --herd runs\n"
                    + "herd: Goloman: cannot listen on 127.0.0.1:" + ports.get(0) + ": address already in use\n",
                    p.err().lines().filter(l -> l.startsWith("herd: ")).reduce("", (a, b) -> a + b + "\n"));
        }
    }
}
