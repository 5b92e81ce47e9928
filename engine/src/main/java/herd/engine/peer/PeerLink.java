package herd.engine.peer;

import herd.engine.LinkState;
import herd.engine.Party;
import herd.engine.config.Link;
import herd.engine.io.WriteBatch;
import herd.engine.node.NodeContext;
import herd.engine.protocol.ClientTime;
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
    /**
     * Bytes a link may have in its connection's write queue before further updates wait,
     * coalesced, in {@link PendingUpdates} (at most half of {@code limits.peerQueueBytes}).
     */
    static final long WATERMARK_BYTES = 256 * 1024;
    /** While updates wait, the timer checks this often whether the connection has room. */
    static final long DRAIN_CHECK_MS = 20;
    /** A peer that reads nothing of what waits for it this long has stopped reading: dropped. */
    static final long NOT_READING_NANOS = TimeUnit.SECONDS.toNanos(SILENCE_SECONDS);

    private final NodeContext node;
    final String peer;
    /** {@code peer/<peer>}, made once: every line on the link is logged with it. */
    final Party party;
    final boolean dials;
    private final Supplier<InetSocketAddress> peerAddress;
    private final Dialer dialer;
    private final LocationTable table;
    private final long watermark;
    /** What this link owes its peer beyond the watermark; guarded by itself. */
    private final PendingUpdates pending = new PendingUpdates();
    /** True while {@link #pending} holds anything; written under its lock. */
    private volatile boolean behind;
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
        this.watermark = Math.min(WATERMARK_BYTES, node.limits().peerQueueBytes() / 2);
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

    /**
     * Floods {@code clientId}'s AT line (never changed afterwards) if the link is up. While
     * the connection's write queue is below the watermark and nothing waits, the line goes at
     * once; otherwise it waits in {@link PendingUpdates}, where a newer update for the same
     * client replaces it, until the peer has read enough ({@link #written}). So a slow peer
     * costs memory bounded by the number of clients and gets the newest state, never seconds
     * of history. A peer that reads nothing for {@link #SILENCE_SECONDS} while updates wait,
     * or leaves more than {@code limits.peerQueueBytes} unread in the queue, has stopped
     * reading: the link is dropped.
     */
    void send(String clientId, ClientTime time, byte[] line) {
        PeerChannel ch = channel;
        if (ch == null) {
            return;
        }
        long limit = node.limits().peerQueueBytes();
        if (ch.queuedBytes() > limit) {
            ch.close("peer " + peer + " is not reading: more than " + limit + " bytes queued");
            return;
        }
        boolean fellBehind;
        synchronized (pending) {
            if (!behind && ch.queuedBytes() < watermark) {
                write(ch, line);
                return;
            }
            fellBehind = !behind;
            pending.put(clientId, time, line);
            behind = true;
            // The queue may have drained since it was read, its last write reported before this
            // update waited: nobody else would send it then.
            drainTo(ch);
            fellBehind &= behind;
        }
        if (fellBehind) {
            keepDraining(ch, ch.writtenBytes(), System.nanoTime());
        }
    }

    /** True while updates wait for room in the connection (the peer reads slower than we flood). */
    public boolean isBehind() {
        return behind;
    }

    /** Some of {@code ch}'s queued bytes went out (its I/O thread): send what waits, up to the watermark. */
    public void written(PeerChannel ch) {
        if (!behind || channel != ch) {
            return;
        }
        synchronized (pending) {
            drainTo(ch);
        }
    }

    /**
     * A safety net under {@link #written}: while updates wait, the timer looks every
     * {@value #DRAIN_CHECK_MS} ms whether the connection has room, so that a write whose
     * completion is never reported cannot leave the link waiting for good.
     */
    private void keepDraining(PeerChannel ch, long writtenBefore, long progressAt) {
        node.timer().schedule(() -> {
            if (channel != ch || !behind) {
                return;
            }
            WriteBatch.during(() -> written(ch)); // what leaves now, leaves as one write
            long written = ch.writtenBytes();
            long now = System.nanoTime();
            long lastProgress = written != writtenBefore ? now : progressAt;
            if (behind && now - lastProgress > NOT_READING_NANOS) {
                ch.close("peer " + peer + " is not reading: nothing read for " + SILENCE_SECONDS + " s, "
                        + ch.queuedBytes() + " bytes queued");
            } else if (behind) {
                keepDraining(ch, written, lastProgress);
            }
        }, DRAIN_CHECK_MS, TimeUnit.MILLISECONDS);
    }

    /** Sends what waits, up to the watermark. Holds {@link #pending}'s lock. */
    private void drainTo(PeerChannel ch) {
        long room = watermark - ch.queuedBytes();
        if (room > 0 && !pending.isEmpty()) {
            pending.drain(room, line -> write(ch, line));
        }
        behind = !pending.isEmpty();
    }

    /** Updates waiting, coalesced, for the peer to read (tests, stats). */
    int pendingUpdates() {
        synchronized (pending) {
            return pending.size();
        }
    }

    private void write(PeerChannel ch, byte[] line) {
        ch.send(line);
        node.counters().peerLinesOut.increment();
        node.events().lineOut(node.now(), party, line);
    }

    /** Forgets what waits: the link went down, or came up again and gets the whole table. */
    private void forgetPending() {
        synchronized (pending) {
            pending.clear();
            behind = false;
        }
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
        forgetPending();
        // Attach before sending the table: anything stored from here on is also flooded here.
        // Past the watermark the table waits in the coalescing queue like any update.
        table.forEach(this::send);
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
            forgetPending(); // the table exchange at the next link-up sends the newest of everything
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
