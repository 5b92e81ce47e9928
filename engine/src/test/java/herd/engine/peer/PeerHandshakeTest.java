package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.LinkState;
import herd.engine.io.LineFramer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Every path of the peer handshake, over in-memory channels: plain, with a shared secret,
 * with TLS, with both, and a refusal at each step. Goloman dials Hands (its name sorts first);
 * Hands dials Goloman only to announce itself when it starts.
 */
class PeerHandshakeTest {

    private static final PeerAuth SECRET = PeerAuth.withSecret("herd-secret");

    final MemoryChannel.Net net = new MemoryChannel.Net();
    final TestNode goloman = new TestNode("Goloman");
    final TestNode hands = new TestNode("Hands");
    final PeerLink golomanToHands = goloman.link("Hands");
    final PeerLink handsToGoloman = hands.link("Goloman");
    final MemoryChannel[] pair = MemoryChannel.pair(net);
    final MemoryChannel dialEnd = pair[0];
    final MemoryChannel acceptEnd = pair[1];
    /** Lines Hands answered as a client's, because they were no peer's first line. */
    final List<String> clientLines = new ArrayList<>();
    PeerSession acceptSession;

    private PeerHandshake dialer(PeerAuth auth, boolean tls) {
        return new PeerHandshake(goloman.node, auth, tls, n -> n.equals("Hands") ? golomanToHands : null);
    }

    private PeerHandshake acceptor(PeerAuth auth, boolean tls) {
        return new PeerHandshake(hands.node, auth, tls, n -> n.equals("Goloman") ? handsToGoloman : null);
    }

    /** Hands answers on {@code acceptEnd} as a server does: a peer's first line, or a client's. */
    private void acceptWith(PeerHandshake acceptor) {
        acceptEnd.receiver = line -> {
            if (acceptSession == null) {
                Optional<PeerSession> ps = acceptor.accept(acceptEnd, line);
                if (ps.isPresent()) {
                    acceptSession = ps.get();
                    acceptEnd.onSecured = () -> acceptor.tlsSecured(acceptSession);
                } else {
                    clientLines.add(line);
                    acceptEnd.send("? " + line);
                }
            } else if (!acceptSession.isUp()) { // table repair follows a link-up: not the handshake's
                acceptor.onLine(acceptSession, LineFramer.Frame.detached(line, false));
            }
        };
    }

    /** Goloman dials on {@code dialEnd}; returns its session. */
    private PeerSession dialWith(PeerHandshake dialer) {
        PeerSession ps = new PeerSession(golomanToHands, dialEnd, true, PeerHandshake.State.DIALLED);
        dialEnd.receiver = line -> {
            if (!ps.isUp()) { // table repair follows a link-up: not the handshake's
                dialer.onLine(ps, LineFramer.Frame.detached(line, false));
            }
        };
        dialer.open(ps);
        return ps;
    }

    private void handshake(PeerAuth dialAuth, boolean dialTls, PeerAuth acceptAuth, boolean acceptTls) {
        acceptWith(acceptor(acceptAuth, acceptTls));
        dialWith(dialer(dialAuth, dialTls));
        net.run();
    }

    private void assertUp() {
        assertEquals(LinkState.UP, golomanToHands.state(), "Goloman's end: " + goloman.notices());
        assertEquals(LinkState.UP, handsToGoloman.state(), "Hands' end: " + hands.notices());
        assertNull(dialEnd.closedWith);
        assertEquals(List.of(), goloman.notices());
        assertEquals(List.of(), hands.notices());
    }

    private static List<String> words(List<String> lines) {
        return lines.stream().map(l -> l.split(" ")[0]).toList();
    }

    private void assertRefusedBy(TestNode by, MemoryChannel end, String why) {
        assertEquals(why, end.closedWith);
        assertEquals(List.of(why), by.notices());
        assertTrue(golomanToHands.state() != LinkState.UP && handsToGoloman.state() != LinkState.UP);
    }

    @Test
    void plainLinkComesUp() {
        handshake(PeerAuth.NONE, false, PeerAuth.NONE, false);
        assertUp();
        assertEquals(List.of("HERD-PEER Goloman Hands"), dialEnd.handshakeSent());
        assertEquals(List.of("HERD-PEER-OK Hands"), acceptEnd.handshakeSent());
    }

    @Test
    void linkWithASharedSecretComesUpAfterBothProofs() {
        handshake(SECRET, false, SECRET, false);
        assertUp();
        assertEquals(List.of("HERD-PEER", "HERD-PEER-PROOF"), words(dialEnd.handshakeSent()));
        assertEquals(List.of("HERD-PEER-CHALLENGE", "HERD-PEER-OK"), words(acceptEnd.handshakeSent()));
    }

    @Test
    void linkWithTlsSwitchesBeforeTheHello() {
        handshake(PeerAuth.NONE, true, PeerAuth.NONE, true);
        assertUp();
        assertEquals(List.of("HERD-PEER-TLS Goloman Hands", "HERD-PEER Goloman Hands"), dialEnd.handshakeSent());
        assertEquals(List.of("HERD-PEER-TLS-OK Hands", "HERD-PEER-TLS-READY Hands", "HERD-PEER-OK Hands"), acceptEnd.handshakeSent());
        assertTrue(dialEnd.tlsStarted && acceptEnd.tlsStarted);
    }

    @Test
    void linkWithTlsAndASecretDoesBoth() {
        handshake(SECRET, true, SECRET, true);
        assertUp();
        assertEquals(List.of("HERD-PEER-TLS", "HERD-PEER", "HERD-PEER-PROOF"), words(dialEnd.handshakeSent()));
        assertEquals(List.of("HERD-PEER-TLS-OK", "HERD-PEER-TLS-READY", "HERD-PEER-CHALLENGE", "HERD-PEER-OK"),
                words(acceptEnd.handshakeSent()));
    }

    @Test
    void aDifferentSecretIsRefusedByTheDialer() {
        handshake(PeerAuth.withSecret("one"), false, PeerAuth.withSecret("other"), false);
        assertRefusedBy(goloman, dialEnd, "the server answering as peer Hands at 10.0.0.2:12010 failed authentication");
    }

    @Test
    void aWrongProofIsRefusedByTheAcceptor() {
        acceptWith(acceptor(SECRET, false));
        dialEnd.receiver = line -> { };
        acceptEnd.receiver.accept("HERD-PEER Goloman Hands 00ff");
        net.run();
        assertEquals("HERD-PEER-CHALLENGE", words(acceptEnd.handshakeSent()).get(0));
        acceptEnd.receiver.accept("HERD-PEER-PROOF Goloman " + "0".repeat(64));
        net.run();
        assertRefusedBy(hands, acceptEnd,
                "refused a connection from 10.0.0.1:40000 claiming to be peer Goloman: authentication failed");
    }

    @Test
    void aDialerWithoutTheSecretIsRefused() {
        handshake(PeerAuth.NONE, false, SECRET, false);
        assertRefusedBy(hands, acceptEnd,
                "peer Goloman at 10.0.0.1:40000 did not authenticate, and this server requires it (the cookie or the shared secret)");
    }

    @Test
    void aDialerOfferingASecretTheAcceptorLacksIsRefused() {
        handshake(SECRET, false, PeerAuth.NONE, false);
        assertRefusedBy(hands, acceptEnd,
                "peer Goloman at 10.0.0.1:40000 offered authentication, but this server does not authenticate peers (security.peerAuth \"none\")");
    }

    @Test
    void aChallengeToADialerWithoutTheSecretIsRefused() {
        acceptEnd.receiver = line -> { };
        dialWith(dialer(PeerAuth.NONE, false));
        net.run();
        dialEnd.receiver.accept("HERD-PEER-CHALLENGE Hands 00ff " + "0".repeat(64));
        assertRefusedBy(goloman, dialEnd, "peer Hands requires authentication, and this server does not authenticate peers (security.peerAuth \"none\")");
    }

    @Test
    void aPlainHelloToATlsServerIsRefused() {
        handshake(PeerAuth.NONE, false, PeerAuth.NONE, true);
        assertRefusedBy(hands, acceptEnd, "peer Goloman at 10.0.0.1:40000 did not start TLS, which this server requires");
    }

    @Test
    void aTlsRequestToAServerWithoutTlsIsAClientLineAndTheDialerGivesUp() {
        handshake(PeerAuth.NONE, true, PeerAuth.NONE, false);
        assertEquals(List.of("HERD-PEER-TLS Goloman Hands"), clientLines);
        assertRefusedBy(goloman, dialEnd, "peer Hands did not agree to TLS (is TLS configured there?)");
    }

    @Test
    void anythingButReadyAfterTheTlsSwitchIsRefused() {
        acceptEnd.receiver = line -> { };
        dialWith(dialer(PeerAuth.NONE, true));
        dialEnd.receiver.accept("HERD-PEER-TLS-OK Hands");
        assertTrue(dialEnd.tlsStarted);
        dialEnd.receiver.accept("HERD-PEER-OK Hands");
        assertRefusedBy(goloman, dialEnd, "peer Hands did not complete the TLS switch");
    }

    @Test
    void aWelcomeFromTheWrongServerIsRefused() {
        acceptEnd.receiver = line -> { };
        dialWith(dialer(PeerAuth.NONE, false));
        dialEnd.receiver.accept("HERD-PEER-OK Wilkes");
        assertRefusedBy(goloman, dialEnd, "peer Hands did not complete the handshake");
    }

    @Test
    void aStrangersHelloDoesNotCloseTheNeighboursHandshakeInFlight() {
        // Goloman's dial has had its challenge when a stranger says hello as Goloman: the
        // stranger is challenged too, and Goloman's handshake goes on as if it were alone.
        PeerHandshake acceptor = acceptor(SECRET, false);
        acceptWith(acceptor);
        PeerHandshake dialer = dialer(SECRET, false);
        PeerSession golomans = new PeerSession(golomanToHands, dialEnd, true, PeerHandshake.State.DIALLED);
        List<String> toGoloman = new ArrayList<>();
        dialEnd.receiver = toGoloman::add; // held, to let the stranger in between
        dialer.open(golomans);
        net.run();
        assertEquals(List.of("HERD-PEER-CHALLENGE"), words(toGoloman));
        MemoryChannel[] stranger = MemoryChannel.pair(net);
        PeerSession strangers = acceptor.accept(stranger[1], "HERD-PEER Goloman Hands 00ff00ff").orElseThrow();
        net.run();
        assertNull(acceptEnd.closedWith, "Goloman's handshake in flight is left alone");
        dialEnd.receiver = line -> {
            if (!golomans.isUp()) { // table repair follows a link-up
                dialer.onLine(golomans, LineFramer.Frame.detached(line, false));
            }
        };
        toGoloman.forEach(dialEnd.receiver);
        net.run();
        assertUp();
        acceptor.onLine(strangers, LineFramer.Frame.detached("HERD-PEER-PROOF Goloman " + "0".repeat(64), false));
        assertEquals("refused a connection from 10.0.0.1:40000 claiming to be peer Goloman: authentication failed",
                stranger[1].closedWith);
        assertEquals(LinkState.UP, handsToGoloman.state(), "the link stays on Goloman's connection");
        assertNull(acceptEnd.closedWith);
    }

    @Test
    void aSecondConnectionIsRefusedOnlyOnceItHasProvedTheSecret() {
        // Goloman, the dialler, has its link up when Hands, restarted, announces itself: the
        // announcement proves the secret, then is closed quietly, and the link's connection
        // is probed with a heartbeat (a connection the restarted Hands no longer knows).
        handshake(SECRET, false, SECRET, false);
        assertUp();
        TestNode restarted = new TestNode("Hands");
        PeerLink restartedToGoloman = restarted.link("Goloman");
        PeerHandshake golomanAccepting = new PeerHandshake(goloman.node, SECRET, false,
                n -> n.equals("Hands") ? golomanToHands : null);
        PeerHandshake handsDialling = new PeerHandshake(restarted.node, SECRET, false,
                n -> n.equals("Goloman") ? restartedToGoloman : null);
        MemoryChannel[] p = MemoryChannel.pair(net);
        PeerSession[] accepted = new PeerSession[1];
        p[1].receiver = line -> {
            if (accepted[0] == null) {
                accepted[0] = golomanAccepting.accept(p[1], line).orElseThrow();
            } else {
                golomanAccepting.onLine(accepted[0], LineFramer.Frame.detached(line, false));
            }
        };
        PeerSession announcement = new PeerSession(restartedToGoloman, p[0], true, PeerHandshake.State.DIALLED);
        p[0].receiver = line -> handsDialling.onLine(announcement, LineFramer.Frame.detached(line, false));
        handsDialling.open(announcement);
        net.run();
        assertEquals(List.of("HERD-PEER", "HERD-PEER-PROOF"), words(p[0].sent));
        assertEquals(List.of("HERD-PEER-CHALLENGE"), words(p[1].sent));
        assertEquals("a second connection for the link to Hands: Goloman keeps the one it has", p[1].closedWith);
        assertEquals(PeerMessage.HEARTBEAT, dialEnd.sent.get(dialEnd.sent.size() - 1), "the link's connection probed");
        assertEquals(LinkState.UP, golomanToHands.state());
        assertEquals(List.of(), goloman.notices());
        assertEquals(List.of(), restarted.notices());
    }

    @Test
    void aLinkCutWhileItsHelloWaitsForItsProofIsRefusedWithoutAnError() {
        PeerHandshake acceptor = acceptor(SECRET, false);
        acceptWith(acceptor);
        PeerHandshake dialer = dialer(SECRET, false);
        PeerSession golomans = new PeerSession(golomanToHands, dialEnd, true, PeerHandshake.State.DIALLED);
        List<String> toGoloman = new ArrayList<>();
        dialEnd.receiver = toGoloman::add;
        dialer.open(golomans);
        net.run();
        handsToGoloman.cut();
        dialEnd.receiver = line -> {
            if (!golomans.isUp()) { // table repair follows a link-up
                dialer.onLine(golomans, LineFramer.Frame.detached(line, false));
            }
        };
        toGoloman.forEach(dialEnd.receiver);
        net.run();
        assertEquals("refused peer Goloman: link is cut", acceptEnd.closedWith);
        assertEquals(List.of(), hands.notices());
        assertEquals(LinkState.CUT, handsToGoloman.state());
    }

    @Test
    void aCutLinkRefusesTheHelloWithoutAnError() {
        handsToGoloman.cut();
        handshake(PeerAuth.NONE, false, PeerAuth.NONE, false);
        assertEquals("refused peer Goloman: link is cut", acceptEnd.closedWith);
        assertEquals(List.of(), hands.notices(), "a cut is the operator's doing, not trouble");
        assertEquals(LinkState.CUT, handsToGoloman.state());
    }

    @Test
    void helloFromAStrangerIsAClientLine() {
        PeerHandshake acceptor = acceptor(PeerAuth.NONE, false);
        assertTrue(acceptor.accept(acceptEnd, "HERD-PEER Mallory Hands").isEmpty(), "not a neighbour");
        assertTrue(acceptor.accept(acceptEnd, "HERD-PEER Goloman Wilkes").isEmpty(), "names another server");
        assertTrue(acceptor.accept(acceptEnd, "HERD-PEER-TLS Goloman Hands").isEmpty(), "no TLS here");
    }

    @Test
    void theEndThatWaitsMayDialToAnnounceItselfOverEveryHandshake() {
        // Hands, whose name sorts second, dials Goloman when it starts (PeerLink.start).
        for (PeerAuth auth : List.of(PeerAuth.NONE, SECRET)) {
            for (boolean tls : List.of(false, true)) {
                TestNode g = new TestNode("Goloman");
                TestNode h = new TestNode("Hands");
                PeerLink gToH = g.link("Hands");
                PeerLink hToG = h.link("Goloman");
                PeerHandshake golomanAccepting = new PeerHandshake(g.node, auth, tls, n -> n.equals("Hands") ? gToH : null);
                PeerHandshake handsDialling = new PeerHandshake(h.node, auth, tls, n -> n.equals("Goloman") ? hToG : null);
                MemoryChannel[] p = MemoryChannel.pair(net);
                PeerSession[] accepted = new PeerSession[1];
                p[1].receiver = line -> {
                    if (accepted[0] == null) {
                        accepted[0] = golomanAccepting.accept(p[1], line).orElseThrow(() -> new AssertionError(line));
                        p[1].onSecured = () -> golomanAccepting.tlsSecured(accepted[0]);
                    } else if (!accepted[0].isUp()) { // table repair follows a link-up
                        golomanAccepting.onLine(accepted[0], LineFramer.Frame.detached(line, false));
                    }
                };
                PeerSession dialling = new PeerSession(hToG, p[0], true, PeerHandshake.State.DIALLED);
                p[0].receiver = line -> {
                    if (!dialling.isUp()) { // table repair follows a link-up
                        handsDialling.onLine(dialling, LineFramer.Frame.detached(line, false));
                    }
                };
                handsDialling.open(dialling);
                net.run();
                String variant = auth + (tls ? " with TLS" : "");
                assertEquals(LinkState.UP, gToH.state(), variant + ": " + g.notices());
                assertEquals(LinkState.UP, hToG.state(), variant + ": " + h.notices());
                assertTrue(p[0].handshakeSent().get(0).startsWith(tls ? "HERD-PEER-TLS Hands Goloman" : "HERD-PEER Hands Goloman"),
                        variant + ": " + p[0].handshakeSent());
                assertNull(p[0].closedWith, variant);
            }
        }
    }
}
