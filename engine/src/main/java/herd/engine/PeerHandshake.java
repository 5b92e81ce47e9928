package herd.engine;

import java.time.Instant;
import java.util.List;

/**
 * Opens peer links, both sides (README "Flooding between servers"). Without a shared
 * secret: the dialer sends {@code HERD-PEER dialer acceptor}, the acceptor answers
 * {@code HERD-PEER-OK acceptor}. With one, each side proves it knows the secret:
 * <pre>
 * dialer:   HERD-PEER dialer acceptor nonceD
 * acceptor: HERD-PEER-CHALLENGE acceptor nonceA proofA
 * dialer:   HERD-PEER-PROOF dialer proofD
 * acceptor: HERD-PEER-OK acceptor
 * </pre>
 * Any failure closes the connection with an {@code ERROR} line in the log. Runs on the
 * connection's I/O thread.
 */
final class PeerHandshake {

    static final String CHALLENGE = "HERD-PEER-CHALLENGE";
    static final String PROOF = "HERD-PEER-PROOF";

    private final HerdServer server;
    private final PeerAuth auth;

    PeerHandshake(HerdServer server, PeerAuth auth) {
        this.server = server;
        this.auth = auth;
    }

    /** Dialer: the first line on a new link connection. */
    void hello(Connection c) {
        String line = PeerLink.HELLO + " " + server.name() + " " + c.link.peer;
        if (auth.enabled()) {
            c.nonce = PeerAuth.nonce();
            line += " " + c.nonce;
        }
        c.link.write(c.session, line);
    }

    /**
     * Acceptor: the first line of an accepted connection, if it is {@code HERD-PEER} naming
     * this server and one of the neighbours that dial it. Returns false when the line is not
     * such a handshake, so that it is answered as a client line ({@code ? ...}).
     */
    boolean accept(Connection c, String line) {
        List<String> f = CommandParser.fields(line);
        if ((f.size() != 3 && f.size() != 4) || !f.get(2).equals(server.name())) {
            return false;
        }
        PeerLink link = server.link(f.get(1));
        if (link == null || link.dials) {
            return false;
        }
        c.role = Connection.Role.AUTHENTICATING;
        c.link = link;
        c.party = Party.peer(link.peer);
        server.stats.clientsOpen.decrementAndGet(); // counted as a client when it opened
        received(c, line);
        if (link.isCut() || !server.isUp()) {
            c.close("refused peer " + link.peer + ": link is cut");
        } else if (auth.enabled() && f.size() == 3) {
            refuse(c, "peer " + link.peer + " at " + address(c) + " did not authenticate, and this server requires the shared secret");
        } else if (!auth.enabled() && f.size() == 4) {
            refuse(c, "peer " + link.peer + " at " + address(c) + " offered authentication, but this server has no shared secret");
        } else if (auth.enabled()) {
            c.nonce = PeerAuth.nonce();
            c.peerNonce = f.get(3);
            link.write(c.session, CHALLENGE + " " + server.name() + " " + c.nonce + " "
                    + auth.acceptorProof(server.name(), link.peer, c.peerNonce, c.nonce));
        } else {
            welcome(c);
        }
        return true;
    }

    /** Acceptor: the dialer's proof. */
    void onProof(Connection c, LineFramer.Frame frame) {
        received(c, frame.text());
        List<String> f = CommandParser.fields(frame.text());
        String expected = auth.dialerProof(c.link.peer, server.name(), c.nonce, c.peerNonce);
        if (frame instanceof LineFramer.Frame.Line && f.size() == 3 && f.get(0).equals(PROOF)
                && f.get(1).equals(c.link.peer) && PeerAuth.same(expected, f.get(2))) {
            welcome(c);
        } else {
            refuse(c, "refused a connection from " + address(c) + " claiming to be peer " + c.link.peer
                    + ": authentication failed");
        }
    }

    /** Dialer: the acceptor's answer, a challenge (with a secret) or the welcome. */
    void onAnswer(Connection c, LineFramer.Frame frame) {
        received(c, frame.text());
        List<String> f = CommandParser.fields(frame.text());
        boolean line = frame instanceof LineFramer.Frame.Line;
        String peer = c.link.peer;
        if (line && f.size() == 4 && f.get(0).equals(CHALLENGE) && f.get(1).equals(peer) && c.peerNonce == null) {
            if (!auth.enabled()) {
                refuse(c, "peer " + peer + " requires a shared secret, and this server has none");
            } else if (!PeerAuth.same(auth.acceptorProof(peer, server.name(), c.nonce, f.get(2)), f.get(3))) {
                refuse(c, "the server answering as peer " + peer + " at " + address(c) + " failed authentication");
            } else {
                c.peerNonce = f.get(2);
                c.link.write(c.session, PROOF + " " + server.name() + " "
                        + auth.dialerProof(server.name(), peer, c.peerNonce, c.nonce));
            }
        } else if (line && f.size() == 2 && f.get(0).equals(PeerLink.WELCOME) && f.get(1).equals(peer)
                && (!auth.enabled() || c.peerNonce != null)) {
            c.role = Connection.Role.PEER;
            c.link.attach(c.session);
        } else {
            refuse(c, "peer " + peer + " did not complete the handshake");
        }
    }

    private void welcome(Connection c) {
        c.role = Connection.Role.PEER;
        c.link.write(c.session, PeerLink.WELCOME + " " + server.name());
        c.link.attach(c.session);
    }

    private void received(Connection c, String line) {
        server.stats.peerLinesIn.increment();
        server.emit(new HerdEvent.LineIn(now(), server.name(), c.party, line));
    }

    private void refuse(Connection c, String why) {
        server.emit(new HerdEvent.Notice(now(), server.name(), true, why));
        c.close(why);
    }

    private static String address(Connection c) {
        return Connection.address(c.session.getRemoteAddress());
    }

    private Instant now() {
        return server.context().clock().instant();
    }
}
