package herd.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Herd config files (SPEC §1) for the herds the comparison starts: free loopback ports,
 * the default links (or none, for a one-server herd), a Places provider, and a log folder
 * of the benchmark's own. Both herds read the same file. Stateless.
 */
final class BenchConfig {

    private BenchConfig() {
    }

    /** Ports that were free on 127.0.0.1 a moment ago, one per name. */
    static Map<String, Integer> freePorts(List<String> names) {
        List<ServerSocket> held = new ArrayList<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        try {
            for (String n : names) {
                ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(s);
                ports.put(n, s.getLocalPort());
            }
        } catch (IOException e) {
            throw new BenchException("cannot find free loopback ports: " + e.getMessage());
        } finally {
            for (ServerSocket s : held) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // only held to reserve the number
                }
            }
        }
        return ports;
    }

    /**
     * Writes a config.
     *
     * @param links    true: the default links among these servers; false: no links
     * @param provider          {@code google} or {@code offline}
     * @param maxCallsPerSecond each server's limit on upstream calls, or 0 for the herd's default
     */
    static Path write(Path file, Map<String, Integer> ports, boolean links, String provider, String url,
                      String keyEnv, int maxCallsPerSecond, Path logDir) {
        ObjectMapper json = new ObjectMapper();
        ObjectNode root = json.createObjectNode();
        ObjectNode servers = root.putObject("servers");
        ports.forEach((name, port) -> servers.putObject(name).put("host", "127.0.0.1").put("port", port));
        ArrayNode l = root.putArray("links");
        if (links) {
            for (List<String> pair : HerdLayout.DEFAULT_LINKS) {
                if (ports.containsKey(pair.get(0)) && ports.containsKey(pair.get(1))) {
                    l.addArray().add(pair.get(0)).add(pair.get(1));
                }
            }
        }
        ObjectNode places = root.putObject("places").put("provider", provider).put("url", url).put("keyEnv", keyEnv)
                .put("timeoutMs", 10000);
        if (maxCallsPerSecond > 0) {
            places.put("maxCallsPerSecond", maxCallsPerSecond);
        }
        root.put("logDir", logDir.toString());
        // The bench reads each server's whole log (<Name>.log): never rotated, as the asyncio herd's.
        root.putObject("log").put("maxFileBytes", 0);
        try {
            Files.writeString(file, json.writerWithDefaultPrettyPrinter().writeValueAsString(root));
        } catch (IOException e) {
            throw new BenchException("cannot write " + file + ": " + e.getMessage());
        }
        return file;
    }
}
