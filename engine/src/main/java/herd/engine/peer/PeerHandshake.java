package herd.engine.peer;

import herd.engine.io.LineFramer;
import herd.engine.node.NodeContext;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * Opens peer links, both sides (README "Flooding between servers"), as a state machine: a
 * connection's {@link State} says which message it waits for, and each message either moves
 * it on or refuses it. Without a shared secret the dialer sends {@code HERD-PEER dialer
 * acceptor} and the acceptor answers {@code HERD-PEER-OK acceptor}. With one, each side
 * proves it knows the secret:
 * <pre>
 * dialer:   HERD-PEER dialer acceptor nonceD          HELLO_SENT
 * acceptor: HERD-PEER-CHALLENGE acceptor nonceA proofA CHALLENGED
 * dialer:   HERD-PEER-PROOF dialer proofD             PROOF_SENT
 * acceptor: HERD-PEER-OK acceptor                     UP (both)
 * </pre>
 * With TLS, the dialer first asks {@code HERD-PEER-TLS dialer acceptor} (TLS_REQUESTED), the
 * acceptor answers {@code HERD-PEER-TLS-OK acceptor} in plain text and both switch
 * (TLS_ACCEPTED, TLS_STARTING); the acceptor says {@code HERD-PEER-TLS-READY acceptor}
 * inside TLS and the exchange above follows. Any failure closes the connection with an
 * {@code ERROR} line in the log. Runs on the connection's I/O thread; one timer task reads
 * the state.
 *
 * <p>An accepted connection is offered to its link ({@link PeerLink#offered}, where the
 * link's dialler keeps at most one connection in hand) at its first line when peers do not
 * authenticate, but only once it has proved the secret when they do. So a stranger who
 * knows a neighbour's name, and not the secret, holds no place of the neighbour's: it cannot
 * close a handshake of the neighbour's in flight, cancel the dialler's pending redial, or
 * keep the dialler from dialling while it stalls. Nor can it replace a link that is up,
 * which happens only in {@link #up}, after the proof: a proved connection from the link's
 * dialler replaces the one up (the dialler has given that one up), as without a secret.
 */
public final class PeerHandshake {

    /** Where a peer connection stands; each waits for one kind of message. */
    public enum State {
        /** Dialer, connected, nothing sent yet. */
        DIALLED,
        /** Dialer: asked for TLS; waits for {@code HERD-PEER-TLS-OK}. */
        TLS_REQUESTED,
        /** Dialer: TLS starting; waits for {@code HERD-PEER-TLS-READY}. */
        TLS_STARTING,
        /** Dialer: hello sent; waits for the challenge (with a secret) or the welcome. */
        HELLO_SENT,
        /** Dialer: proof sent; waits for the welcome. */
        PROOF_SENT,
        /** Acceptor: agreed to TLS; waits for the hello inside it. */
        TLS_ACCEPTED,
        /** Acceptor: challenge sent; waits for the proof. */
        CHALLENGED,
        /** The link is up on this connection. */
        UP,
        /** Refused; the connection is closing. */
        REFUSED
    }

    private final NodeContext node;
    private final PeerAuth auth;
    private final boolean tls;
    private final Function<String, PeerLink> links;

    /**
     * @param tls   true when this server's links must run TLS
     * @param links this server's link to a neighbour, by name (null for a stranger)
     */
    public PeerHandshake(NodeContext node, PeerAuth auth, boolean tls, Function<String, PeerLink> links) {
        this.node = node;
        this.auth = auth;
        this.tls = tls;
        this.links = links;
    }

    /**
     * Dialer: the first line on a new link connection (a request for TLS first, if
     * configured); nothing, and the connection closed, when its link no longer needs it.
     */
    public void open(PeerSession ps) {
        if (!ps.link.opening()) {
            ps.state = State.REFUSED;
            ps.channel.close("the link to " + ps.link.peer + " no longer needs this connection");
            return;
        }
        ps.channel.watchForSilence();
        if (tls) {
            ps.state = State.TLS_REQUESTED;
            send(ps, new PeerMessage.TlsRequest(node.name(), ps.link.peer));
        } else {
            hello(ps);
        }
    }

    /**
     * Acceptor: the first line of an accepted connection. When it is a peer's first line
     * ({@code HERD-PEER-TLS} if this server speaks TLS, or {@code HERD-PEER}) naming this
     * server and a neighbour (the link's dialler, or the other end announcing itself), the
     * connection becomes that neighbour's and its session is returned; otherwise empty, and
     * the line is a client's. A second connection for a link its dialler already has in hand
     * is closed without an error (see {@link PeerLink#offered}): at once without a secret,
     * after its proof with one.
     */
    public Optional<PeerSession> accept(PeerChannel channel, String line) {
        Optional<PeerMessage> parsed = PeerMessage.parse(line);
        if (parsed.isEmpty()) {
            return Optional.empty();
        }
        if (parsed.get() instanceof PeerMessage.TlsRequest request && tls && request.acceptor().equals(node.name())) {
            PeerLink link = links.apply(request.dialer());
            if (link == null) {
                return Optional.empty();
            }
            PeerSession ps = open(channel, link, State.TLS_ACCEPTED, line);
            if (!auth.enabled() && refusedAsSecond(ps)) {
                return Optional.of(ps);
            }
            // No byte may reach the framer between the answer and the TLS filter: stop
            // reading until the plain-text answer is on the wire and the filter is in place.
            channel.suspendRead();
            link.sent(new PeerMessage.TlsAccept(node.name()).line());
            channel.sendThen(new PeerMessage.TlsAccept(node.name()).line(), () -> {
                channel.startTls(false);
                channel.resumeRead();
            });
            return Optional.of(ps);
        }
        if (parsed.get() instanceof PeerMessage.Hello hello && hello.acceptor().equals(node.name())) {
            PeerLink link = links.apply(hello.dialer());
            if (link == null) {
                return Optional.empty();
            }
            PeerSession ps = open(channel, link, State.TLS_ACCEPTED, line);
            if (auth.enabled() || !refusedAsSecond(ps)) {
                hello(ps, hello, false);
            }
            return Optional.of(ps);
        }
        return Optional.empty();
    }

    /** Closes {@code ps} if its link keeps another connection (not an error: both ends dialled). */
    private static boolean refusedAsSecond(PeerSession ps) {
        String why = ps.link.offered(ps.channel);
        if (why == null) {
            return false;
        }
        ps.state = State.REFUSED;
        ps.channel.close(why);
        return true;
    }

    private PeerSession open(PeerChannel channel, PeerLink link, State state, String firstLine) {
        PeerSession ps = new PeerSession(link, channel, false, state);
        channel.becomePeer(link.peer);
        channel.watchForSilence();
        received(ps, firstLine);
        return ps;
    }

    /** A line on a peer connection whose handshake is not done. */
    public void onLine(PeerSession ps, LineFramer.Frame frame) {
        received(ps, frame.text());
        PeerMessage m = frame.overlong() ? null : PeerMessage.parse(frame.text()).orElse(null);
        String peer = ps.link.peer;
        switch (ps.state) {
            case TLS_REQUESTED -> {
                if (m instanceof PeerMessage.TlsAccept a && a.acceptor().equals(peer)) {
                    startTls(ps);
                } else {
                    refuse(ps, "peer " + peer + " did not agree to TLS (is TLS configured there?)");
                }
            }
            case TLS_STARTING -> {
                if (m instanceof PeerMessage.TlsReady r && r.acceptor().equals(peer)) {
                    hello(ps);
                } else {
                    refuse(ps, "peer " + peer + " did not complete the TLS switch");
                }
            }
            case HELLO_SENT -> {
                if (m instanceof PeerMessage.Challenge c && c.acceptor().equals(peer)) {
                    onChallenge(ps, c);
                } else if (m instanceof PeerMessage.Welcome w && w.acceptor().equals(peer) && !auth.enabled()) {
                    up(ps);
                } else {
                    refuse(ps, "peer " + peer + " did not complete the handshake");
                }
            }
            case PROOF_SENT -> {
                if (m instanceof PeerMessage.Welcome w && w.acceptor().equals(peer)) {
                    up(ps);
                } else {
                    refuse(ps, "peer " + peer + " did not complete the handshake");
                }
            }
            case TLS_ACCEPTED -> {
                if (m instanceof PeerMessage.Hello h && h.dialer().equals(peer) && h.acceptor().equals(node.name())) {
                    hello(ps, h, true);
                } else {
                    refuse(ps, "peer " + peer + " did not complete the handshake");
                }
            }
            case CHALLENGED -> onProof(ps, m);
            default -> refuse(ps, "peer " + peer + " did not complete the handshake");
        }
    }

    /**
     * Acceptor: TLS is up; tell the dialer to go on. The dialer waits for this line rather
     * than writing as soon as its own side of the handshake is done, because MINA 2.2's TLS
     * filter drops application data that arrives in the same read as the handshake's last
     * message. (TLS 1.3 only, so the acceptor's side always finishes last.)
     */
    public void tlsSecured(PeerSession ps) {
        if (!ps.dialled && ps.state == State.TLS_ACCEPTED) {
            send(ps, new PeerMessage.TlsReady(node.name()));
        }
    }

    /** Dialer: the acceptor agreed to TLS; switch (the hello follows the acceptor's READY). */
    private void startTls(PeerSession ps) {
        ps.state = State.TLS_STARTING;
        ps.channel.startTls(true); // client mode: sends its ClientHello now
        // A failed TLS handshake (an untrusted certificate) can leave MINA's session open and
        // silent without idle events; give up on it ourselves so that the dialer redials.
        node.timer().schedule(() -> {
            if (ps.state == State.TLS_STARTING) {
                String why = "TLS with peer " + ps.link.peer + " did not come up within " + PeerLink.SILENCE_SECONDS
                        + " s (is its certificate in the trust store?)";
                refuse(ps, why);
                if (ps.channel.abandon()) {
                    ps.link.closed(ps.channel, why);
                }
            }
        }, PeerLink.SILENCE_SECONDS, TimeUnit.SECONDS);
    }

    private void hello(PeerSession ps) {
        ps.state = State.HELLO_SENT;
        if (auth.enabled()) {
            ps.nonce = PeerAuth.nonce();
        }
        send(ps, new PeerMessage.Hello(node.name(), ps.link.peer, ps.nonce));
    }

    /** Acceptor: the dialer's hello, plain or inside TLS ({@code overTls}). */
    private void hello(PeerSession ps, PeerMessage.Hello hello, boolean overTls) {
        String peer = ps.link.peer;
        String at = " at " + ps.channel.remoteAddress();
        if (ps.link.isCut() || !node.isUp()) {
            ps.state = State.REFUSED;
            ps.channel.close("refused peer " + peer + ": link is cut");
        } else if (tls && !overTls) {
            refuse(ps, "peer " + peer + at + " did not start TLS, which this server requires");
        } else if (auth.enabled() && hello.nonce() == null) {
            refuse(ps, "peer " + peer + at + " did not authenticate, and this server requires it"
                    + " (the cookie or the shared secret)");
        } else if (!auth.enabled() && hello.nonce() != null) {
            refuse(ps, "peer " + peer + at + " offered authentication, but this server does not authenticate peers"
                    + " (security.peerAuth \"none\")");
        } else if (auth.enabled()) {
            ps.state = State.CHALLENGED;
            ps.nonce = PeerAuth.nonce();
            ps.peerNonce = hello.nonce();
            send(ps, new PeerMessage.Challenge(node.name(), ps.nonce,
                    auth.acceptorProof(node.name(), peer, ps.peerNonce, ps.nonce)));
        } else {
            welcome(ps);
        }
    }

    /** Dialer: the acceptor's challenge. */
    private void onChallenge(PeerSession ps, PeerMessage.Challenge c) {
        String peer = ps.link.peer;
        if (!auth.enabled()) {
            refuse(ps, "peer " + peer + " requires authentication, and this server does not authenticate peers"
                    + " (security.peerAuth \"none\")");
        } else if (!PeerAuth.same(auth.acceptorProof(peer, node.name(), ps.nonce, c.nonce()), c.proof())) {
            refuse(ps, "the server answering as peer " + peer + " at " + ps.channel.remoteAddress()
                    + " failed authentication");
        } else {
            ps.state = State.PROOF_SENT;
            ps.peerNonce = c.nonce();
            send(ps, new PeerMessage.Proof(node.name(), auth.dialerProof(node.name(), peer, ps.peerNonce, ps.nonce)));
        }
    }

    /** Acceptor: the dialer's proof; a proved connection is offered to its link only now. */
    private void onProof(PeerSession ps, PeerMessage m) {
        String expected = auth.dialerProof(ps.link.peer, node.name(), ps.nonce, ps.peerNonce);
        if (m instanceof PeerMessage.Proof p && p.dialer().equals(ps.link.peer) && PeerAuth.same(expected, p.proof())) {
            if (!node.isUp() || ps.link.isCut()) { // cut while it proved: no longer the link's to offer
                ps.state = State.REFUSED;
                ps.channel.close("refused peer " + ps.link.peer + ": link is cut");
            } else if (!refusedAsSecond(ps)) {
                welcome(ps);
            }
        } else {
            refuse(ps, "refused a connection from " + ps.channel.remoteAddress() + " claiming to be peer "
                    + ps.link.peer + ": authentication failed");
        }
    }

    private void welcome(PeerSession ps) {
        send(ps, new PeerMessage.Welcome(node.name()));
        up(ps);
    }

    private void up(PeerSession ps) {
        ps.state = State.UP;
        ps.link.attach(ps.channel);
    }

    private void send(PeerSession ps, PeerMessage m) {
        ps.channel.send(m.line());
        ps.link.sent(m.line());
    }

    private void received(PeerSession ps, String line) {
        node.counters().peerLinesIn.increment();
        node.events().lineIn(node.now(), ps.link.party, line);
    }

    private void refuse(PeerSession ps, String why) {
        ps.state = State.REFUSED;
        node.events().notice(node.now(), true, why);
        ps.channel.close(why);
    }
}
