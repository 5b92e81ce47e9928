package herd.engine;

import herd.engine.config.ConfigException;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import herd.engine.config.Security;
import herd.engine.config.ServerSpec;
import herd.engine.eventlog.EventBus;
import herd.engine.eventlog.EventLogWriter;
import herd.engine.node.EngineThreads;
import herd.engine.node.ServerLog;
import herd.engine.peer.CookieFile;
import herd.engine.peer.PeerAuth;
import herd.engine.peer.PeerTls;
import herd.engine.places.PlacesProvider;
import herd.engine.places.PlacesProviders;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Optional;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import org.apache.mina.core.service.SimpleIoProcessorPool;
import org.apache.mina.transport.socket.nio.NioProcessor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Some or all servers of a herd config, running in this process. The entry point of the
 * engine: {@link #start(HerdConfig)} runs every server; {@link #create} makes them without
 * starting so that listeners can subscribe first; {@link #close()} stops them and releases
 * every port and thread.
 *
 * <pre>{@code
 * try (Herd herd = Herd.start(HerdConfig.defaults())) {
 *     herd.cutLink("Holiday", "Welsh");
 * }
 * }</pre>
 *
 * Thread-safe. Events reach listeners on I/O threads (see {@link HerdListener}).
 */
public final class Herd implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Herd.class);

    /** The config in force: the one it started with, or the last {@link #reconfigure} applied. */
    private volatile HerdConfig config;
    /** The servers this herd runs, in config order; replaced whole (under this lock) by a reload. */
    private volatile Map<String, HerdServer> servers = Map.of();
    /** What its servers share; a reload that changes limits or Places makes a new one for servers it adds. */
    private HerdContext context;
    private final Map<String, String> environment;
    /** Each server's event log, by name; a reload that adds a server opens its log first. */
    private final Map<String, ServerLog> logs = new java.util.concurrent.ConcurrentHashMap<>();
    private final EventBus events = new EventBus();
    private final EventLogWriter logWriter;
    private final ScheduledExecutorService timer;
    private final SimpleIoProcessorPool<NioSession> ioProcessors;
    private volatile PlacesProvider places;
    private volatile String placesDescription;
    /** How peer links authenticate, for the start-up notice (never the secret). */
    private final String peerAuthDescription;
    private boolean closed;

    private Herd(HerdConfig config, Collection<String> names, Map<String, String> environment)
            throws HerdStartException {
        this.config = config;
        this.environment = Map.copyOf(environment);
        for (String n : names) {
            if (config.server(n).isEmpty()) {
                throw new IllegalArgumentException("no server named " + n + " in config " + config.source()
                        + " (valid: " + String.join(", ", config.serverNames()) + ")");
            }
        }
        try {
            logWriter = new EventLogWriter(config.logDir(), config.log());
        } catch (IOException e) {
            throw new HerdStartException("cannot write logs in " + config.logDir().toAbsolutePath() + ": " + e, e);
        }
        // From here on the event-log thread runs: anything that fails must stop it again.
        ScheduledThreadPoolExecutor timerPool = null;
        SimpleIoProcessorPool<NioSession> processors = null;
        try {
            for (String n : names) {
                logs.put(n, logWriter.open(n));
            }
            Path cookie = cookieFile(config, names, environment);
            PeerAuth peerAuth = peerAuth(config.security(), cookie, environment);
            peerAuthDescription = describe(config.security().peerAuth(), cookie);
            PeerTls peerTls = config.security().tls() == null ? null : PeerTls.load(config.security().tls(), environment);
            places = PlacesProviders.create(config.places(), environment);
            placesDescription = places.describe();
            timerPool = new ScheduledThreadPoolExecutor(1, EngineThreads.named(EngineThreads.TIMER));
            timerPool.setRemoveOnCancelPolicy(true);
            processors = new SimpleIoProcessorPool<>(NioProcessor.class,
                    Math.max(2, Runtime.getRuntime().availableProcessors()));
            context = new HerdContext(events, logs::get, places, config.places(), timerPool, processors,
                    Clock.systemUTC(), config.limits(), peerAuth, peerTls);
            Map<String, HerdServer> made = new LinkedHashMap<>();
            try {
                for (String n : names) {
                    made.put(n, newServer(config, n));
                }
            } finally {
                servers = Collections.unmodifiableMap(made);
            }
        } catch (IOException | HerdStartException | RuntimeException e) {
            servers.values().forEach(HerdServer::dispose);
            if (timerPool != null) {
                timerPool.shutdownNow();
            }
            if (processors != null) {
                processors.dispose();
            }
            logWriter.close();
            if (e instanceof IOException io) {
                throw new HerdStartException("cannot write logs in " + config.logDir().toAbsolutePath() + ": " + io, io);
            }
            if (e instanceof HerdStartException start) {
                throw start;
            }
            throw (RuntimeException) e;
        }
        timer = timerPool;
        ioProcessors = processors;
    }

    /**
     * The user's cookie file when this herd reads one, else null (README "Peer
     * authentication"). With the cookie, the default, a herd that runs every server of its
     * config in this process shares a secret made in memory instead: no server outside the
     * process can be one of its servers' peers, so none needs the file, and the monitor,
     * {@code --herd} and embedding tests never touch the user's home folder. A herd that runs
     * some of the servers reads (on the first start ever, makes) the user's cookie file, as
     * every {@code launcher.jar NAME} process does, so that the servers the user starts
     * anywhere on the machine link up.
     */
    private static Path cookieFile(HerdConfig config, Collection<String> names, Map<String, String> environment)
            throws HerdStartException {
        if (config.security().peerAuth() != Security.PeerAuthentication.COOKIE
                || names.containsAll(config.serverNames())) {
            return null;
        }
        try {
            return config.security().cookieFileIn(environment);
        } catch (InvalidPathException e) {
            throw new HerdStartException(Security.COOKIE_FILE_ENV + " is not a file name: " + e.getReason(), e);
        }
    }

    /** This herd's secret; runs on the caller's thread (the launcher has bound the ports by then). */
    private static PeerAuth peerAuth(Security security, Path cookie, Map<String, String> environment)
            throws HerdStartException {
        return switch (security.peerAuth()) {
            case NONE -> PeerAuth.NONE;
            case SHARED_SECRET -> PeerAuth.withSecret(security.secret(environment));
            case COOKIE -> cookie == null ? PeerAuth.inMemory() : PeerAuth.withSecret(CookieFile.readOrCreate(cookie));
        };
    }

    /** How peer links authenticate, for the start-up notice: never the secret. */
    private static String describe(Security.PeerAuthentication mode, Path cookie) {
        return switch (mode) {
            case NONE -> "peer links do not authenticate (security.peerAuth \"none\")";
            case SHARED_SECRET -> "peer links authenticate with the shared secret";
            case COOKIE -> cookie != null ? "peer links authenticate with the cookie in " + cookie
                    : "peer links authenticate with a secret made in memory (every server of the herd runs in"
                    + " this process)";
        };
    }

    private HerdServer newServer(HerdConfig cfg, String name) {
        List<ServerSpec> neighbours = cfg.neighbours(name).stream().map(peer -> cfg.server(peer).orElseThrow()).toList();
        return new HerdServer(cfg.server(name).orElseThrow(), neighbours, context, this::addressOf);
    }

    /**
     * Where server {@code name} is dialled now: its host, with its bound port if it runs here,
     * else its config's. Asked at every dial, and a new {@code InetSocketAddress} resolves the
     * host each time (through the JVM's name cache, {@code networkaddress.cache.ttl}), so a
     * neighbour whose name moves to another address is found there at a later dial.
     */
    private InetSocketAddress addressOf(String name) {
        HerdServer here = servers.get(name);
        ServerSpec spec = here != null ? here.spec() : config.server(name).orElseThrow();
        return new InetSocketAddress(spec.host(), spec.port());
    }

    /** Every server of {@code config}, started, with the Places key from the real environment. */
    public static Herd start(HerdConfig config) throws HerdStartException {
        return start(config, config.serverNames(), System.getenv());
    }

    /**
     * The named servers of {@code config}, started.
     *
     * @param environment where the Places key variable ({@code places.keyEnv}) is looked up
     */
    public static Herd start(HerdConfig config, Collection<String> names, Map<String, String> environment)
            throws HerdStartException {
        Herd herd = create(config, names, environment);
        herd.startAll();
        return herd;
    }

    /** The named servers, made but not listening: subscribe, then {@link #startAll()}. */
    public static Herd create(HerdConfig config, Collection<String> names, Map<String, String> environment)
            throws HerdStartException {
        return new Herd(config, names, environment);
    }

    /**
     * Brings every server up. If one cannot start, the ones already started are stopped, the
     * herd is closed, and the exception names the server that failed.
     */
    public void startAll() throws HerdStartException {
        for (HerdServer s : servers.values()) {
            s.events().notice(java.time.Instant.now(), false, "config " + config.source() + "; places provider: "
                    + placesDescription + "; " + peerAuthDescription);
        }
        try {
            for (HerdServer s : servers.values()) {
                s.bringUp();
            }
        } catch (HerdStartException e) {
            close();
            throw e;
        }
        places.warmUp();
        LOG.info("places provider: {}", placesDescription);
    }

    public HerdConfig config() {
        return config;
    }

    /** The server named {@code name}; it must be one this herd runs. */
    public HerdServer server(String name) {
        HerdServer s = servers.get(name);
        if (s == null) {
            throw new IllegalArgumentException("this herd does not run " + name);
        }
        return s;
    }

    /** The servers this herd runs, in config order. */
    public List<HerdServer> servers() {
        return new ArrayList<>(servers.values());
    }

    /** Cuts the link between {@code a} and {@code b} at every end this herd runs. */
    public void cutLink(String a, String b) {
        forEachEnd(a, b, true);
    }

    /** Restores a cut link at every end this herd runs. */
    public void restoreLink(String a, String b) {
        forEachEnd(a, b, false);
    }

    private void forEachEnd(String a, String b, boolean cut) {
        Link link = Link.between(a, b);
        if (!config.links().contains(link)) {
            throw new IllegalArgumentException("no link " + link + " in config " + config.source());
        }
        // Restore the waiting end first, so that the dialling end's first handshake is welcome.
        for (String end : cut ? List.of(a, b) : List.of(link.acceptor(), link.dialer())) {
            HerdServer s = servers.get(end);
            if (s != null) {
                if (cut) {
                    s.cutLink(link.other(end));
                } else {
                    s.restoreLink(link.other(end));
                }
            }
        }
    }

    /**
     * Applies a changed config to the running herd without restarting anyone (README
     * "Growing the herd"; the launcher does this on SIGHUP). The difference is applied:
     * <ul>
     * <li>a server of this herd that {@code next} no longer names stops for good (its
     *     neighbours' links to it are closed and not redialled);
     * <li>when this herd runs every server of its config (the monitor, {@code --herd}), it
     *     also starts each server {@code next} adds; otherwise the new ones are other
     *     processes' business, and only the links to them matter here;
     * <li>links to new neighbours are dialled (or awaited) at once; links no longer in the
     *     config are closed for good; a new server learns every client through the table
     *     repair with its first neighbour;
     * <li>new limits and Places settings apply to new work (connections, queries);
     *     {@code acceptBacklog} at the next start.
     * </ul>
     * Every server of this herd logs {@code CONFIG_RELOADED} with what changed for it.
     * Nothing changes when {@code next} changes what only a restart can: the log folder or
     * its rotation, the security settings, or the address of a server this herd runs.
     *
     * @return one line per server this herd runs or ran: what changed for it
     * @throws IllegalArgumentException when {@code next} changes what needs a restart (one line, nothing applied)
     * @throws HerdStartException when a server it adds cannot listen (the rest of the change is applied)
     */
    public synchronized List<String> reconfigure(HerdConfig next) throws HerdStartException {
        if (closed) {
            throw new IllegalStateException("this herd is closed");
        }
        HerdConfig before = config;
        String refused = needsRestart(before, next);
        if (refused != null) {
            refuseReload(refused);
            throw new IllegalArgumentException(refused);
        }
        boolean runsAll = servers.keySet().containsAll(before.serverNames());
        List<String> removed = servers.keySet().stream().filter(n -> next.server(n).isEmpty()).toList();
        List<String> added = runsAll
                ? next.serverNames().stream().filter(n -> before.server(n).isEmpty()).toList() : List.of();
        StringBuilder herdChange = new StringBuilder();
        next.serverNames().stream().filter(n -> before.server(n).isEmpty())
                .forEach(n -> herdChange.append(herdChange.isEmpty() ? "servers " : " ").append('+').append(n));
        before.serverNames().stream().filter(n -> next.server(n).isEmpty())
                .forEach(n -> herdChange.append(herdChange.isEmpty() ? "servers " : " ").append('-').append(n));
        PlacesProvider newPlaces = null;
        if (!next.places().equals(before.places())) {
            newPlaces = PlacesProviders.create(next.places(), environment);
            places = newPlaces;
            placesDescription = newPlaces.describe();
            newPlaces.warmUp();
        }
        context = new HerdContext(context.events(), context.logs(), places, next.places(), context.timer(),
                context.ioProcessors(), context.clock(), next.limits(), context.peerAuth(), context.peerTls());
        config = next; // from here on, dials find servers at their new addresses
        List<String> out = new ArrayList<>();
        Map<String, HerdServer> now = new LinkedHashMap<>(servers);
        for (String n : removed) {
            HerdServer s = now.remove(n);
            s.events().configReloaded(java.time.Instant.now(), herdChange + "; " + n + " removed from the config: stopping");
            s.remove();
            out.add(n + ": removed from the config, stopped");
        }
        for (HerdServer s : now.values()) {
            out.add(s.name() + ": " + s.reconfigure(next.neighbours(s.name()), next.limits(), newPlaces,
                    next.places(), herdChange.toString()));
        }
        HerdStartException failed = null;
        for (String n : added) {
            try {
                logs.put(n, logWriter.open(n));
            } catch (IOException e) {
                failed = new HerdStartException("cannot write logs in " + next.logDir().toAbsolutePath() + ": " + e, e);
                continue;
            }
            HerdServer s = newServer(next, n);
            now.put(n, s);
            s.events().notice(java.time.Instant.now(), false, "config " + next.source() + "; added to a running herd; "
                    + "places provider: " + placesDescription + "; " + peerAuthDescription);
            try {
                s.bringUp();
                out.add(n + ": added, " + s.spec().host() + ":" + s.spec().port());
            } catch (HerdStartException e) {
                failed = e;
                now.remove(n);
                s.dispose();
            }
        }
        Map<String, HerdServer> ordered = new LinkedHashMap<>();
        for (String n : next.serverNames()) {
            if (now.containsKey(n)) {
                ordered.put(n, now.get(n));
            }
        }
        servers = Collections.unmodifiableMap(ordered);
        LOG.info("config {} applied: {}", next.source(), String.join("; ", out));
        if (failed != null) {
            throw failed;
        }
        return out;
    }

    /**
     * Rereads the config file {@code file} and applies it ({@link #reconfigure(HerdConfig)});
     * what the launcher does on SIGHUP. A file that does not validate is refused with the
     * same one-line error as at start ({@link ConfigException}), logged on every server as
     * {@code ERROR - config reload refused: ...}, and the running config stays.
     */
    public List<String> reload(Path file) throws ConfigException, HerdStartException {
        HerdConfig next;
        try {
            next = HerdConfig.load(file);
        } catch (ConfigException e) {
            refuseReload(e.getMessage());
            throw e;
        }
        return reconfigure(next);
    }

    /** Logs on every server that a reload was refused, and why. */
    private void refuseReload(String why) {
        java.time.Instant now = java.time.Instant.now();
        for (HerdServer s : servers.values()) {
            s.events().notice(now, true, "config reload refused, the running config stays: " + why);
        }
        LOG.warn("config reload refused, the running config stays: {}", why);
    }

    /** Why {@code next} cannot be applied to a herd running {@code before}, or null when it can. */
    private String needsRestart(HerdConfig before, HerdConfig next) {
        if (!next.logDir().equals(before.logDir())) {
            return "logDir cannot change while the herd runs (restart to use " + next.logDir() + ")";
        }
        if (!next.log().equals(before.log())) {
            return "log (rotation) cannot change while the herd runs: restart to change it";
        }
        if (!next.security().equals(before.security())) {
            return "security cannot change while the herd runs: restart to change it";
        }
        for (HerdServer s : servers.values()) {
            ServerSpec was = before.server(s.name()).orElseThrow();
            Optional<ServerSpec> will = next.server(s.name());
            if (will.isPresent() && !(will.get().host().equals(was.host()) && will.get().port() == was.port()
                    && java.util.Objects.equals(will.get().listen(), was.listen()))) {
                return "server " + s.name() + " cannot move (" + was.host() + ":" + was.port() + " -> "
                        + will.get().host() + ":" + will.get().port() + ") while it runs: restart it to move it";
            }
        }
        return null;
    }

    /** Which Places provider answers WHATSAT, for people (never includes the key). */
    public String placesDescription() {
        return placesDescription;
    }

    public void subscribe(HerdListener listener) {
        events.subscribe(listener);
    }

    public void unsubscribe(HerdListener listener) {
        events.unsubscribe(listener);
    }

    /**
     * Closes and reopens every server's event log file (after a log rotator moved it away, or
     * it was deleted), within about 10 ms; no line is lost. The launcher does this on SIGHUP.
     */
    public void reopenLogs() {
        logWriter.reopen();
    }

    /** Stops every server, writes out the event logs, and releases ports and threads. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (HerdServer s : servers.values()) {
            s.dispose();
        }
        timer.shutdownNow();
        ioProcessors.dispose();
        logWriter.close();
    }
}
