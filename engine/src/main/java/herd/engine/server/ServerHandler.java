package herd.engine.server;

import herd.engine.io.Connection;
import herd.engine.io.LineFramer;
import herd.engine.io.WriteBatch;
import herd.engine.node.NodeContext;
import herd.engine.peer.FloodRouter;
import herd.engine.peer.LocationTable;
import herd.engine.peer.PeerHandshake;
import herd.engine.peer.PeerInput;
import herd.engine.peer.PeerLink;
import herd.engine.peer.PeerMessage;
import herd.engine.peer.PeerSession;
import herd.engine.peer.PeerTls;
import herd.engine.peer.SessionChannels;
import herd.engine.places.PlacesProvider;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.mina.core.buffer.IoBuffer;
import org.apache.mina.core.service.IoHandlerAdapter;
import org.apache.mina.core.session.IdleStatus;
import org.apache.mina.core.session.IoSession;
import org.apache.mina.filter.FilterEvent;
import org.apache.mina.filter.ssl.SslEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MINA handler of one server, for accepted and dialled connections alike, and nothing
 * but a dispatcher: bytes become lines ({@link LineFramer}); a connection's first line
 * decides whether it is a client ({@link ClientProtocol}) or a peer ({@link PeerInput});
 * opening, closing, idleness, a client's unfinished line ({@link LineDeadline}) and TLS
 * events go to their owners. Runs on MINA I/O threads
 * and never blocks.
 */
public final class ServerHandler extends IoHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(ServerHandler.class);

    private final NodeContext node;
    private final PeerHandshake handshake;
    private final PeerInput peers;
    private final PeerTls tls;
    private final ClientProtocol clients;
    private final ClientSlots slots;
    private final LineDeadline lineDeadline;

    public ServerHandler(NodeContext node, LocationTable table, FloodRouter router, PlacesProvider places,
                         PeerHandshake handshake, PeerTls tls, int neighbours) {
        this.node = node;
        this.handshake = handshake;
        this.tls = tls;
        this.peers = new PeerInput(node, handshake, router);
        this.slots = new ClientSlots(() -> node.limits().maxClients(), neighbours);
        this.clients = new ClientProtocol(node, table, router, places, slots);
        this.lineDeadline = new LineDeadline(node);
    }

    /** Stops this handler's timer work (its server is disposed). */
    public void dispose() {
        lineDeadline.stop();
    }

    /** The server now has {@code n} neighbours: the client cap keeps a slot for each of their links. */
    public void neighbours(int n) {
        slots.neighbours(n);
    }

    /** Client connections open now. */
    public int clientsOpen() {
        return slots.open();
    }

    @Override
    public void sessionCreated(IoSession session) {
        if (Connection.of(session) == null) { // accepted; a dialled one was set up by its dialer
            Connection c = Connection.accepted(session, node.limits().maxLineBytes());
            ClientSession.attach(session, c, node.limits(), clients::send);
        }
    }

    @Override
    public void sessionOpened(IoSession session) {
        Connection c = Connection.of(session);
        node.events().opened(node.now(), c.party());
        ClientSession client = ClientSession.of(session);
        if (client != null) {
            // Headroom for the neighbours, which arrive looking like clients until their handshake.
            if (!slots.take(client)) {
                c.close(slots.refusal());
            }
        } else {
            handshake.open(PeerSession.of(session));
        }
    }

    private static final byte[] HELLO = PeerMessage.HELLO.getBytes(StandardCharsets.US_ASCII);

    @Override
    public void messageReceived(IoSession session, Object message) {
        Connection c = Connection.of(session);
        IoBuffer buffer = (IoBuffer) message;
        long lines = c.framer.lines();
        // Every reply and peer line this read causes leaves in one write per connection.
        WriteBatch.during(() -> c.framer.feed(buffer.buf(), frame -> onFrame(session, frame)));
        if (!c.isPeer()) {
            ClientSession client = ClientSession.of(session);
            if (client != null) {
                lineDeadline.afterRead(client, c.framer.midLine(), c.framer.lines() != lines);
            }
        }
    }

    private void onFrame(IoSession session, LineFramer.Frame frame) {
        PeerSession peer = PeerSession.of(session);
        if (peer != null) {
            peers.onFrame(peer, frame);
            return;
        }
        ClientSession client = ClientSession.of(session);
        if (!client.commanded && !frame.overlong() && frame.startsWith(HELLO)) {
            Optional<PeerSession> becamePeer = SessionChannels.accept(handshake, session, tls, frame.text());
            if (becamePeer.isPresent()) {
                slots.release(client);
                lineDeadline.forget(client);
                return;
            }
        }
        clients.onFrame(client, frame);
    }

    @Override
    public void messageSent(IoSession session, Object message) {
        PeerSession peer = PeerSession.of(session);
        if (peer != null && peer.link().isBehind()) {
            // The peer read some: what waits for it leaves now, as one write.
            WriteBatch.during(() -> peer.link().written(peer.channel()));
        }
    }

    @Override
    public void inputClosed(IoSession session) {
        Connection c = Connection.of(session);
        if (c.inputDone) {
            return;
        }
        c.inputDone = true;
        session.suspendRead(); // MINA fires inputClosed on every later read otherwise
        c.framer.endOfInput(frame -> onFrame(session, frame));
        ClientSession client = ClientSession.of(session);
        if (client != null) {
            lineDeadline.forget(client); // its last line is complete now
        }
        if (c.framer.overflowed()) {
            c.closeAfterFlush("line longer than " + node.limits().maxLineBytes() + " bytes");
        } else if (PeerSession.of(session) == null && client != null) {
            client.replies.whenDrained(() -> c.closeAfterFlush("client closed its sending side; all replies sent"));
        } else {
            c.close("peer closed the connection");
        }
    }

    @Override
    public void sessionClosed(IoSession session) {
        Connection c = Connection.of(session);
        if (c == null) {
            return;
        }
        ClientSession client = ClientSession.of(session);
        if (client != null) {
            slots.release(client);
            lineDeadline.forget(client);
        }
        String reason = c.closeReason() != null ? c.closeReason() : "closed by remote";
        node.events().closed(node.now(), c.party(), reason);
        PeerSession peer = PeerSession.of(session);
        if (peer != null) {
            peer.link().closed(peer.channel(), reason);
        }
    }

    @Override
    public void event(IoSession session, FilterEvent event) {
        PeerSession peer = PeerSession.of(session);
        if (event == SslEvent.SECURED && peer != null) {
            handshake.tlsSecured(peer);
        }
    }

    @Override
    public void sessionIdle(IoSession session, IdleStatus status) {
        Connection c = Connection.of(session);
        if (c == null) {
            return;
        }
        PeerSession peer = PeerSession.of(session);
        switch (IdleRule.onIdle(peer != null, status)) {
            case CLOSE_IDLE_CLIENT -> c.close("idle for " + node.limits().idleTimeoutSeconds() + " s");
            case SEND_HEARTBEAT -> peer.link().heartbeat(peer.channel());
            case CLOSE_SILENT_PEER -> c.close(peer.isUp()
                    ? "no line from peer " + peer.link().peer() + " for " + PeerLink.SILENCE_SECONDS + " s"
                    : "handshake with " + peer.link().peer() + " took over " + PeerLink.SILENCE_SECONDS + " s");
            case NONE -> { }
        }
    }

    @Override
    public void exceptionCaught(IoSession session, Throwable cause) {
        Connection c = Connection.of(session);
        String what = cause instanceof IOException ? cause.getMessage() : cause.toString();
        if (!(cause instanceof IOException)) {
            LOG.warn("{}: unexpected failure on {}", node.name(), c == null ? session : c.party(), cause);
        }
        if (c != null) {
            c.close("connection error: " + what);
        } else {
            session.closeNow();
        }
    }
}
