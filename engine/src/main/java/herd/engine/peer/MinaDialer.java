package herd.engine.peer;

import herd.engine.io.Connection;
import java.net.InetSocketAddress;
import org.apache.mina.core.future.ConnectFuture;
import org.apache.mina.transport.socket.nio.NioSocketConnector;

/** {@link Dialer} over one server's MINA connector; its sessions reach the server's handler. */
public final class MinaDialer implements Dialer {

    private final NioSocketConnector connector;
    private final PeerTls tls;
    private final int maxLineBytes;

    public MinaDialer(NioSocketConnector connector, PeerTls tls, int maxLineBytes) {
        this.connector = connector;
        this.tls = tls;
        this.maxLineBytes = maxLineBytes;
    }

    @Override
    public void dial(PeerLink link, InetSocketAddress address, Object attempt) {
        // Never ConnectFuture.cancel(): if the attempt fails at the same moment, MINA 2.2 counts
        // the request twice and its connector thread then spins forever.
        ConnectFuture f = connector.connect(address, (session, future) -> {
            SessionChannel channel = new SessionChannel(Connection.dialled(session, link.peer, maxLineBytes), tls);
            PeerSession.attach(session, new PeerSession(link, channel, true, PeerHandshake.State.DIALLED));
            link.connecting(attempt, channel);
        });
        f.addListener(done -> link.connectDone(attempt, ((ConnectFuture) done).isConnected()));
    }
}
