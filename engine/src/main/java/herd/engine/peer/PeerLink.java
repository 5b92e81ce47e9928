package herd.engine.peer;

import herd.engine.LinkState;
import herd.engine.Party;
import herd.engine.config.Link;
import herd.engine.node.NodeContext;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One server's end of one configured link. The end whose name sorts first dials and
 * redials with capped exponential backoff ({@link RedialBackoff}); the other end waits to
 * be dialled. At most one connection carries the link at a time: a newer handshake from
 * the same peer replaces an older connection.
 *
 * <p>Thread-safety: the up channel is volatile and read by any I/O thread that floods;
 * dialling state is guarded by this object's lock and driven by the herd's timer thread
 * and the dialer's callbacks. No method blocks.
 */
public final class PeerLink {

    /** Sent on a link after a second with nothing else to send; never logged. */
    public static final int HEARTBEAT_SECONDS = 1;
    /** A link (or a handshake) that hears nothing for this long is dead: dropped and redialled. */
    public static final int SILENCE_SECONDS = 5;

    private final NodeContext node;
    final String peer;
    /** {@code peer/<peer>}, made once: every line on the link is logged with it. */
    final Party party;
    final boolean dials;
    private final Supplier<InetSocketAddress> peerAddress;
    private final Dialer dialer;
    private final LocationTable table;
    private volatile PeerChannel channel;
    private volatile boolean cut;
    private int failures;
    private ScheduledFuture<?> redial;
    /** The dial in flight (a token), and its connection once it exists. */
    private Object connecting;
    private PeerChannel connectingChannel;

    /**
     * @param peerAddress where the peer listens now (asked at every dial)
     * @param table       the table this server sends a peer when their link comes up
     */
    public PeerLink(NodeContext node, String peer, Supplier<InetSocketAddress> peerAddress, Dialer dialer,
                    LocationTable table) {
        this.node = node;
        this.peer = peer;
        this.party = Party.peer(peer);
        this.peerAddress = peerAddress;
        this.dialer = dialer;
        this.table = table;
        this.dials = Link.between(node.name(), peer).dialer().equals(node.name());
    }

    public String peer() {
        return peer;
    }

    public LinkState state() {
        if (!node.isUp()) {
            return LinkState.OFFLINE;
        }
        if (cut) {
            return LinkState.CUT;
        }
        if (channel != null) {
            return LinkState.UP;
        }
        return dials ? LinkState.DIALING : LinkState.WAITING;
    }

    public boolean isCut() {
        return cut;
    }

    /** Floods one AT line (never changed afterwards) if the link is up; drops the link if the peer has stopped reading. */
    void send(byte[] line) {
        PeerChannel ch = channel;
        if (ch == null) {
            return;
        }
        long limit = node.limits().peerQueueBytes();
        if (ch.queuedBytes() > limit) {
            ch.close("peer " + peer + " is not reading: more than " + limit + " bytes queued");
            return;
        }
        ch.send(line);
        node.counters().peerLinesOut.increment();
        node.events().lineOut(node.now(), party, line);
    }

    /** Counts and logs a line sent to this link's peer (any line but a heartbeat). */
    void sent(String line) {
        node.counters().peerLinesOut.increment();
        node.events().lineOut(node.now(), party, line);
    }

    /** Sends a heartbeat if the link is up on {@code ch}; not logged, not counted. */
    public void heartbeat(PeerChannel ch) {
        if (channel == ch) {
            ch.send(PeerMessage.HEARTBEAT);
        }
    }

    /** The handshake finished on {@code ch}: it now carries the link, and gets this server's table. */
    void attach(PeerChannel ch) {
        PeerChannel older;
        synchronized (this) {
            older = channel;
            channel = ch;
            failures = 0;
        }
        if (older != null && older != ch) {
            older.close("replaced by a newer connection from " + peer);
        }
        node.events().linkUp(node.now(), peer, ch.remoteAddress() + (ch.tlsOn() ? " over TLS" : ""));
        // Attach before sending the table: anything stored from here on is also flooded here.
        for (byte[] line : table.lines()) {
            send(line);
        }
    }

    /** {@code ch} closed; if it carried the link, the link is down. Redials when this end dials. */
    public void closed(PeerChannel ch, String reason) {
        boolean wasUp;
        synchronized (this) {
            wasUp = channel == ch;
            if (wasUp) {
                channel = null;
            } else {
                failures++;
                // connectDone can lag behind the I/O thread: the attempt's connection may be
                // refused and closed before it reports. Its close ends the attempt here, or
                // nobody would ever redial.
                if (connecting != null && connectingChannel == ch) {
                    connecting = null;
                    connectingChannel = null;
                }
            }
        }
        if (wasUp) {
            node.events().linkDown(node.now(), peer, reason);
        }
        scheduleRedial();
    }

    /** Starts dialling if this end dials and may. */
    public void start() {
        synchronized (this) {
            failures = 0;
        }
        dialNow();
    }

    /** Stops dialling and drops the connection (server going down). */
    public void stop(String reason) {
        PeerChannel ch;
        synchronized (this) {
            cancelRedial();
            // An attempt in flight is left to finish: connectDone closes what it brings.
            ch = channel;
        }
        if (ch != null) {
            ch.close(reason);
        }
    }

    public void cut() {
        cut = true;
        stop("link cut by operator");
    }

    public void restore() {
        cut = false;
        start();
    }

    /** True when this end dials now: it dials, the link is not cut and the server is up. */
    private boolean shouldDial() {
        return dials && !cut && node.isUp();
    }

    private void dialNow() {
        Object attempt;
        synchronized (this) {
            if (!shouldDial() || channel != null || connecting != null || redial != null) {
                return;
            }
            attempt = new Object();
            connecting = attempt;
        }
        dialer.dial(this, peerAddress.get(), attempt);
    }

    /** The dialer made the connection of {@code attempt} (it is not yet connected). */
    void connecting(Object attempt, PeerChannel ch) {
        synchronized (this) {
            if (connecting == attempt) {
                connectingChannel = ch;
            }
        }
    }

    /** The dialer's {@code attempt} connected or failed. */
    void connectDone(Object attempt, boolean connected) {
        PeerChannel unwanted = null;
        synchronized (this) {
            PeerChannel ch = connecting == attempt ? connectingChannel : null;
            if (connecting == attempt) {
                connecting = null;
                connectingChannel = null;
            }
            if (connected) {
                if (!shouldDial() && ch != null) {
                    unwanted = ch;
                }
            } else {
                failures++;
            }
        }
        if (unwanted != null) {
            unwanted.close("link no longer wanted");
        }
        if (!connected) {
            scheduleRedial();
        }
        // connected: the handshake decides from here
    }

    private void scheduleRedial() {
        synchronized (this) {
            if (!shouldDial() || channel != null || connecting != null || redial != null) {
                return;
            }
            long delay = RedialBackoff.delayMillis(failures, ThreadLocalRandom.current());
            redial = node.timer().schedule(() -> {
                synchronized (this) {
                    redial = null;
                }
                dialNow();
            }, delay, TimeUnit.MILLISECONDS);
        }
    }

    private void cancelRedial() {
        if (redial != null) {
            redial.cancel(false);
            redial = null;
        }
    }

    @Override
    public String toString() {
        return node.name() + "-" + peer;
    }
}
