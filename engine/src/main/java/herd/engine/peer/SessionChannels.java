package herd.engine.peer;

import herd.engine.io.Connection;
import java.util.Optional;
import org.apache.mina.core.session.IoSession;

/** Puts MINA sessions on the peer side: the glue between a server's handler and {@link PeerHandshake}. */
public final class SessionChannels {

    private SessionChannels() {
    }

    /**
     * Offers the first line of an accepted session to the handshake; when it is a peer's, the
     * session gets its {@link PeerSession} and the line is consumed.
     */
    public static Optional<PeerSession> accept(PeerHandshake handshake, IoSession session, PeerTls tls, String line) {
        SessionChannel channel = new SessionChannel(Connection.of(session), tls);
        Optional<PeerSession> ps = handshake.accept(channel, line);
        ps.ifPresent(p -> PeerSession.attach(session, p));
        return ps;
    }
}
