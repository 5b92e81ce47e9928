package herd.engine;

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
import herd.engine.protocol.ClientId;
import herd.engine.server.ServerHandler;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
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
    private final Map<String, PeerLink> links;
    private final GuardedPlaces places;
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
        MinaDialer dialer = new MinaDialer(connector, context.peerTls(), context.limits().maxLineBytes());
        Map<String, PeerLink> byName = new LinkedHashMap<>();
        for (ServerSpec n : neighbours) {
            byName.put(n.name(), new PeerLink(node, n.name(), () -> addresses.apply(n.name()), dialer, table));
        }
        this.links = Collections.unmodifiableMap(byName);
        FloodRouter router = new FloodRouter(node, table, links.values());
        PlacesSettings ps = context.settings();
        this.places = PlacesProviders.isNetwork(context.places())
                ? new GuardedPlaces(context.places(), ps.cacheTtlMs(), ps.cacheEntries(), ps.maxCallsPerSecond(),
                        System::nanoTime)
                : new GuardedPlaces(context.places(), 0, 0, 0, System::nanoTime);
        PeerHandshake handshake = new PeerHandshake(node, context.peerAuth(), context.peerTls() != null, links::get);
        handler = new ServerHandler(node, table, router, places, handshake, context.peerTls(), links.size());
        connector.setHandler(handler);
        acceptor = new AdoptingAcceptor(context.ioProcessors());
        acceptor.setReuseAddress(true);
        acceptor.setBacklog(context.limits().acceptBacklog()); // MINA's 50 drops SYNs in a burst of connects
        acceptor.setCloseOnDeactivation(true);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, context.limits().idleTimeoutSeconds());
        acceptor.setHandler(handler);
    }

    public String name() {
        return spec.name();
    }

    /** Where this server listens; after it first bound port 0, the port it got. */
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
            acceptor.bind(new InetSocketAddress(spec.host(), spec.port()));
            if (spec.port() == 0) { // later restarts rebind the port it got
                int port = ((InetSocketAddress) acceptor.getLocalAddress()).getPort();
                spec = new ServerSpec(spec.name(), spec.host(), port);
            }
        } catch (IOException e) {
            throw EarlyListeners.cannotListen(name(), spec.host(), spec.port(), e);
        }
        up = true;
        node.events().serverState(node.now(), true, "listening on " + spec.host() + ":" + spec.port());
        for (PeerLink link : links.values()) {
            link.start();
        }
    }

    /** Unbinds, drops every connection and forgets the table, as a crash would. */
    public synchronized void takeDown() {
        if (!up) {
            return;
        }
        up = false;
        for (PeerLink link : links.values()) {
            link.stop("server " + name() + " taken down");
        }
        for (IoSession s : connector.getManagedSessions().values()) {
            Optional.ofNullable(Connection.of(s)).ifPresentOrElse(c -> c.close("server taken down"), s::closeNow);
        }
        acceptor.unbind(); // closes accepted sessions too (close on deactivation)
        table.clear();
        node.events().serverState(node.now(), false, "taken down");
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


    synchronized void dispose() {
        takeDown();
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
