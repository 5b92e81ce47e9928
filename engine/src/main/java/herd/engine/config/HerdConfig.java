package herd.engine.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A herd's shape: its servers, the links between them, where WHATSAT gets places, and
 * where logs go. Immutable; {@link #load(Path)} and {@link #parse(String, String)} refuse
 * a bad file with a one-line {@link ConfigException}.
 *
 * @param servers the servers, in config order
 * @param links   the links, each once
 * @param places  the Places provider settings
 * @param limits  bounds on lines, queues, idle clients and client connections
 * @param security the peers' shared secret and TLS, if any
 * @param logDir  the folder for {@code <Name>.log} files (relative paths are relative to
 *                the working directory)
 * @param source  where this config came from, for people: a file name or "built-in default"
 */
public record HerdConfig(List<ServerSpec> servers, List<Link> links, PlacesSettings places, Limits limits,
                         Security security, Path logDir, String source) {

    /**
     * Strict: a key given twice is an error, not "the last one wins". In a holder class so
     * that {@link #defaults()} never loads Jackson: building a mapper costs about 200 ms of
     * class loading at start-up, which a server run on the built-in config does not need.
     */
    private static final class Json {
        static final ObjectMapper MAPPER = JsonMapper.builder()
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
    }

    private static final List<String> DEFAULT_NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final int DEFAULT_BASE_PORT = 12010;
    private static final List<Link> DEFAULT_LINKS = List.of(
            Link.between("Goloman", "Hands"), Link.between("Goloman", "Holiday"),
            Link.between("Goloman", "Wilkes"), Link.between("Hands", "Wilkes"),
            Link.between("Holiday", "Welsh"), Link.between("Holiday", "Wilkes"));

    public HerdConfig {
        servers = List.copyOf(servers);
        links = List.copyOf(links);
    }

    /** The five-server herd of SPEC §1 on 127.0.0.1:12010–12014, logging to {@code logs/}. */
    public static HerdConfig defaults() {
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 0; i < DEFAULT_NAMES.size(); i++) {
            servers.add(new ServerSpec(DEFAULT_NAMES.get(i), "127.0.0.1", DEFAULT_BASE_PORT + i));
        }
        return new HerdConfig(servers, DEFAULT_LINKS, PlacesSettings.defaults(), Limits.defaults(), Security.none(),
                Path.of("logs"),
                "built-in default");
    }

    /** Reads and validates a JSON config file. */
    public static HerdConfig load(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": cannot read: " + e.getMessage());
        }
        return parse(text, file.toString());
    }

    /** Validates config JSON; {@code source} names it in error messages. */
    public static HerdConfig parse(String json, String source) throws ConfigException {
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("config " + source + ": not valid JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse("") + locationOf(e));
        }
        return new Reader(source).read(root);
    }

    /** The server named {@code name}, if this herd has one. */
    public Optional<ServerSpec> server(String name) {
        return servers.stream().filter(s -> s.name().equals(name)).findFirst();
    }

    /** Names of the servers linked with {@code name}. */
    public List<String> neighbours(String name) {
        return links.stream().filter(l -> l.touches(name)).map(l -> l.other(name)).toList();
    }

    public List<String> serverNames() {
        return servers.stream().map(ServerSpec::name).toList();
    }

    /** This config with every server on another port (same order); handy for tests and tools. */
    public HerdConfig withPorts(List<Integer> ports) {
        if (ports.size() != servers.size()) {
            throw new IllegalArgumentException("need " + servers.size() + " ports, got " + ports.size());
        }
        List<ServerSpec> moved = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            ServerSpec s = servers.get(i);
            moved.add(new ServerSpec(s.name(), s.host(), ports.get(i)));
        }
        return new HerdConfig(moved, links, places, limits, security, logDir, source);
    }

    public HerdConfig withPlaces(PlacesSettings newPlaces) {
        return new HerdConfig(servers, links, newPlaces, limits, security, logDir, source);
    }

    public HerdConfig withLogDir(Path dir) {
        return new HerdConfig(servers, links, places, limits, security, dir, source);
    }

    public HerdConfig withLimits(Limits newLimits) {
        return new HerdConfig(servers, links, places, newLimits, security, logDir, source);
    }

    public HerdConfig withSecurity(Security newSecurity) {
        return new HerdConfig(servers, links, places, limits, newSecurity, logDir, source);
    }

    private static String locationOf(JsonProcessingException e) {
        return e.getLocation() == null ? ""
                : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }

    /** Walks the JSON tree, refusing anything SPEC §1 does not name. */
    private static final class Reader {
        private final String source;

        Reader(String source) {
            this.source = source;
        }

        HerdConfig read(JsonNode root) throws ConfigException {
            if (!root.isObject()) {
                throw fail("the top level must be a JSON object");
            }
            allowOnly(root, "top level", "servers", "links", "places", "limits", "security", "logDir");
            JsonNode serversNode = root.get("servers");
            if (serversNode == null) {
                throw fail("\"servers\" is required");
            }
            List<ServerSpec> servers = servers(serversNode);
            List<Link> links = root.has("links") ? links(root.get("links"), servers) : defaultLinks(servers);
            PlacesSettings places = root.has("places") ? places(root.get("places")) : PlacesSettings.defaults();
            Limits limits = root.has("limits") ? limits(root.get("limits")) : Limits.defaults();
            Security security = root.has("security") ? security(root.get("security")) : Security.none();
            Path logDir = Path.of(root.has("logDir") ? text(root.get("logDir"), "logDir") : "logs");
            return new HerdConfig(servers, links, places, limits, security, logDir, source);
        }

        private List<ServerSpec> servers(JsonNode node) throws ConfigException {
            if (!node.isObject() || node.isEmpty()) {
                throw fail("\"servers\" must be a non-empty object of name: {host, port}");
            }
            List<ServerSpec> out = new ArrayList<>();
            Set<String> addresses = new HashSet<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (!name.matches("[A-Za-z0-9_.-]+")) {
                    throw fail("server name \"" + name + "\" must be letters, digits, '_', '.' or '-'");
                }
                JsonNode s = e.getValue();
                String where = "servers." + name;
                if (!s.isObject()) {
                    throw fail(where + " must be an object {host, port}");
                }
                allowOnly(s, where, "host", "port");
                String host = s.has("host") ? text(s.get("host"), where + ".host") : "127.0.0.1";
                if (!s.has("port")) {
                    throw fail(where + ".port is required");
                }
                JsonNode p = s.get("port");
                if (!p.isInt() || p.intValue() < 1 || p.intValue() > 65535) {
                    throw fail(where + ".port must be an integer from 1 to 65535");
                }
                if (!addresses.add(host + ":" + p.intValue())) {
                    throw fail("duplicate port: " + host + ":" + p.intValue() + " is given to more than one server");
                }
                out.add(new ServerSpec(name, host, p.intValue()));
            }
            return out;
        }

        private List<Link> links(JsonNode node, List<ServerSpec> servers) throws ConfigException {
            if (!node.isArray()) {
                throw fail("\"links\" must be an array of [name, name] pairs");
            }
            Set<String> names = new HashSet<>(servers.stream().map(ServerSpec::name).toList());
            List<Link> out = new ArrayList<>();
            for (JsonNode pair : node) {
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw fail("each link must be a pair of server names, got " + pair);
                }
                String a = pair.get(0).textValue();
                String b = pair.get(1).textValue();
                for (String n : List.of(a, b)) {
                    if (!names.contains(n)) {
                        throw fail("link " + pair + " names unknown server \"" + n + "\"");
                    }
                }
                if (a.equals(b)) {
                    throw fail("link " + pair + " joins a server to itself");
                }
                Link link = Link.between(a, b);
                if (out.contains(link)) {
                    throw fail("link " + pair + " is listed twice");
                }
                out.add(link);
            }
            return out;
        }

        private List<Link> defaultLinks(List<ServerSpec> servers) {
            Set<String> names = new HashSet<>(servers.stream().map(ServerSpec::name).toList());
            return DEFAULT_LINKS.stream()
                    .filter(l -> names.contains(l.dialer()) && names.contains(l.acceptor()))
                    .toList();
        }

        private PlacesSettings places(JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw fail("\"places\" must be an object");
            }
            allowOnly(node, "places", "provider", "url", "keyEnv", "timeoutMs", "cacheTtlMs", "cacheEntries",
                    "maxCallsPerSecond");
            PlacesSettings d = PlacesSettings.defaults();
            String name = node.has("provider") ? text(node.get("provider"), "places.provider")
                    : d.provider().configName();
            PlacesSettings.Provider provider = PlacesSettings.Provider.named(name).orElseThrow(() -> fail(
                    "places.provider must be one of " + String.join(", ", PlacesSettings.Provider.configNames())
                            + ", got \"" + name + "\""));
            String url = node.has("url") ? text(node.get("url"), "places.url") : PlacesSettings.defaultUrl(provider);
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw fail("places.url must be an http or https URL, got \"" + url + "\"");
                }
            } catch (URISyntaxException e) {
                throw fail("places.url is not a URL: " + e.getMessage());
            }
            String keyEnv = node.has("keyEnv") ? text(node.get("keyEnv"), "places.keyEnv") : d.keyEnv();
            return new PlacesSettings(provider, url, keyEnv,
                    intAtLeast(node, "places", "timeoutMs", d.timeoutMs(), 1, " (milliseconds)"),
                    intAtLeast(node, "places", "cacheTtlMs", d.cacheTtlMs(), 0, " (milliseconds; 0 turns the cache off)"),
                    intAtLeast(node, "places", "cacheEntries", d.cacheEntries(), 0, " (answers; 0 turns the cache off)"),
                    intAtLeast(node, "places", "maxCallsPerSecond", d.maxCallsPerSecond(), 1, " (calls per second)"));
        }

        private Security security(JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw fail("\"security\" must be an object");
            }
            allowOnly(node, "security", "peerSecret", "peerSecretEnv", "tls");
            String secret = node.has("peerSecret") ? text(node.get("peerSecret"), "security.peerSecret") : null;
            String env = node.has("peerSecretEnv") ? text(node.get("peerSecretEnv"), "security.peerSecretEnv") : null;
            if (secret != null && env != null) {
                throw fail("give security.peerSecret or security.peerSecretEnv, not both");
            }
            Security.Tls tls = null;
            if (node.has("tls")) {
                JsonNode t = node.get("tls");
                if (!t.isObject()) {
                    throw fail("security.tls must be an object {keyStore, passwordEnv, trustStore}");
                }
                allowOnly(t, "security.tls", "keyStore", "passwordEnv", "trustStore");
                if (!t.has("keyStore") || !t.has("passwordEnv")) {
                    throw fail("security.tls needs keyStore and passwordEnv");
                }
                tls = new Security.Tls(Path.of(text(t.get("keyStore"), "security.tls.keyStore")),
                        text(t.get("passwordEnv"), "security.tls.passwordEnv"),
                        t.has("trustStore") ? Path.of(text(t.get("trustStore"), "security.tls.trustStore")) : null);
            }
            return new Security(secret, env, tls);
        }

        private Limits limits(JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw fail("\"limits\" must be an object");
            }
            allowOnly(node, "limits", "maxLineBytes", "clientQueueBytes", "peerQueueBytes", "idleTimeoutSeconds",
                    "maxClients");
            Limits d = Limits.defaults();
            return new Limits(
                    intAtLeast(node, "limits", "maxLineBytes", (int) d.maxLineBytes(), 16, ""),
                    intAtLeast(node, "limits", "clientQueueBytes", (int) d.clientQueueBytes(), 1024, ""),
                    intAtLeast(node, "limits", "peerQueueBytes", (int) d.peerQueueBytes(), 1024, ""),
                    intAtLeast(node, "limits", "idleTimeoutSeconds", d.idleTimeoutSeconds(), 1, ""),
                    intAtLeast(node, "limits", "maxClients", d.maxClients(), 1, ""));
        }

        /** {@code where.key}, an integer of at least {@code min}; {@code fallback} when absent. */
        private int intAtLeast(JsonNode section, String where, String key, int fallback, int min, String unit)
                throws ConfigException {
            if (!section.has(key)) {
                return fallback;
            }
            JsonNode v = section.get(key);
            if (!v.isInt() || v.intValue() < min) {
                throw fail(where + "." + key + " must be an integer of at least " + min + unit);
            }
            return v.intValue();
        }


        private String text(JsonNode node, String where) throws ConfigException {
            if (!node.isTextual() || node.textValue().isBlank()) {
                throw fail(where + " must be a non-empty string");
            }
            return node.textValue();
        }

        private void allowOnly(JsonNode node, String where, String... keys) throws ConfigException {
            List<String> allowed = List.of(keys);
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw fail("unknown key \"" + key + "\" in " + where + " (allowed: " + String.join(", ", allowed) + ")");
                }
            }
        }

        private ConfigException fail(String problem) {
            return new ConfigException("config " + source + ": " + problem);
        }
    }
}
