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
 * stays. Runs on the connection's I/O thread.
 */
public final class PeerInput {

    private static final byte[] HEARTBEAT = PeerMessage.HEARTBEAT.getBytes(StandardCharsets.US_ASCII);

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
        // A record this server cannot take is skipped, never the link: the neighbour would
        // send it again at every table exchange, and the link would never stay up.
        if (frame.overlong()) {
            node.events().notice(now, true, "skipped a line longer than " + node.limits().maxLineBytes()
                    + " bytes from peer " + ps.link.peer);
            return;
        }
        ReportParser update = ps.updates;
        if (update.at(frame.bytes(), frame.length())) {
            long skew = node.limits().maxClockSkewSeconds();
            if (update.time().isTooFarAhead(now, skew)) {
                // a neighbour with a looser limit (or an older version) must not pin a client here
                node.events().notice(now, true, "skipped an update from peer " + ps.link.peer
                        + ": client time more than " + skew + " s ahead of this server's clock");
                return;
            }
            String clientId = update.clientId();
            // Most copies of a flooded update arrive after the first: skip making their line.
            if (router.mayTake(clientId, update.time())) {
                router.offer(clientId, update.time(), update.atLine(), from, ps.link);
            }
        } else if (!frame.text().isBlank()) {
            node.events().notice(now, true, "skipped a record from peer " + ps.link.peer
                    + " that is malformed or has a field over this server's limits");
        }
    }
}
