package herd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Where a herd's servers listen and who links with whom, read from a herd config file
 * (SPEC §1; only the keys the benchmarks need). Refuses servers that are not on this
 * machine's loopback: the benchmarks read {@code /proc} and must never send load elsewhere.
 * Immutable.
 *
 * @param servers every server's address, in config order
 * @param links   each link as a pair of names
 * @param logDir  the herd's log folder as written in the file, if any
 */
record HerdLayout(Map<String, InetSocketAddress> servers, List<List<String>> links, Optional<Path> logDir) {

    static final List<String> DEFAULT_NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    static final List<List<String>> DEFAULT_LINKS = List.of(
            List.of("Goloman", "Hands"), List.of("Goloman", "Holiday"), List.of("Goloman", "Wilkes"),
            List.of("Hands", "Wilkes"), List.of("Holiday", "Welsh"), List.of("Holiday", "Wilkes"));
    private static final int DEFAULT_BASE_PORT = 12010;

    HerdLayout {
        servers = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(servers));
        links = List.copyOf(links);
    }

    static HerdLayout read(Path file) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(Files.readString(file));
        } catch (IOException e) {
            throw new BenchException("cannot read herd config " + file + ": " + e.getMessage());
        }
        JsonNode servers = root.path("servers");
        if (!servers.isObject() || servers.isEmpty()) {
            throw new BenchException("herd config " + file + ": no \"servers\" object");
        }
        Map<String, InetSocketAddress> addresses = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String name = e.getKey();
            String host = e.getValue().path("host").asText("127.0.0.1");
            int defaultPort = DEFAULT_NAMES.contains(name) ? DEFAULT_BASE_PORT + DEFAULT_NAMES.indexOf(name) : -1;
            int port = e.getValue().path("port").asInt(defaultPort);
            if (port < 1) {
                throw new BenchException("herd config " + file + ": server " + name + " has no port");
            }
            addresses.put(name, new InetSocketAddress(loopback(host, file), port));
        }
        List<List<String>> links = new ArrayList<>();
        if (root.has("links")) {
            for (JsonNode pair : root.get("links")) {
                links.add(List.of(pair.get(0).asText(), pair.get(1).asText()));
            }
        } else {
            for (List<String> l : DEFAULT_LINKS) {
                if (addresses.containsKey(l.get(0)) && addresses.containsKey(l.get(1))) {
                    links.add(l);
                }
            }
        }
        Optional<Path> logDir = root.has("logDir") ? Optional.of(Path.of(root.get("logDir").asText())) : Optional.empty();
        return new HerdLayout(addresses, links, logDir);
    }

    private static InetAddress loopback(String host, Path file) {
        try {
            InetAddress a = InetAddress.getByName(host);
            if (!a.isLoopbackAddress()) {
                throw new BenchException("herd config " + file + ": " + host + " is not a loopback address; "
                        + "the benchmarks only measure herds on this machine's loopback");
            }
            return a;
        } catch (UnknownHostException e) {
            throw new BenchException("herd config " + file + ": unknown host " + host);
        }
    }

    InetSocketAddress address(String server) {
        InetSocketAddress a = servers.get(server);
        if (a == null) {
            throw new BenchException("the herd has no server " + server + " (it has " + String.join(", ", servers.keySet()) + ")");
        }
        return a;
    }

    List<String> names() {
        return List.copyOf(servers.keySet());
    }

    Set<String> neighbours(String server) {
        Set<String> out = new LinkedHashSet<>();
        for (List<String> l : links) {
            if (l.get(0).equals(server)) {
                out.add(l.get(1));
            } else if (l.get(1).equals(server)) {
                out.add(l.get(0));
            }
        }
        return out;
    }

    /** {@code preferred} if the herd has it, else its first server (for herds with other names). */
    String serverOr(String preferred) {
        return servers.containsKey(preferred) ? preferred : names().get(0);
    }
}
