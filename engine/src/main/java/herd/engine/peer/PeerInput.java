package herd.engine.peer;

import herd.engine.Party;
import herd.engine.io.LineFramer;
import herd.engine.node.NodeContext;




/**
 * Every line that arrives on a peer connection: handshake lines to {@link PeerHandshake},
 * then, once the link is up, updates to {@link FloodRouter}. Heartbeats only reset the
 * silence timer (by arriving) and are not logged. Runs on the connection's I/O thread.
 */
public final class PeerInput {

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
        String text = frame.text();
        if (text.equals(PeerMessage.HEARTBEAT)) {
            return; // its arrival alone resets the silence timer
        }
        Party from = ps.link.party;
        node.counters().peerLinesIn.increment();
        node.events().lineIn(node.now(), from, text);
        if (frame instanceof LineFramer.Frame.Overlong) {
            ps.channel.close("peer sent a line longer than " + node.limits().maxLineBytes() + " bytes");
            return;
        }
        if (PeerMessage.parse(text).orElse(null) instanceof PeerMessage.Update u) {
            router.offer(u.report(), from, ps.link);
        } else if (!text.isBlank()) {
            node.events().notice(node.now(), true, "ignored a malformed line from peer " + ps.link.peer);
        }
    }
}
