package herd.engine;

import herd.engine.protocol.CommandParser;
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
    private final PeerTls tls;

    PeerHandshake(HerdServer server, PeerAuth auth, PeerTls tls) {
        this.server = server;
        this.auth = auth;
        this.tls = tls;
    }

    /**
     * Acceptor: the first line {@code HERD-PEER-TLS dialer acceptor} from a neighbour that
     * dials, when this server speaks TLS. Answers in plain text, then switches the
     * connection to TLS; the peer handshake follows inside it. Returns false when the line
     * is not such a request (it is then answered as a client line).
     */
    boolean acceptTls(Connection c, String line) {
        List<String> f = CommandParser.fields(line);
        if (tls == null || f.size() != 3 || !f.get(0).equals(PeerTls.REQUEST) || !f.get(2).equals(server.name())) {
            return false;
        }
        PeerLink link = server.link(f.get(1));
        if (link == null || link.dials) {
            return false;
        }
        c.party = Party.peer(link.peer);
        PeerLink.watch(c.session);
        received(c, line);
        // No byte may reach the framer between the answer and the TLS filter: stop reading
        // until the plain-text answer is on the wire and the filter is in place.
        c.session.suspendRead();
        c.link = link;
        link.write(c.session, PeerTls.ACCEPT + " " + server.name()).addListener(done -> {
            tls.start(c.session);
            c.session.resumeRead();
        });
        return true;
    }

    /** Dialer: the acceptor agreed to TLS; switch (the hello follows the acceptor's READY). */
    private void startTls(Connection c) {
        tls.start(c.session); // client mode: sends its ClientHello now
        // A failed TLS handshake (an untrusted certificate) can leave MINA's session open and
        // silent without idle events; give up on it ourselves so that the dialer redials.
        server.context().timer().schedule(() -> {
            if (c.role == Connection.Role.DIALING && !c.helloSent) {
                String why = "TLS with peer " + c.link.peer + " did not come up within " + PeerLink.SILENCE_SECONDS
                        + " s (is its certificate in the trust store?)";
                refuse(c, why);
                c.abandon(why);
            }
        }, PeerLink.SILENCE_SECONDS, java.util.concurrent.TimeUnit.SECONDS);
    }

    /**
     * Acceptor: TLS is up; tell the dialer to go on. The dialer waits for this line rather
     * than writing as soon as its own side of the handshake is done, because MINA 2.2's TLS
     * filter drops application data that arrives in the same read as the handshake's last
     * message. (TLS 1.3 only, so the acceptor's side always finishes last.)
     */
    void tlsSecured(Connection c) {
        if (c.role == Connection.Role.NEW && c.link != null) {
            c.link.write(c.session, PeerTls.READY + " " + server.name());
        }
    }

    /** Dialer: the first line on a new link connection (a request for TLS first, if configured). */
    void open(Connection c) {
        if (tls != null) {
            c.link.write(c.session, PeerTls.REQUEST + " " + server.name() + " " + c.link.peer);
        } else {
            hello(c);
        }
    }

    private void hello(Connection c) {
        c.helloSent = true;
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
        boolean wasTls = c.link != null; // acceptTls kept the link it switched for
        c.role = Connection.Role.AUTHENTICATING;
        c.link = link;
        c.party = Party.peer(link.peer);
        PeerLink.watch(c.session);
        server.stats.clientsOpen.decrementAndGet(); // counted as a client when it opened
        received(c, line);
        if (link.isCut() || !server.isUp()) {
            c.close("refused peer " + link.peer + ": link is cut");
        } else if (tls != null && !wasTls) {
            refuse(c, "peer " + link.peer + " at " + address(c) + " did not start TLS, which this server requires");
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
        if (tls != null && !PeerTls.isOn(c.session)) {
            if (line && f.size() == 2 && f.get(0).equals(PeerTls.ACCEPT) && f.get(1).equals(peer)) {
                startTls(c);
            } else {
                refuse(c, "peer " + peer + " did not agree to TLS (is TLS configured there?)");
            }
        } else if (tls != null && !c.helloSent) {
            if (line && f.size() == 2 && f.get(0).equals(PeerTls.READY) && f.get(1).equals(peer)) {
                hello(c);
            } else {
                refuse(c, "peer " + peer + " did not complete the TLS switch");
            }
        } else if (line && f.size() == 4 && f.get(0).equals(CHALLENGE) && f.get(1).equals(peer) && c.peerNonce == null) {
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
