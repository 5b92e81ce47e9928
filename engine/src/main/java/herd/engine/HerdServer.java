package herd.engine;

import herd.engine.config.Limits;
import herd.engine.config.PlacesSettings;
import herd.engine.config.ServerSpec;
import herd.engine.io.Connection;
import herd.engine.node.NodeContext;
import herd.engine.node.NodeCounters;
import herd.engine.node.NodeEvents;
import herd.engine.peer.FloodRouter;
import herd.engine.peer.LocationTable;
import herd.engine.peer.MinaDialer;
import herd.engine.peer.PeerHandshake;
import herd.engine.peer.PeerLink;
import herd.engine.places.GuardedPlaces;
import herd.engine.places.PlacesProvider;
import herd.engine.places.PlacesProviders;
import herd.engine.places.SwitchablePlaces;
import herd.engine.protocol.ClientId;
import herd.engine.server.ServerHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.apache.mina.core.service.IoProcessor;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
import org.apache.mina.transport.socket.nio.NioSession;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/**
 * One server of a herd, running in this process: it listens for clients and peers, keeps
 * its location table, and keeps its links. Made and owned by a {@link Herd}.
 *
 * <p>{@link #takeDown()} and {@link #bringUp()} play a crash and a restart as the
 * neighbours see them: the port is unbound, every connection dropped, and the table
 * forgotten, to be relearned from the neighbours when links come back. All methods are
 * thread-safe and return without waiting on the network.
 */
public final class HerdServer {

    private volatile ServerSpec spec;
    private final HerdContext context;
    private final NodeContext node;
    private final NodeCounters counters = new NodeCounters();
    private final LocationTable table = new LocationTable();
    /** This server's links by neighbour name, in config order; replaced whole (under this lock) by a reload. */
    private volatile Map<String, PeerLink> links;
    private final Function<String, InetSocketAddress> addresses;
    private final MinaDialer dialer;
    private final FloodRouter router;
    /** The Places provider with this server's cache and rate limit; replaced by a reload that changes {@code places}. */
    private volatile GuardedPlaces places;
    /** What answers WHATSAT: {@link #places}, followed when a reload replaces it. */
    private final SwitchablePlaces placesNow;
    private final ServerHandler handler;
    private final NioSocketAcceptor acceptor;
    private final NioSocketConnector connector;
    private volatile boolean up;
    private boolean disposed;

    /**
     * @param addresses where each neighbour listens now, by name (a neighbour in this
     *                  process that bound port 0 is found there)
     */
    HerdServer(ServerSpec spec, List<ServerSpec> neighbours, HerdContext context,
               Function<String, InetSocketAddress> addresses) {
        this.spec = spec;
        this.context = context;
        NodeEvents events = new NodeEvents(spec.name(), context.logs().apply(spec.name()), context.events(),
                context.events()::hasListeners);
        this.node = new NodeContext(spec.name(), context.clock(), events, counters, context.limits(),
                context.timer(), this::isUp);
        connector = new NioSocketConnector(context.ioProcessors());
        connector.setConnectTimeoutMillis(2000);
        connector.getSessionConfig().setTcpNoDelay(true);
        this.addresses = addresses;
        this.dialer = new MinaDialer(connector, context.peerTls(), context.limits().maxLineBytes());
        Map<String, PeerLink> byName = new LinkedHashMap<>();
        for (ServerSpec n : neighbours) {
            byName.put(n.name(), newLink(n.name()));
        }
        this.links = Collections.unmodifiableMap(byName);
        this.router = new FloodRouter(node, table, links.values());
        this.places = guarded(context.places(), context.settings());
        this.placesNow = new SwitchablePlaces(places);
        PeerHandshake handshake = new PeerHandshake(node, context.peerAuth(), context.peerTls() != null,
                peer -> links.get(peer));
        handler = new ServerHandler(node, table, router, placesNow, handshake, context.peerTls(), links.size());
        connector.setHandler(handler);
        acceptor = new AdoptingAcceptor(context.ioProcessors());
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(context.limits().acceptBacklog()); // MINA's 50 drops SYNs in a burst of connects
        acceptor.setCloseOnDeactivation(true);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, context.limits().idleTimeoutSeconds());
        acceptor.setHandler(handler);
    }

    private PeerLink newLink(String peer) {
        return new PeerLink(node, peer, () -> addresses.apply(peer), dialer, table);
    }

    /** {@code provider} with this server's own cache and rate limit, when it goes to the network. */
    private static GuardedPlaces guarded(PlacesProvider provider, PlacesSettings ps) {
        return PlacesProviders.isNetwork(provider)
                ? new GuardedPlaces(provider, ps.cacheTtlMs(), ps.cacheEntries(), ps.maxCallsPerSecond(), System::nanoTime)
                : new GuardedPlaces(provider, 0, 0, 0, System::nanoTime);
    }

    public String name() {
        return spec.name();
    }

    /**
     * Where this server listens ({@link ServerSpec#listenHost()}) and where its peers dial it
     * ({@link ServerSpec#host()}); after it first bound port 0, the port it got.
     */
    public ServerSpec spec() {
        return spec;
    }

    public boolean isUp() {
        return up;
    }

    /** Where this server's events go: its log, and the herd's listeners. */
    NodeEvents events() {
        return node.events();
    }

    /**
     * Starts listening, then announces this server: it dials every neighbour at once, the
     * neighbours that normally dial it included, so that its links are up within
     * milliseconds rather than at each dialler's next try. Fails with a one-line message
     * naming the server and address when the port cannot be bound.
     */
    public synchronized void bringUp() throws HerdStartException {
        if (up) {
            return;
        }
        if (disposed) {
            throw new IllegalStateException(name() + " belongs to a herd that was closed");
        }
        try {
            acceptor.bind(new InetSocketAddress(spec.listenHost(), spec.port()));
            if (spec.port() == 0) { // later restarts rebind the port it got
                spec = spec.withPort(((InetSocketAddress) acceptor.getLocalAddress()).getPort());
            }
        } catch (IOException e) {
            throw EarlyListeners.cannotListen(name(), spec.listenHost(), spec.port(), e);
        }
        up = true;
        node.events().serverState(node.now(), true, "listening on " + spec.listenAddress()
                + (spec.listen() == null ? "" : ", dialled at " + spec.dialAddress()));
        for (PeerLink link : links.values()) {
            link.start();
        }
    }

    /** Unbinds, drops every connection and forgets the table, as a crash would. */
    public synchronized void takeDown() {
        takeDown("taken down");
    }

    /**
     * Why a clean stop (SIGTERM, {@link Herd#close}, the monitor closed) says it went down: not
     * "taken down", which is an operator's crash-like take-down (README, Log format).
     */
    static final String STOPPED = "stopped";

    private void takeDown(String why) {
        if (!up) {
            return;
        }
        up = false;
        for (PeerLink link : links.values()) {
            link.stop("server " + name() + " " + why);
        }
        for (IoSession s : connector.getManagedSessions().values()) {
            Optional.ofNullable(Connection.of(s)).ifPresentOrElse(c -> c.close("server " + why), s::closeNow);
        }
        acceptor.unbind(); // closes accepted sessions too (close on deactivation)
        table.clear();
        node.events().serverState(node.now(), false, why);
    }

    /**
     * Applies a changed config to this server (README "Growing the herd"): links to
     * neighbours no longer named are closed for good, links to new ones are dialled (or
     * awaited) at once, and new limits and Places settings apply to new work. Logs
     * {@code CONFIG_RELOADED} with what changed for this server, which it also returns.
     *
     * @param neighbours every neighbour of this server in the new config, in its order
     * @param herdChange what changed in the herd as a whole (servers added or removed), or empty
     * @param places     a new Places provider and its settings, or null when they did not change
     */
    synchronized String reconfigure(List<String> neighbours, Limits limits, PlacesProvider newPlaces,
                                    PlacesSettings placesSettings, String herdChange) {
        List<String> parts = new ArrayList<>();
        if (!herdChange.isEmpty()) {
            parts.add(herdChange);
        }
        Map<String, PeerLink> before = links;
        Map<String, PeerLink> after = new LinkedHashMap<>();
        List<PeerLink> added = new ArrayList<>();
        StringBuilder change = new StringBuilder();
        for (String n : neighbours) {
            PeerLink link = before.get(n);
            if (link == null) {
                link = newLink(n);
                added.add(link);
                change.append(change.isEmpty() ? "" : " ").append('+').append(n);
            }
            after.put(n, link);
        }
        List<PeerLink> removed = new ArrayList<>();
        for (Map.Entry<String, PeerLink> e : before.entrySet()) {
            if (!after.containsKey(e.getKey())) {
                removed.add(e.getValue());
                change.append(change.isEmpty() ? "" : " ").append('-').append(e.getKey());
            }
        }
        if (!change.isEmpty()) {
            links = Collections.unmodifiableMap(after);
            router.useLinks(after.values());
            handler.neighbours(after.size());
            parts.add("links " + change);
        }
        if (!limits.equals(node.limits())) {
            String backlog = limits.acceptBacklog() != node.limits().acceptBacklog()
                    ? " (acceptBacklog at the next start)" : "";
            node.useLimits(limits);
            acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, limits.idleTimeoutSeconds());
            parts.add("limits changed" + backlog);
        }
        if (newPlaces != null) {
            places = guarded(newPlaces, placesSettings);
            placesNow.use(places);
            parts.add("places changed: " + places.describe());
        }
        for (PeerLink link : removed) {
            link.retire();
        }
        if (up) {
            for (PeerLink link : added) {
                link.start();
            }
        }
        String summary = parts.isEmpty() ? "nothing changed for " + name() : String.join("; ", parts);
        node.events().configReloaded(node.now(), summary);
        return summary;
    }

    /** Stops this server for good: it was removed from the config. */
    synchronized void remove() {
        drainForStop();
        takeDown("removed from the config");
        dispose();
    }

    /** How long a clean stop waits at most for its links to write out what they owe. */
    static final long DRAIN_MILLIS = 2000;

    /**
     * The first half of a clean stop: nothing more is acknowledged (the port stops accepting
     * and every client connection is closed), then every update this server still owes a
     * neighbour over a link that is up is written out, waiting at most {@link #DRAIN_MILLIS}.
     * Without it, a report acknowledged in the moment before a SIGTERM could still wait in a
     * link's queue when the links close, and be lost to the whole herd (RollingRestartIT
     * found one in 368). Runs on the thread that stops the herd, never on an I/O thread.
     * {@link #takeDown} alone plays a crash and does none of this.
     */
    private void drainForStop() {
        if (!up) {
            return;
        }
        acceptor.setCloseOnDeactivation(false); // the neighbours' links on accepted connections stay open
        acceptor.unbind();
        for (IoSession s : acceptor.getManagedSessions().values()) {
            Connection c = Connection.of(s);
            if (c == null) {
                s.closeNow();
            } else if (!c.isPeer()) {
                c.close("server stopping");
            }
        }
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MILLISECONDS.toNanos(DRAIN_MILLIS);
        while (!links.values().stream().allMatch(PeerLink::drained) && System.nanoTime() < deadline) {
            try {
                Thread.sleep(2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        acceptor.setCloseOnDeactivation(true);
    }

    /** Cuts this server's end of the link to {@code peer}: dropped and not redialled. */
    public void cutLink(String peer) {
        requireLink(peer).cut();
    }

    /** Undoes {@link #cutLink}: the dialling end dials again at once. */
    public void restoreLink(String peer) {
        requireLink(peer).restore();
    }

    /**
     * True while this server's end of the link to {@code peer} is cut by {@link #cutLink},
     * whether or not this server is up ({@link #linkStates()} says {@code OFFLINE} for every
     * link of a server that is down, cut or not).
     */
    public boolean isLinkCut(String peer) {
        return requireLink(peer).isCut();
    }

    /** The state of this server's end of each of its links, by neighbour name. */
    public Map<String, LinkState> linkStates() {
        Map<String, LinkState> out = new LinkedHashMap<>();
        links.forEach((name, link) -> out.put(name, link.state()));
        return out;
    }

    /** Every client's newest report as this server holds it now. */
    public List<LocationReport> locations() {
        return table.snapshot();
    }

    /**
     * This server's newest report for the client whose id is {@code clientId}, if it has one.
     * The herd knows a client by the bytes of its id; this finds the id whose bytes are
     * {@code clientId}'s UTF-8 (an id that is not valid UTF-8 has no text to ask with).
     */
    public Optional<LocationReport> location(String clientId) {
        return table.get(ClientId.key(clientId));
    }

    public ServerStats stats() {
        return counters.snapshot(handler.clientsOpen(), table.size());
    }

    /**
     * A snapshot of this server's counters, gauges and histograms, for an exporter to read
     * on each scrape (README "Metrics"): cheap, and the server's threads never wait for it.
     */
    public ServerMetrics metrics() {
        Map<String, LinkMetrics> byPeer = new LinkedHashMap<>();
        for (Map.Entry<String, PeerLink> e : links.entrySet()) {
            PeerLink link = e.getValue();
            byPeer.put(e.getKey(), new LinkMetrics(link.state(), link.ups(), link.downs(), link.queuedBytes(),
                    link.pendingUpdates()));
        }
        return counters.metrics(up, handler.clientsOpen(), table.size(), places.stats(), byPeer);
    }

    /** The backlog this server's acceptor binds with ({@code limits.acceptBacklog}). */
    int acceptBacklog() {
        return acceptor.getBacklog();
    }

    /** This server's Places counters: upstream calls, cache hits, coalesced, rate-limited, errors. */
    public PlacesStats placesStats() {
        return places.stats();
    }


    /**
     * Stops this server for good, cleanly (SIGTERM, {@link Herd#close}, a reload that removes
     * it): {@link #drainForStop} first, then as {@link #takeDown}.
     */
    synchronized void dispose() {
        drainForStop();
        takeDown(STOPPED);
        for (IoSession s : acceptor.getManagedSessions().values()) { // those drainForStop left to the links
            s.closeNow();
        }
        disposed = true;
        acceptor.dispose(true);
        connector.dispose(true);
        handler.dispose();
    }



    private PeerLink requireLink(String peer) {
        PeerLink link = links.get(peer);
        if (link == null) {
            throw new IllegalArgumentException(name() + " has no link to " + peer);
        }
        return link;
    }






    /** MINA's acceptor, taking the socket {@link EarlyListeners} bound for its address, if any. */
    private static final class AdoptingAcceptor extends NioSocketAcceptor {

        AdoptingAcceptor(IoProcessor<NioSession> processor) {
            super(processor);
        }

        @Override
        protected ServerSocketChannel open(SocketAddress localAddress) throws Exception {
            ServerSocketChannel early = EarlyListeners.take(localAddress);
            if (early == null) {
                return super.open(localAddress);
            }
            try {
                early.configureBlocking(false);
                early.register(selector, SelectionKey.OP_ACCEPT);
                return early;
            } catch (IOException e) {
                early.close();
                throw e;
            }
        }
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
