package herd.engine;

import herd.engine.config.PlacesSettings;
import herd.engine.config.ServerSpec;
import herd.engine.places.GuardedPlaces;
import herd.engine.places.PlacesProvider;
import herd.engine.places.PlacesProviders;
import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.transport.socket.nio.NioSocketAcceptor;
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

    private final ServerSpec spec;
    private final HerdContext context;
    final LocationTable table = new LocationTable();
    final ServerStatsCounters stats = new ServerStatsCounters();
    private final Map<String, PeerLink> links;
    private final FloodRouter router;
    private final GuardedPlaces places;
    private final PeerHandshake handshake;
    private final NioSocketAcceptor acceptor;
    private final NioSocketConnector connector;
    private volatile boolean up;
    private boolean disposed;

    HerdServer(ServerSpec spec, List<ServerSpec> neighbours, HerdContext context) {
        this.spec = spec;
        this.context = context;
        Map<String, PeerLink> byName = new LinkedHashMap<>();
        for (ServerSpec n : neighbours) {
            byName.put(n.name(), new PeerLink(this, n));
        }
        this.links = Collections.unmodifiableMap(byName);
        this.router = new FloodRouter(this, table, links.values());
        PlacesSettings ps = context.settings();
        this.places = PlacesProviders.isNetwork(context.places())
                ? new GuardedPlaces(context.places(), ps.cacheTtlMs(), ps.cacheEntries(), ps.maxCallsPerSecond(),
                        System::nanoTime)
                : new GuardedPlaces(context.places(), 0, 0, 0, System::nanoTime);
        this.handshake = new PeerHandshake(this, context.peerAuth(), context.peerTls());
        ServerHandler handler = new ServerHandler(this);
        acceptor = new NioSocketAcceptor(context.ioProcessors());
        acceptor.setReuseAddress(true);
        acceptor.setCloseOnDeactivation(true);
        acceptor.getSessionConfig().setTcpNoDelay(true);
        acceptor.getSessionConfig().setIdleTime(IdleStatus.BOTH_IDLE, context.limits().idleTimeoutSeconds());
        acceptor.setHandler(handler);
        connector = new NioSocketConnector(context.ioProcessors());
        connector.setConnectTimeoutMillis(2000);
        connector.getSessionConfig().setTcpNoDelay(true);
        connector.setHandler(handler);
    }

    public String name() {
        return spec.name();
    }

    public ServerSpec spec() {
        return spec;
    }

    public boolean isUp() {
        return up;
    }

    /**
     * Starts listening and dialling. Fails with a one-line message naming the server and
     * address when the port cannot be bound.
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
        } catch (IOException e) {
            String why = e instanceof BindException || e.getCause() instanceof BindException
                    || String.valueOf(e.getMessage()).contains("in use")
                    ? "address already in use" : String.valueOf(e.getMessage());
            throw new HerdStartException(name() + ": cannot listen on " + spec.host() + ":" + spec.port() + ": " + why, e);
        }
        up = true;
        emit(new HerdEvent.ServerState(context.clock().instant(), name(), true,
                "listening on " + spec.host() + ":" + spec.port()));
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
        emit(new HerdEvent.ServerState(context.clock().instant(), name(), false, "taken down"));
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

    /** This server's newest report for {@code clientId}, if it has one. */
    public Optional<LocationReport> location(String clientId) {
        return table.get(clientId);
    }

    public ServerStats stats() {
        return stats.snapshot(table.size());
    }

    /** This server's Places counters: upstream calls, cache hits, coalesced, rate-limited, errors. */
    public PlacesStats placesStats() {
        return places.stats();
    }

    PlacesProvider places() {
        return places;
    }

    synchronized void dispose() {
        takeDown();
        disposed = true;
        acceptor.dispose(true);
        connector.dispose(true);
    }

    int neighbourCount() {
        return links.size();
    }

    PeerLink link(String peer) {
        return links.get(peer);
    }

    private PeerLink requireLink(String peer) {
        PeerLink link = links.get(peer);
        if (link == null) {
            throw new IllegalArgumentException(name() + " has no link to " + peer);
        }
        return link;
    }

    PeerHandshake handshake() {
        return handshake;
    }

    FloodRouter router() {
        return router;
    }

    NioSocketConnector connector() {
        return connector;
    }

    HerdContext context() {
        return context;
    }

    void emit(HerdEvent event) {
        context.events().onEvent(event);
    }

    @Override
    public String toString() {
        return spec.toString();
    }
}
