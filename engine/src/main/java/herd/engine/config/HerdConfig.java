package herd.engine.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

/**
 * A herd's shape: its servers, the links between them, where WHATSAT gets places, and
 * where logs go. Immutable; {@link #load(Path)} and {@link #parse(String, String)} refuse
 * a bad file with a one-line {@link ConfigException} naming the file, line and column.
 *
 * @param servers the servers, in config order
 * @param links   the links, each once
 * @param places  the Places provider settings
 * @param limits  bounds on lines, queues, idle clients and client connections
 * @param security how peer links authenticate (by default, the user's cookie), and TLS on them
 * @param logDir  the folder for {@code <Name>.log} files (relative paths are relative to
 *                the working directory)
 * @param log     how those files rotate by size and how many are kept
 * @param metricsPorts the servers that serve Prometheus metrics and {@code /health} over HTTP
 *                (config {@code servers.NAME.metrics.port}), each with its port on the server's
 *                host, in config order; the engine itself serves nothing: the launcher does.
 *                Port 0 (any free port) is given only by the command line
 * @param source  where this config came from, for people: a file name or "built-in default"
 */
public record HerdConfig(List<ServerSpec> servers, List<Link> links, PlacesSettings places, Limits limits,
                         Security security, Path logDir, LogSettings log, Map<String, Integer> metricsPorts,
                         String source) {

    private static final List<String> DEFAULT_NAMES = List.of("Goloman", "Hands", "Holiday", "Welsh", "Wilkes");
    private static final int DEFAULT_BASE_PORT = 12010;
    private static final List<Link> DEFAULT_LINKS = List.of(
            Link.between("Goloman", "Hands"), Link.between("Goloman", "Holiday"),
            Link.between("Goloman", "Wilkes"), Link.between("Hands", "Wilkes"),
            Link.between("Holiday", "Welsh"), Link.between("Holiday", "Wilkes"));

    public HerdConfig {
        servers = List.copyOf(servers);
        links = List.copyOf(links);
        metricsPorts = Collections.unmodifiableMap(new LinkedHashMap<>(metricsPorts));
        String tooLong = atLineTooLong(servers, limits);
        if (tooLong != null) {
            throw new IllegalArgumentException(tooLong);
        }
        for (Map.Entry<String, Integer> m : metricsPorts.entrySet()) {
            String clash = metricsPortClash(servers, metricsPorts, m.getKey(), m.getValue(),
                    "servers." + m.getKey() + ".metrics.port");
            if (clash != null) {
                throw new IllegalArgumentException(clash);
            }
        }
    }

    /**
     * Why server {@code name} cannot serve metrics on {@code port} of its host ({@code what}
     * names the setting for people), or null when it can: the server must be one of {@code
     * servers}, the port from 0 to 65535, and no other server's port or metrics port on the
     * same host (port 0, any free port, clashes with none).
     */
    private static String metricsPortClash(List<ServerSpec> servers, Map<String, Integer> metricsPorts, String name,
                                           int port, String what) {
        ServerSpec own = null;
        for (ServerSpec s : servers) {
            if (s.name().equals(name)) {
                own = s;
            }
        }
        if (own == null) {
            return what + ": no server named " + name;
        }
        if (port < 0 || port > 65535) {
            return what + " must be a port from 0 to 65535, got " + port;
        }
        if (port == 0) {
            return null;
        }
        for (ServerSpec s : servers) {
            if (s.host().equals(own.host()) && s.port() == port) {
                return what + " " + port + " is also " + s.name() + "'s port on " + own.host();
            }
        }
        for (Map.Entry<String, Integer> m : metricsPorts.entrySet()) {
            ServerSpec other = null;
            for (ServerSpec s : servers) {
                if (s.name().equals(m.getKey())) {
                    other = s;
                }
            }
            if (!m.getKey().equals(name) && other != null && other.host().equals(own.host()) && m.getValue() == port) {
                return what + " " + port + " is also " + m.getKey() + "'s metrics port on " + own.host();
            }
        }
        return null;
    }

    /**
     * Why an AT line within the field bounds could be longer than {@code limits.maxLineBytes}
     * (and a neighbour would have to skip it); null when every one fits.
     */
    private static String atLineTooLong(List<ServerSpec> servers, Limits limits) {
        ServerSpec longest = null;
        for (ServerSpec s : servers) {
            if (longest == null || s.name().length() > longest.name().length()) {
                longest = s;
            }
        }
        long at = limits.longestAtLine(longest == null ? 0 : longest.name().getBytes(StandardCharsets.UTF_8).length);
        if (at <= limits.maxLineBytes()) {
            return null;
        }
        return "an AT line of " + (longest == null ? "a server" : "server " + longest.name()) + " can be " + at
                + " bytes (maxClientIdBytes " + limits.maxClientIdBytes() + ", maxTimeDigits " + limits.maxTimeDigits()
                + ", maxCoordinateDigits " + limits.maxCoordinateDigits() + "), more than limits.maxLineBytes "
                + limits.maxLineBytes() + ": raise maxLineBytes or lower those bounds";
    }

    /** The five-server herd of SPEC §1 on 127.0.0.1:12010–12014, logging to {@code logs/}. */
    public static HerdConfig defaults() {
        List<ServerSpec> servers = new ArrayList<>();
        for (int i = 0; i < DEFAULT_NAMES.size(); i++) {
            servers.add(new ServerSpec(DEFAULT_NAMES.get(i), "127.0.0.1", DEFAULT_BASE_PORT + i));
        }
        return new HerdConfig(servers, DEFAULT_LINKS, PlacesSettings.defaults(), Limits.defaults(), Security.defaults(),
                Path.of("logs"), LogSettings.defaults(), Map.of(), "built-in default");
    }

    /** Reads and validates a JSON config file (UTF-8). */
    public static HerdConfig load(Path file) throws ConfigException {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException(source, "no such file");
        } catch (AccessDeniedException e) {
            throw new ConfigException(source, "permission denied");
        } catch (IOException e) {
            throw new ConfigException(source, "cannot read: " + e.getMessage());
        }
        return parse(ConfigJson.utf8(bytes, source), source);
    }

    /** Validates config JSON; {@code source} names it in error messages. */
    public static HerdConfig parse(String json, String source) throws ConfigException {
        return new Reader(ConfigJson.read(json, source), source).read();
    }

    // Loops, not streams, here and in Reader: the launcher reads the config and binds the
    // ports before anything else, and the first stream or lambda of a JVM loads and spins up
    // the method-handle machinery, tens of milliseconds of start-up per process.

    /** The server named {@code name}, if this herd has one. */
    public Optional<ServerSpec> server(String name) {
        for (ServerSpec s : servers) {
            if (s.name().equals(name)) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Names of the servers linked with {@code name}. */
    public List<String> neighbours(String name) {
        List<String> out = new ArrayList<>();
        for (Link l : links) {
            if (l.touches(name)) {
                out.add(l.other(name));
            }
        }
        return List.copyOf(out);
    }

    /** The port server {@code name} serves metrics on (0: any free port), if it serves them. */
    public OptionalInt metricsPort(String name) {
        Integer port = metricsPorts.get(name);
        return port == null ? OptionalInt.empty() : OptionalInt.of(port);
    }

    /**
     * This config with server {@code name} serving metrics on {@code port} of its host (0:
     * any free port), as {@code --metrics-port} asks; refused with a message for people when
     * the server is unknown or the port is another server's or another metrics port there.
     */
    public HerdConfig withMetricsPort(String name, int port) {
        String clash = metricsPortClash(servers, metricsPorts, name, port, "--metrics-port");
        if (clash != null) {
            throw new IllegalArgumentException(clash);
        }
        Map<String, Integer> ports = new LinkedHashMap<>(metricsPorts);
        ports.put(name, port);
        return new HerdConfig(servers, links, places, limits, security, logDir, log, ports, source);
    }

    public List<String> serverNames() {
        List<String> out = new ArrayList<>(servers.size());
        for (ServerSpec s : servers) {
            out.add(s.name());
        }
        return List.copyOf(out);
    }

    /** This config with every server on another port (same order); handy for tests and tools. */
    public HerdConfig withPorts(List<Integer> ports) {
        if (ports.size() != servers.size()) {
            throw new IllegalArgumentException("need " + servers.size() + " ports, got " + ports.size());
        }
        List<ServerSpec> moved = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
            moved.add(servers.get(i).withPort(ports.get(i)));
        }
        return new HerdConfig(moved, links, places, limits, security, logDir, log, metricsPorts, source);
    }

    /**
     * This config with server {@code spec} added, linked with each of {@code neighbours}
     * (for a running herd: {@code Herd.reconfigure}). Port 0 picks a free port when it starts.
     */
    public HerdConfig withServer(ServerSpec spec, List<String> neighbours) {
        if (server(spec.name()).isPresent()) {
            throw new IllegalArgumentException("the herd already has a server named " + spec.name());
        }
        for (ServerSpec s : servers) {
            if (spec.port() != 0 && s.port() == spec.port() && s.host().equals(spec.host())) {
                throw new IllegalArgumentException(spec.host() + ":" + spec.port() + " is " + s.name() + "'s already");
            }
        }
        List<ServerSpec> more = new ArrayList<>(servers);
        more.add(spec);
        List<Link> moreLinks = new ArrayList<>(links);
        for (String n : neighbours) {
            if (server(n).isEmpty()) {
                throw new IllegalArgumentException("no server named " + n + " to link " + spec.name() + " with");
            }
            moreLinks.add(Link.between(spec.name(), n));
        }
        return new HerdConfig(more, moreLinks, places, limits, security, logDir, log, metricsPorts, source);
    }

    /** This config without server {@code name} and its links. */
    public HerdConfig withoutServer(String name) {
        if (server(name).isEmpty()) {
            throw new IllegalArgumentException("no server named " + name);
        }
        List<ServerSpec> fewer = new ArrayList<>(servers);
        fewer.removeIf(s -> s.name().equals(name));
        List<Link> fewerLinks = new ArrayList<>(links);
        fewerLinks.removeIf(l -> l.touches(name));
        Map<String, Integer> fewerMetrics = new java.util.LinkedHashMap<>(metricsPorts);
        fewerMetrics.remove(name);
        return new HerdConfig(fewer, fewerLinks, places, limits, security, logDir, log, fewerMetrics, source);
    }

    /** This config with {@code newLinks} instead of its links (each between two of its servers). */
    public HerdConfig withLinks(List<Link> newLinks) {
        for (Link l : newLinks) {
            if (server(l.dialer()).isEmpty() || server(l.acceptor()).isEmpty()) {
                throw new IllegalArgumentException("link " + l + " names a server the herd does not have");
            }
        }
        return new HerdConfig(servers, newLinks, places, limits, security, logDir, log, metricsPorts, source);
    }

    /** This config with {@code replacement} in place of the server of its name (where it listens, say). */
    public HerdConfig withServerReplaced(ServerSpec replacement) {
        List<ServerSpec> out = new ArrayList<>(servers);
        int at = serverNames().indexOf(replacement.name());
        if (at < 0) {
            throw new IllegalArgumentException("no server named " + replacement.name() + " in config " + source);
        }
        out.set(at, replacement);
        return new HerdConfig(out, links, places, limits, security, logDir, log, metricsPorts, source);
    }

    public HerdConfig withPlaces(PlacesSettings newPlaces) {
        return new HerdConfig(servers, links, newPlaces, limits, security, logDir, log, metricsPorts, source);
    }

    public HerdConfig withLogDir(Path dir) {
        return new HerdConfig(servers, links, places, limits, security, dir, log, metricsPorts, source);
    }

    public HerdConfig withLog(LogSettings newLog) {
        return new HerdConfig(servers, links, places, limits, security, logDir, newLog, metricsPorts, source);
    }

    public HerdConfig withLimits(Limits newLimits) {
        return new HerdConfig(servers, links, places, newLimits, security, logDir, log, metricsPorts, source);
    }

    public HerdConfig withSecurity(Security newSecurity) {
        return new HerdConfig(servers, links, places, limits, newSecurity, logDir, log, metricsPorts, source);
    }

    /** Walks the JSON tree, refusing anything SPEC §1 does not name, at the place it is written. */
    private static final class Reader {
        private final ConfigJson json;
        private final String source;

        Reader(ConfigJson json, String source) {
            this.json = json;
            this.source = source;
        }

        HerdConfig read() throws ConfigException {
            JsonNode root = json.root();
            if (!root.isObject()) {
                throw json.atRoot("the top level must be a JSON object {...}, got " + shown(root));
            }
            allowOnly(root, "the top level", "servers", "links", "places", "limits", "security", "logDir", "log");
            JsonNode serversNode = root.get("servers");
            if (serversNode == null) {
                throw json.atOpening(root, "\"servers\" is required");
            }
            List<ServerSpec> servers = servers(root, serversNode);
            List<Link> links = root.has("links") ? links(root, root.get("links"), servers) : defaultLinks(servers);
            PlacesSettings places = root.has("places") ? places(root, root.get("places")) : PlacesSettings.defaults();
            Limits limits = root.has("limits") ? limits(root, root.get("limits")) : Limits.defaults();
            String tooLong = atLineTooLong(servers, limits);
            if (tooLong != null) {
                throw json.atValue(root, root.has("limits") ? "limits" : "servers", tooLong);
            }
            Security security = root.has("security") ? security(root, root.get("security")) : Security.defaults();
            Path logDir = Path.of(root.has("logDir") ? text(root, "logDir", "logDir") : "logs");
            LogSettings log = root.has("log") ? log(root, root.get("log")) : LogSettings.defaults();
            return new HerdConfig(servers, links, places, limits, security, logDir, log, metricsPorts(servers,
                    serversNode), source);
        }

        private List<ServerSpec> servers(JsonNode root, JsonNode node) throws ConfigException {
            if (!node.isObject() || node.isEmpty()) {
                throw json.atValue(root, "servers", "\"servers\" must be a non-empty object of name: {host, port}");
            }
            List<ServerSpec> out = new ArrayList<>();
            Set<String> addresses = new HashSet<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String name = e.getKey();
                if (!isPlainName(name)) {
                    throw json.atKey(node, name, "server name " + ConfigJson.quote(name)
                            + " must be letters, digits, '_', '.' or '-'");
                }
                JsonNode s = e.getValue();
                String where = "servers." + name;
                if (!s.isObject()) {
                    throw json.atValue(node, name, where + " must be an object {host, port}, got " + shown(s));
                }
                allowOnly(s, where, "host", "port", "listen", "metrics");
                String host = s.has("host") ? text(s, "host", where + ".host") : "127.0.0.1";
                String listen = null;
                if (s.has("listen")) {
                    listen = text(s, "listen", where + ".listen");
                    if (!HostAddress.isValid(listen)) {
                        throw json.atValue(s, "listen", where + ".listen must be an IP address (0.0.0.0 or :: for every"
                                + " address) or a host name, got " + ConfigJson.quote(listen));
                    }
                }
                if (!s.has("port")) {
                    throw json.atOpening(s, where + ".port is required");
                }
                JsonNode p = s.get("port");
                if (!p.isInt() || p.intValue() < 1 || p.intValue() > 65535) {
                    throw json.atValue(s, "port", where + ".port must be an integer from 1 to 65535, got " + shown(p));
                }
                if (!addresses.add(HostAddress.canonical(host) + " " + p.intValue())) {
                    throw json.atValue(s, "port", "duplicate port: " + ServerSpec.hostPort(host, p.intValue())
                            + " is given to more than one server");
                }
                ServerSpec spec = new ServerSpec(name, host, p.intValue(), listen);
                for (ServerSpec before : out) {
                    String clash = clash(before, spec);
                    if (clash != null) {
                        throw json.atValue(s, listen != null ? "listen" : "port", clash);
                    }
                }
                out.add(spec);
            }
            return out;
        }

        /**
         * Why {@code b} cannot bind beside {@code a}, or null. Which machine a server runs on is
         * not in the config; two servers are taken to share one when their hosts are the same
         * (then the same port is a duplicate anyway: peers could not tell them apart) or both
         * loopback addresses (their peers dial them on the machine they run on). There, one
         * port can be bound once per address, and a wildcard takes it on every address. Any
         * other clash shows at start, as a port in use.
         */
        private static String clash(ServerSpec a, ServerSpec b) {
            if (a.port() != b.port() || !(HostAddress.isLoopback(a.host()) && HostAddress.isLoopback(b.host()))) {
                return null;
            }
            String la = a.listenHost();
            String lb = b.listenHost();
            boolean wildcard = HostAddress.isWildcard(la) || HostAddress.isWildcard(lb);
            if (!wildcard && !HostAddress.canonical(la).equals(HostAddress.canonical(lb))) {
                return null;
            }
            return "servers." + b.name() + " would listen on " + b.listenAddress() + " and " + a.name() + " on "
                    + a.listenAddress() + (wildcard ? " (a wildcard takes the port on every address)" : "")
                    + ", on one machine (both hosts are loopback addresses): give one of them another port";
        }

        /**
         * Each {@code servers.NAME.metrics} object, {@code {"port": N}}: the port NAME serves
         * metrics and {@code /health} on, on its host; refused at the port when it is another
         * server's port or another metrics port on the same host.
         */
        private Map<String, Integer> metricsPorts(List<ServerSpec> servers, JsonNode serversNode)
                throws ConfigException {
            Map<String, Integer> out = new LinkedHashMap<>();
            for (ServerSpec spec : servers) {
                JsonNode s = serversNode.get(spec.name());
                if (!s.has("metrics")) {
                    continue;
                }
                String where = "servers." + spec.name() + ".metrics";
                JsonNode m = s.get("metrics");
                if (!m.isObject()) {
                    throw json.atValue(s, "metrics", where + " must be an object {port}, got " + shown(m));
                }
                allowOnly(m, where, "port");
                if (!m.has("port")) {
                    throw json.atOpening(m, where + ".port is required");
                }
                JsonNode p = m.get("port");
                if (!p.isInt() || p.intValue() < 1 || p.intValue() > 65535) {
                    throw json.atValue(m, "port", where + ".port must be an integer from 1 to 65535, got " + shown(p));
                }
                String clash = metricsPortClash(servers, out, spec.name(), p.intValue(), where + ".port");
                if (clash != null) {
                    throw json.atValue(m, "port", clash);
                }
                out.put(spec.name(), p.intValue());
            }
            return out;
        }

        private List<Link> links(JsonNode root, JsonNode node, List<ServerSpec> servers) throws ConfigException {
            if (!node.isArray()) {
                throw json.atValue(root, "links", "\"links\" must be an array of [name, name] pairs, got " + shown(node));
            }
            Set<String> names = namesOf(servers);
            List<Link> out = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                JsonNode pair = node.get(i);
                if (!pair.isArray() || pair.size() != 2 || !pair.get(0).isTextual() || !pair.get(1).isTextual()) {
                    throw json.atElement(node, i, "each link must be a pair of server names, got " + shown(pair));
                }
                String a = pair.get(0).textValue();
                String b = pair.get(1).textValue();
                for (int end = 0; end < 2; end++) {
                    String n = pair.get(end).textValue();
                    if (!names.contains(n)) {
                        throw json.atElement(pair, end, "link " + pair + " names unknown server " + ConfigJson.quote(n));
                    }
                }
                if (a.equals(b)) {
                    throw json.atElement(node, i, "link " + pair + " joins a server to itself");
                }
                Link link = Link.between(a, b);
                if (out.contains(link)) {
                    throw json.atElement(node, i, "link " + pair + " is listed twice");
                }
                out.add(link);
            }
            return out;
        }

        private List<Link> defaultLinks(List<ServerSpec> servers) {
            Set<String> names = namesOf(servers);
            List<Link> out = new ArrayList<>();
            for (Link l : DEFAULT_LINKS) {
                if (names.contains(l.dialer()) && names.contains(l.acceptor())) {
                    out.add(l);
                }
            }
            return List.copyOf(out);
        }

        private static Set<String> namesOf(List<ServerSpec> servers) {
            Set<String> names = new HashSet<>();
            for (ServerSpec s : servers) {
                names.add(s.name());
            }
            return names;
        }

        /** Letters, digits, '_', '.' or '-', at least one (ASCII only). */
        private static boolean isPlainName(String name) {
            if (name.isEmpty()) {
                return false;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9'
                        || c == '_' || c == '.' || c == '-')) {
                    return false;
                }
            }
            return true;
        }

        private PlacesSettings places(JsonNode root, JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw json.atValue(root, "places", "\"places\" must be an object, got " + shown(node));
            }
            allowOnly(node, "places", "provider", "url", "keyEnv", "timeoutMs", "cacheTtlMs", "cacheEntries",
                    "maxCallsPerSecond");
            PlacesSettings d = PlacesSettings.defaults();
            String name = node.has("provider") ? text(node, "provider", "places.provider")
                    : d.provider().configName();
            Optional<PlacesSettings.Provider> named = PlacesSettings.Provider.named(name);
            if (named.isEmpty()) {
                throw json.atValue(node, "provider", "places.provider must be one of "
                        + String.join(", ", PlacesSettings.Provider.configNames()) + ", got " + ConfigJson.quote(name));
            }
            PlacesSettings.Provider provider = named.get();
            String url = node.has("url") ? text(node, "url", "places.url") : PlacesSettings.defaultUrl(provider);
            try {
                URI uri = new URI(url);
                if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme()) || uri.getHost() == null) {
                    throw json.atValue(node, "url", "places.url must be an http or https URL, got " + ConfigJson.quote(url));
                }
            } catch (URISyntaxException e) {
                throw json.atValue(node, "url", "places.url is not a URL: " + e.getMessage());
            }
            String keyEnv = node.has("keyEnv") ? text(node, "keyEnv", "places.keyEnv") : d.keyEnv();
            return new PlacesSettings(provider, url, keyEnv,
                    intAtLeast(node, "places", "timeoutMs", d.timeoutMs(), 1, " (milliseconds)"),
                    intAtLeast(node, "places", "cacheTtlMs", d.cacheTtlMs(), 0, " (milliseconds; 0 turns the cache off)"),
                    intAtLeast(node, "places", "cacheEntries", d.cacheEntries(), 0, " (answers; 0 turns the cache off)"),
                    intAtLeast(node, "places", "maxCallsPerSecond", d.maxCallsPerSecond(), 1, " (calls per second)"));
        }

        private Security security(JsonNode root, JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw json.atValue(root, "security", "\"security\" must be an object, got " + shown(node));
            }
            allowOnly(node, "security", "peerAuth", "cookieFile", "peerSecret", "peerSecretEnv", "tls");
            String secret = node.has("peerSecret") ? text(node, "peerSecret", "security.peerSecret") : null;
            String env = node.has("peerSecretEnv") ? text(node, "peerSecretEnv", "security.peerSecretEnv") : null;
            if (secret != null && env != null) {
                throw json.atKey(node, "peerSecretEnv", "give security.peerSecret or security.peerSecretEnv, not both");
            }
            Security security = secret != null ? Security.sharedSecret(secret)
                    : env != null ? Security.sharedSecretFromEnv(env) : Security.defaults();
            if (node.has("peerAuth")) {
                String mode = text(node, "peerAuth", "security.peerAuth");
                if (!mode.equals("cookie") && !mode.equals("none")) {
                    throw json.atValue(node, "peerAuth", "security.peerAuth must be \"cookie\" or \"none\", got "
                            + ConfigJson.quote(mode));
                }
                if (security.peerAuth() == Security.PeerAuthentication.SHARED_SECRET) {
                    throw json.atKey(node, "peerAuth", "give security.peerAuth or a shared secret ("
                            + (secret != null ? "peerSecret" : "peerSecretEnv") + "), not both");
                }
                if (mode.equals("none")) {
                    security = Security.unauthenticated();
                }
            }
            if (node.has("cookieFile")) {
                if (security.peerAuth() != Security.PeerAuthentication.COOKIE) {
                    throw json.atKey(node, "cookieFile", "security.cookieFile is read only when peers authenticate"
                            + " with the cookie, not with " + (security.peerAuth() == Security.PeerAuthentication.NONE
                            ? "peerAuth \"none\"" : "a shared secret"));
                }
                String file = text(node, "cookieFile", "security.cookieFile");
                try {
                    security = security.withCookieFile(Path.of(file));
                } catch (InvalidPathException e) {
                    throw json.atValue(node, "cookieFile", "security.cookieFile is not a file name: " + e.getReason());
                }
            }
            if (node.has("tls")) {
                JsonNode t = node.get("tls");
                if (!t.isObject()) {
                    throw json.atValue(node, "tls", "security.tls must be an object {keyStore, passwordEnv, trustStore}");
                }
                allowOnly(t, "security.tls", "keyStore", "passwordEnv", "trustStore");
                if (!t.has("keyStore") || !t.has("passwordEnv")) {
                    throw json.atOpening(t, "security.tls needs keyStore and passwordEnv");
                }
                security = security.withTls(new Security.Tls(Path.of(text(t, "keyStore", "security.tls.keyStore")),
                        text(t, "passwordEnv", "security.tls.passwordEnv"),
                        t.has("trustStore") ? Path.of(text(t, "trustStore", "security.tls.trustStore")) : null));
            }
            return security;
        }

        private Limits limits(JsonNode root, JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw json.atValue(root, "limits", "\"limits\" must be an object, got " + shown(node));
            }
            allowOnly(node, "limits", "maxLineBytes", "clientQueueBytes", "peerQueueBytes", "idleTimeoutSeconds",
                    "maxClients", "maxClientIdBytes", "maxTimeDigits", "maxCoordinateDigits",
                    "maxClockSkewSeconds", "lineTimeoutSeconds", "acceptBacklog");
            Limits d = Limits.defaults();
            return new Limits(
                    intAtLeast(node, "limits", "maxLineBytes", (int) d.maxLineBytes(), 16, ""),
                    intAtLeast(node, "limits", "clientQueueBytes", (int) d.clientQueueBytes(), 1024, ""),
                    intAtLeast(node, "limits", "peerQueueBytes", (int) d.peerQueueBytes(), 1024, ""),
                    intAtLeast(node, "limits", "idleTimeoutSeconds", d.idleTimeoutSeconds(), 1, ""),
                    intAtLeast(node, "limits", "maxClients", d.maxClients(), 1, ""),
                    intAtLeast(node, "limits", "maxClientIdBytes", d.maxClientIdBytes(), 1, ""),
                    intAtLeast(node, "limits", "maxTimeDigits", d.maxTimeDigits(), 1, ""),
                    intAtLeast(node, "limits", "maxCoordinateDigits", d.maxCoordinateDigits(), 1, ""),
                    intAtLeast(node, "limits", "maxClockSkewSeconds", d.maxClockSkewSeconds(), 1, " (seconds)"),
                    intAtLeast(node, "limits", "lineTimeoutSeconds", d.lineTimeoutSeconds(), 1, " (seconds)"),
                    intAtLeast(node, "limits", "acceptBacklog", d.acceptBacklog(), 1, " (connections)"));
        }

        private LogSettings log(JsonNode root, JsonNode node) throws ConfigException {
            if (!node.isObject()) {
                throw json.atValue(root, "log", "\"log\" must be an object {maxFileBytes, maxFiles}, got " + shown(node));
            }
            allowOnly(node, "log", "maxFileBytes", "maxFiles");
            LogSettings d = LogSettings.defaults();
            long maxFileBytes = d.maxFileBytes();
            if (node.has("maxFileBytes")) {
                JsonNode v = node.get("maxFileBytes");
                // A long: files of 2 GiB and more are a fair choice. 1 byte to 64 KiB is refused,
                // not rounded up: a file that small would rotate at nearly every flush, surely a slip.
                if (!v.isIntegralNumber() || !v.canConvertToLong()
                        || v.longValue() != 0 && v.longValue() < LogSettings.MIN_FILE_BYTES) {
                    throw json.atValue(node, "maxFileBytes", "log.maxFileBytes must be 0 (never rotate) or an integer of at least "
                            + LogSettings.MIN_FILE_BYTES + " (bytes), got " + shown(v));
                }
                maxFileBytes = v.longValue();
            }
            int maxFiles = intAtLeast(node, "log", "maxFiles", d.maxFiles(), 1, " (files per server, the current one included)");
            return new LogSettings(maxFileBytes, maxFiles);
        }

        /** {@code where.key}, an integer of at least {@code min}; {@code fallback} when absent. */
        private int intAtLeast(JsonNode section, String where, String key, int fallback, int min, String unit)
                throws ConfigException {
            if (!section.has(key)) {
                return fallback;
            }
            JsonNode v = section.get(key);
            if (!v.isInt() || v.intValue() < min) {
                throw json.atValue(section, key, where + "." + key + " must be an integer of at least " + min + unit
                        + ", got " + shown(v));
            }
            return v.intValue();
        }

        /** {@code object.key}, a non-empty string; {@code where} names it for people. */
        private String text(JsonNode object, String key, String where) throws ConfigException {
            JsonNode node = object.get(key);
            if (!node.isTextual() || node.textValue().isBlank()) {
                throw json.atValue(object, key, where + " must be a non-empty string, got " + shown(node));
            }
            return node.textValue();
        }

        private void allowOnly(JsonNode node, String where, String... keys) throws ConfigException {
            List<String> allowed = List.of(keys);
            Iterator<String> names = node.fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                if (!allowed.contains(key)) {
                    throw json.atKey(node, key, "unknown key " + ConfigJson.quote(key) + " in " + where
                            + " (allowed: " + String.join(", ", allowed) + ")");
                }
            }
        }

        /** A value as the file wrote it, cut short: enough to recognise, never a screenful. */
        private static String shown(JsonNode value) {
            String text = value.toString();
            return text.length() <= 40 ? text : text.substring(0, 40) + "…";
        }
    }
}
