package herd.engine.peer;

import herd.engine.LinkState;
import herd.engine.Party;
import herd.engine.config.Link;
import herd.engine.io.WriteBatch;
import herd.engine.config.Limits;
import herd.engine.node.NodeContext;
import herd.engine.protocol.ClientTime;
import java.net.InetSocketAddress;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One server's end of one configured link. The end whose name sorts first (the link's
 * dialler) dials and redials with capped exponential backoff ({@link RedialBackoff}). A
 * server that starts also announces itself: it dials every neighbour once at once, the ends
 * that normally wait included, so that its links need not wait for a dialler's backoff.
 *
 * <p>Two connections for one link (both ends dialled at once) are resolved by the dialler
 * alone, so both ends agree without a word: it has at most one connection for the link in
 * hand at a time (its own dial, an announcement it took, or the link up), refuses another
 * from the peer, quietly, while it has one, and dials only while it has none. The other
 * end takes every connection the dialler completes, the newer replacing the older.
 *
 * <p>Thread-safety: the up channel is volatile and read by any I/O thread that floods;
 * dialling state is guarded by this object's lock and driven by the herd's timer thread,
 * the dialer's callbacks and the handshake. No method blocks.
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
    /**
     * What this link owes its peer beyond the watermark. Its lock is the link's write lock:
     * every line but a heartbeat is written under it, so a repair batch is never split.
     */
    private final PendingUpdates pending = new PendingUpdates();
    /** The table repair of the connection the link is up on; guarded by {@link #pending}'s lock. */
    private final TableRepair repair;
    /** The server's flooding rule, which also knows whether a repair is coming in on another link; null in some tests. */
    private volatile FloodRouter router;
    /**
     * This end put off its part of the table repair (its digest, its answer) because a repair
     * was coming in on another link: it asks for a round once none is ({@link #sendOwedDigest}).
     * Guarded by {@link #pending}'s lock.
     */
    private boolean digestOwed;
    /** True while {@link #pending} holds anything; written under its lock. */
    private volatile boolean behind;
    private volatile PeerChannel channel;
    private volatile boolean cut;
    private int failures;
    private ScheduledFuture<?> redial;
    /** This end's dial in flight: from the dial until the dialer reports or its connection closes. */
    private Attempt connecting;
    /** This end's dialled connection, from its creation until the link is up on it or it closes. */
    private PeerChannel dialled;
    /** The peer's connection, from its first line until the link is up on it or it closes. */
    private PeerChannel accepted;
    /**
     * The peer announced itself while this end had a connection of its own in hand: should
     * that one fail, the redial goes at once rather than after the backoff.
     */
    private boolean announced;
    /** Times the link came up, and went down from up (for metrics). */
    private final AtomicLong ups = new AtomicLong();
    private final AtomicLong downs = new AtomicLong();

    /** One dial: the dialer's token, and its connection once it exists. */
    private static final class Attempt {
        PeerChannel channel;
    }

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
        this.repair = new TableRepair(table);
        this.watermark = Math.min(WATERMARK_BYTES, node.limits().peerQueueBytes() / 2);
        this.dials = Link.between(node.name(), peer).dialer().equals(node.name());
    }

    public String peer() {
        return peer;
    }

    /** The server's flooding rule, told once by it (it is made after its links). */
    void useRouter(FloodRouter router) {
        this.router = router;
    }

    /**
     * True when this end owes its peer nothing more: the link is down, or nothing waits in
     * its coalescing queue, no table repair round is being sent (it may carry reports this
     * server acknowledged while the peer was away), and its connection's write queue is
     * empty. A clean stop waits for this.
     */
    public boolean drained() {
        synchronized (pending) {
            PeerChannel ch = channel;
            return ch == null || !behind && !repair.running() && ch.queuedBytes() == 0;
        }
    }

    /** True when a repair is coming in on another link of this server (then this link waits its turn). */
    private boolean anotherRepairComing() {
        FloodRouter r = router;
        return r != null && r.repairComingExcept(this);
    }

    /**
     * The lock under which a link decides whether to take its turn at repair and, if so,
     * sends its digest: one per server, so that links coming up at once on different I/O
     * threads cannot all see no repair coming and all ask for a whole table (HerdRepairTest
     * saw three whole tables on a loaded machine). Taken before a link's own lock, never
     * inside one.
     */
    private Object repairTurn() {
        FloodRouter r = router;
        return r != null ? r : this;
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
        node.counters().forwarded.increment();
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
        if (channel != ch) {
            return;
        }
        synchronized (pending) {
            if (behind || repair.running()) {
                drainTo(ch);
            }
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

    /**
     * Sends what waits, up to the watermark: live updates first, then table repair. Holds
     * {@link #pending}'s lock.
     */
    private void drainTo(PeerChannel ch) {
        long room = watermark - ch.queuedBytes();
        if (room > 0 && !pending.isEmpty()) {
            pending.drain(room, line -> write(ch, line));
        }
        behind = !pending.isEmpty();
        if (!behind && repair.running()) {
            repair.pump(repairOut(ch), () -> ch.queuedBytes() < watermark);
        }
    }

    /** Where {@code ch}'s repair lines go: written, counted and logged like any line. */
    private TableRepair.Out repairOut(PeerChannel ch) {
        return new TableRepair.Out() {
            @Override
            public void line(String line) {
                ch.send(line);
                sent(line);
            }

            @Override
            public void record(byte[] atLine) {
                write(ch, atLine);
            }

            @Override
            public void finished(int records, long bytes, int buckets, long nanos) {
                node.events().notice(node.now(), false, "table repair to " + peer + ": " + records + " records ("
                        + bytes + " bytes) from " + buckets + " of " + LocationTable.BUCKETS + " buckets in "
                        + TimeUnit.NANOSECONDS.toMillis(nanos) + " ms");
            }
        };
    }

    /** Sends this end's table digest on {@code ch}; {@code reply} asks the peer for its own. Holds the lock. */
    private void sendDigest(PeerChannel ch, boolean reply) {
        for (String line : repair.digest(reply)) {
            ch.send(line);
            sent(line);
        }
    }

    /**
     * The peer's digest arrived on {@code ch} ({@code sums} for every bucket, the peer's
     * {@code buckets} count): answers it with the buckets that differ, after its own digest
     * when the peer asked for one. I/O thread.
     */
    void digestReceived(PeerChannel ch, long[] sums, int buckets, boolean reply) {
        int differ = 0;
        boolean answered;
        boolean settled;
        synchronized (repairTurn()) {
            // Read before this link's lock: it takes the other links' locks.
            boolean later = anotherRepairComing();
            synchronized (pending) {
                if (channel != ch) {
                    return;
                }
                // A peer whose digest shows nothing this server lacks (one that has just started)
                // brings nothing in its answer: the links that wait for its repair need not.
                boolean coming = repair.expecting();
                repair.peerDigest(sums, buckets);
                settled = coming && !repair.expecting();
                if (later) {
                    // A server relearning its table from one neighbour would otherwise take it from
                    // every neighbour at once, and send each what it half-learnt: it answers nothing
                    // now and asks this peer for a round once its repair is in.
                    repair.answerLater(repairOut(ch));
                    digestOwed = true;
                    node.events().notice(node.now(), false, "table digest from " + peer
                            + ": answered after the repair coming in on another link");
                    answered = false;
                } else {
                    answered = true;
                    if (reply) {
                        sendDigest(ch, false);
                    }
                    differ = repair.answer(sums, buckets);
                    drainTo(ch);
                }
            }
        }
        FloodRouter r = router;
        if (settled && r != null) {
            r.repairFinished(); // the links that put off their rounds for this one go now
        }
        if (!answered) {
            return;
        }
        if (buckets != LocationTable.BUCKETS) {
            node.events().notice(node.now(), true, "peer " + peer + " digests its table in " + buckets
                    + " buckets, this server in " + LocationTable.BUCKETS + ": every bucket is sent");
        } else {
            node.events().notice(node.now(), false, "table digest from " + peer + ": " + differ + " of "
                    + LocationTable.BUCKETS + " buckets differ");
        }
    }

    /** The peer took repair batch {@code batch} (I/O thread): more may go. */
    void repairAcked(PeerChannel ch, int batch) {
        synchronized (pending) {
            if (channel == ch) {
                repair.acked(batch);
                drainTo(ch);
            }
        }
    }

    /** This end took the peer's repair batch {@code batch}: says so, so that more may come. */
    void ackRepair(PeerChannel ch, int batch) {
        String line = new PeerMessage.RepairAck(batch).line();
        synchronized (pending) {
            if (channel == ch) {
                ch.send(line);
                sent(line);
            }
        }
    }

    /** The peer finished answering one of this end's digests; false when it owed none. */
    boolean repairDone(PeerChannel ch) {
        synchronized (pending) {
            return channel == ch && repair.done();
        }
    }

    /**
     * True while the peer still owes this end an answer to a digest that may bring reports
     * this server lacks (its repair is coming in).
     */
    boolean repairComing() {
        synchronized (pending) {
            return channel != null && repair.expecting();
        }
    }

    /**
     * Asks the peer for another repair round, both ways (this server learned something from a
     * repair that the peer may lack): sends this end's digest asking for the peer's.
     */
    void resync() {
        synchronized (pending) {
            PeerChannel ch = channel;
            digestOwed = false;
            if (ch != null) {
                sendDigest(ch, true);
            }
        }
    }

    /** Asks the peer for the round this end put off, if it did. */
    void sendOwedDigest() {
        synchronized (pending) {
            PeerChannel ch = channel;
            if (digestOwed && ch != null) {
                digestOwed = false;
                sendDigest(ch, true);
            }
        }
    }

    /** Updates waiting, coalesced, for the peer to read (tests, metrics). */
    public int pendingUpdates() {
        synchronized (pending) {
            return pending.size();
        }
    }

    /** Bytes written to the link's connection and not yet on the wire; 0 while the link is down. */
    public long queuedBytes() {
        PeerChannel ch = channel;
        return ch == null ? 0 : ch.queuedBytes();
    }

    /** Times this link came up since its server was created. */
    public long ups() {
        return ups.get();
    }

    /** Times this link went down (from up) since its server was created. */
    public long downs() {
        return downs.get();
    }

    private void write(PeerChannel ch, byte[] line) {
        ch.send(line);
        node.counters().peerLinesOut.increment();
        node.events().lineOut(node.now(), party, line);
    }

    /** Forgets what waits and any repair: the link went down (the next link-up repairs). */
    private void forgetPending() {
        synchronized (pending) {
            pending.clear();
            behind = false;
            repair.reset();
            digestOwed = false;
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

    /**
     * The handshake finished on {@code ch}: it now carries the link, and gets this server's
     * table. A connection the link was up on is closed (the dialler gave up on it and made
     * this one), without a link-down.
     */
    void attach(PeerChannel ch) {
        PeerChannel older;
        synchronized (this) {
            older = channel;
            channel = ch;
            failures = 0;
            announced = false;
            if (dialled == ch) {
                dialled = null;
            }
            if (accepted == ch) {
                accepted = null;
            }
        }
        if (older != null && older != ch) {
            older.close("replaced by a newer connection from " + peer);
        }
        ups.incrementAndGet();
        node.events().linkUp(node.now(), peer, ch.remoteAddress() + (ch.tlsOn() ? " over TLS" : ""));
        // Attached before the digest: anything stored from here on is also flooded here, so
        // the repair need only cover what the digests show. While a repair comes in on another
        // link, the digest waits for it (see digestReceived).
        synchronized (repairTurn()) {
            boolean later = anotherRepairComing();
            synchronized (pending) {
                pending.clear();
                behind = false;
                repair.reset();
                digestOwed = later;
                if (channel == ch && !later) {
                    sendDigest(ch, false);
                }
            }
        }
    }

    /**
     * The peer's connection {@code ch} offered itself here (at its first line, or with a secret
     * once it proved it: {@link PeerHandshake}): null when this end takes it
     * for the link, else why it does not (the caller closes it, quietly). The dialler takes
     * it only when it has no connection of its own in hand, and then drops its backoff: the
     * peer has just started, so its link comes up now. Otherwise the link is kept where it
     * is, and a heartbeat goes out on it at once, so that a connection the restarted peer no
     * longer knows fails now rather than after {@link #SILENCE_SECONDS}.
     */
    String offered(PeerChannel ch) {
        PeerChannel probe = null;
        PeerChannel superseded = null;
        String refusal = null;
        synchronized (this) {
            if (!wanted()) {
                return null; // the handshake refuses it, cut or down
            }
            if (dials && (channel != null || connecting != null || dialled != null)) {
                announced = true;
                probe = channel;
                refusal = "a second connection for the link to " + peer + ": " + node.name()
                        + " keeps the one it has";
            } else {
                if (dials) {
                    cancelRedial();
                    failures = 0;
                }
                superseded = accepted; // an older handshake from the peer, given up by it
                accepted = ch;
            }
        }
        if (probe != null) {
            heartbeat(probe);
        }
        if (superseded != null) {
            superseded.close("superseded by a newer connection from " + peer);
        }
        return refusal;
    }

    /**
     * True when a connection this end dialled should start its handshake: the link is
     * wanted and not up already (the dialler's connection may have come in while this
     * end's announcement was connecting).
     */
    synchronized boolean opening() {
        return channel == null && wanted();
    }

    /** {@code ch} closed; if it carried the link, the link is down. Redials when this end dials. */
    public void closed(PeerChannel ch, String reason) {
        boolean wasUp;
        synchronized (this) {
            wasUp = channel == ch;
            if (wasUp) {
                channel = null;
            } else if (dialled == ch) {
                dialled = null;
                failures++;
            } else if (accepted == ch) {
                accepted = null; // the peer's attempt, not a failure of this end's
            }
            // connectDone can lag behind the I/O thread: the attempt's connection may be
            // refused and closed before it reports. Its close ends the attempt here, or
            // nobody would ever redial.
            if (connecting != null && connecting.channel == ch) {
                connecting = null;
            }
        }
        if (wasUp) {
            forgetPending(); // the table repair at the next link-up sends what differs
            downs.incrementAndGet();
            node.events().linkDown(node.now(), peer, reason);
            FloodRouter r = router;
            if (r != null) {
                r.repairFinished(); // a repair this link was bringing in will not finish: the others' turn
            }
        }
        scheduleRedial();
    }

    /**
     * Starts dialling (the server came up): dials the peer at once, whichever end normally
     * dials, to announce this server. An announcement that fails is not retried by an end
     * that does not dial: its peer, when it starts, announces itself in turn.
     */
    public void start() {
        synchronized (this) {
            failures = 0;
        }
        dial(true);
    }

    /** Stops dialling and drops the link's connections (server going down, or link cut). */
    public void stop(String reason) {
        PeerChannel up;
        PeerChannel ours;
        PeerChannel theirs;
        synchronized (this) {
            cancelRedial();
            announced = false;
            // An attempt in flight is left to finish: connectDone closes what it brings.
            connecting = null;
            up = channel;
            ours = dialled;
            theirs = accepted;
            dialled = null;
            accepted = null;
        }
        for (PeerChannel ch : new PeerChannel[] {up, ours, theirs}) {
            if (ch != null) {
                ch.close(reason);
            }
        }
    }

    public void cut() {
        cut = true;
        stop("link cut by operator");
    }

    /**
     * Closes the link for good: it was removed from the config. Like {@link #cut}, nothing
     * redials it; unlike a cut, nothing restores it (its server forgets it).
     */
    public void retire() {
        cut = true;
        stop("link removed from the config");
    }

    /** Undoes {@link #cut}: the dialler dials again at once; the other end waits, as usual. */
    public void restore() {
        cut = false;
        synchronized (this) {
            failures = 0;
        }
        dial(false);
    }

    /** True when the link may be up: not cut, and the server is up. */
    private boolean wanted() {
        return !cut && node.isUp();
    }

    /** True when this end dials now: it dials, the link is not cut and the server is up. */
    private boolean shouldDial() {
        return dials && !cut && node.isUp();
    }

    /** True while this end has a connection for the link in hand: up, dialling or handshaking. */
    private boolean busy() {
        return channel != null || connecting != null || dialled != null || accepted != null;
    }

    /** Dials if this end may: the dialler when it has nothing in hand, or any end to {@code announce}. */
    private void dial(boolean announce) {
        Attempt attempt;
        synchronized (this) {
            if (!(announce ? wanted() : shouldDial()) || busy()) {
                return;
            }
            if (redial != null) {
                if (!announce) {
                    return;
                }
                cancelRedial();
            }
            announced = false;
            attempt = new Attempt();
            connecting = attempt;
        }
        dialer.dial(this, peerAddress.get(), attempt);
    }

    /** The dialer made the connection of {@code attempt} (it is not yet connected). */
    void connecting(Object attempt, PeerChannel ch) {
        synchronized (this) {
            Attempt a = (Attempt) attempt;
            a.channel = ch;
            if (connecting == a) {
                dialled = ch;
            }
        }
    }

    /** The dialer's {@code attempt} connected or failed. */
    void connectDone(Object attempt, boolean connected) {
        PeerChannel unwanted = null;
        boolean failed = false;
        synchronized (this) {
            Attempt a = (Attempt) attempt;
            if (connecting != a) {
                // Stopped meanwhile, or its connection closed first (counted there).
                if (connected && a.channel != null && a.channel != channel && a.channel != dialled) {
                    unwanted = a.channel;
                }
            } else {
                connecting = null;
                if (!connected) {
                    failures++;
                    failed = true;
                } else if (!wanted() && a.channel != null) {
                    unwanted = a.channel;
                    if (dialled == a.channel) {
                        dialled = null;
                    }
                }
            }
        }
        if (unwanted != null) {
            unwanted.close("link no longer wanted");
        }
        if (failed) {
            scheduleRedial();
        }
        // connected: the handshake decides from here
    }

    private void scheduleRedial() {
        synchronized (this) {
            if (!shouldDial() || busy() || redial != null) {
                return;
            }
            long delay = announced ? 0 : RedialBackoff.delayMillis(failures, ThreadLocalRandom.current());
            redial = node.timer().schedule(() -> {
                synchronized (this) {
                    redial = null;
                }
                dial(false);
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

    /** The limits of the server this link belongs to. */
    Limits limits() {
        return node.limits();
    }
}
