package herd.engine.peer;

import herd.engine.Party;
import herd.engine.io.LineFramer;
import herd.engine.node.NodeContext;
import herd.engine.protocol.ReportParser;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * Every line that arrives on a peer connection: handshake lines to {@link PeerHandshake},
 * then, once the link is up, updates to {@link FloodRouter}. Heartbeats only reset the
 * silence timer (by arriving) and are not logged. A line that is no record this server can
 * take (malformed, a field over its limits, too long, or a client time further ahead of this
 * server's clock than {@code limits.maxClockSkewSeconds}) is logged and skipped; the link
 * stays. Table repair's messages go to the link ({@link TableRepair}); the records of a
 * repair batch are stored without being forwarded, and the batch acknowledged once taken.
 * Runs on the connection's I/O thread.
 */
public final class PeerInput {

    private static final byte[] HEARTBEAT = PeerMessage.HEARTBEAT.getBytes(StandardCharsets.US_ASCII);
    /** Every message between servers but a report starts so; no AT line does. */
    private static final byte[] CONTROL = "HERD-".getBytes(StandardCharsets.US_ASCII);

    private final NodeContext node;
    private final PeerHandshake handshake;
    private final FloodRouter router;

    public PeerInput(NodeContext node, PeerHandshake handshake, FloodRouter router) {
        this.node = node;
        this.handshake = handshake;
        this.router = router;
    }

    public void onFrame(PeerSession ps, LineFramer.Frame frame) {
        if (!ps.isUp()) {
            handshake.onLine(ps, frame);
            return;
        }
        if (frame.is(HEARTBEAT)) {
            return; // its arrival alone resets the silence timer
        }
        Party from = ps.link.party;
        node.counters().peerLinesIn.increment();
        Instant now = node.now();
        node.events().lineIn(now, from, frame.bytes(), frame.length());
        if (frame.startsWith(CONTROL)) {
            control(ps, frame);
            return;
        }
        if (ps.repairLeft > 0) {
            ps.repairLeft--;
            record(ps, frame, now, true);
            if (ps.repairLeft == 0) {
                ps.link.ackRepair(ps.channel, ps.repairBatch);
            }
        } else {
            record(ps, frame, now, false);
        }
    }

    /** A report, live or ({@code repair}) from a repair batch; anything else is skipped. */
    private void record(PeerSession ps, LineFramer.Frame frame, Instant now, boolean repair) {
        // A record this server cannot take is skipped, never the link: the neighbour would
        // send it again at every table exchange, and the link would never stay up.
        if (frame.overlong()) {
            node.counters().peerRecordsSkipped.increment();
            node.events().notice(now, true, "skipped a line longer than " + node.limits().maxLineBytes()
                    + " bytes from peer " + ps.link.peer);
            return;
        }
        ReportParser update = ps.updates;
        if (update.at(frame.bytes(), frame.length())) {
            long skew = node.limits().maxClockSkewSeconds();
            if (update.time().isTooFarAhead(now, skew)) {
                // a neighbour with a looser limit (or an older version) must not pin a client here
                node.counters().peerRecordsSkipped.increment();
                node.events().notice(now, true, "skipped an update from peer " + ps.link.peer
                        + ": client time more than " + skew + " s ahead of this server's clock");
                return;
            }
            String clientId = update.clientId();
            // Most copies of a flooded update arrive after the first: skip making their line.
            if (!router.mayTake(clientId, update.time())) {
                return;
            }
            if (repair) {
                if (router.repaired(clientId, update.time(), update.atLine(), ps.link)) {
                    ps.repairLearned++;
                }
            } else if (router.offer(clientId, update.time(), update.atLine(), ps.link.party, ps.link)) {
                ageOnArrival(update, now);
            }
        } else if (!frame.text().isBlank()) {
            node.counters().peerRecordsSkipped.increment();
            node.events().notice(now, true, "skipped a record from peer " + ps.link.peer
                    + " that is malformed or has a field over this server's limits");
        }
    }

    /**
     * Counts how old a live update learned from a peer is: {@code now} minus the time the first
     * server received it, as its AT line says. Clocks of two machines apart can make it
     * negative, counted as 0 ({@link herd.engine.node.DurationBuckets}).
     */
    private void ageOnArrival(ReportParser update, Instant now) {
        long received = update.serverTimeNanos();
        if (received != Long.MIN_VALUE) {
            long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
            node.counters().updateAge.observe(nowNanos - received);
        }
    }

    /** A table-repair message (or anything else starting {@code HERD-}) on an up link. */
    private void control(PeerSession ps, LineFramer.Frame frame) {
        PeerMessage m = PeerMessage.parse(frame.text()).orElse(null);
        if (m instanceof PeerMessage.Digest d) {
            if (ps.peerDigest == null) {
                ps.peerDigest = new long[LocationTable.BUCKETS];
            }
            for (int i = 0; i < d.buckets().length; i++) {
                if (d.buckets()[i] < LocationTable.BUCKETS) {
                    ps.peerDigest[d.buckets()[i]] = d.sums()[i];
                }
            }
        } else if (m instanceof PeerMessage.DigestEnd end) {
            long[] sums = ps.peerDigest != null ? ps.peerDigest : new long[LocationTable.BUCKETS];
            ps.peerDigest = null;
            ps.link.digestReceived(ps.channel, sums, end.buckets(), end.reply());
        } else if (m instanceof PeerMessage.RepairBatch b) {
            if (ps.repairReceived == 0) {
                ps.repairSinceNanos = System.nanoTime();
            }
            ps.repairReceived += b.count();
            ps.repairBatch = b.batch();
            ps.repairLeft = b.count();
            if (b.count() == 0) {
                ps.link.ackRepair(ps.channel, b.batch());
            }
        } else if (m instanceof PeerMessage.RepairAck a) {
            ps.link.repairAcked(ps.channel, a.batch());
        } else if (m instanceof PeerMessage.RepairDone) {
            if (ps.repairReceived > 0) {
                node.events().notice(node.now(), false, "table repair from " + ps.link.peer + ": " + ps.repairLearned
                        + " of " + ps.repairReceived + " records newer here, in "
                        + (System.nanoTime() - ps.repairSinceNanos) / 1_000_000 + " ms");
                ps.repairReceived = 0;
                ps.repairLearned = 0;
            }
            if (ps.link.repairDone(ps.channel)) {
                router.repairFinished();
            }
        } else {
            node.counters().peerRecordsSkipped.increment();
            node.events().notice(node.now(), true, "skipped a message from peer " + ps.link.peer
                    + " that this server does not know: " + abbreviated(frame.text()));
        }
    }

    private static String abbreviated(String text) {
        return text.length() <= 80 ? text : text.substring(0, 80) + "...";
    }
}
