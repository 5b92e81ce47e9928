package herd.engine.peer;

import herd.engine.protocol.ReportParser;
import org.apache.mina.core.session.AttributeKey;
import org.apache.mina.core.session.IoSession;

/**
 * A connection that carries, or is being made to carry, a peer link: its link, where its
 * handshake stands, the handshake's nonces, and the parser of its updates. Made when this server dials, or when an
 * accepted connection's first line is a peer's. The nonces and the parser belong to the connection's
 * I/O thread; {@link #state} is volatile, because the timer reads it too.
 */
public final class PeerSession {

    private static final AttributeKey KEY = new AttributeKey(PeerSession.class, "peer");

    final PeerLink link;
    final PeerChannel channel;
    final boolean dialled;
    volatile PeerHandshake.State state;
    /** This side's and the other side's nonces (with a shared secret only). */
    String nonce;
    String peerNonce;
    /** Reads the updates of this connection within this server's field bounds (its I/O thread only). */
    final ReportParser updates;
    /** The peer's table digest while its lines arrive, per bucket (I/O thread only); null between digests. */
    long[] peerDigest;
    /** Records of the peer's current repair batch still to come, and the batch's number (I/O thread only). */
    int repairLeft;
    int repairBatch;
    /** The peer's repair round coming in: records received, records newer than this server's, since when. */
    int repairReceived;
    int repairLearned;
    long repairSinceNanos;

    PeerSession(PeerLink link, PeerChannel channel, boolean dialled, PeerHandshake.State state) {
        this.link = link;
        this.updates = new ReportParser(link.limits());
        this.channel = channel;
        this.dialled = dialled;
        this.state = state;
    }

    /** The peer session of {@code session}; null for a client's connection. */
    public static PeerSession of(IoSession session) {
        return (PeerSession) session.getAttribute(KEY);
    }

    static PeerSession attach(IoSession session, PeerSession ps) {
        session.setAttribute(KEY, ps);
        return ps;
    }

    public PeerLink link() {
        return link;
    }

    public PeerChannel channel() {
        return channel;
    }

    public boolean isUp() {
        return state == PeerHandshake.State.UP;
    }
}
