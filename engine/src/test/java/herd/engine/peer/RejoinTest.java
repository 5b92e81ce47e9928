package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.HerdEvent;
import herd.engine.LinkState;
import herd.engine.LocationReport;
import herd.engine.Party;
import herd.engine.io.LineFramer;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Both ends of one link over in-memory connections, with a timer the test runs: a server
 * that starts announces itself by dialling its neighbour, whichever end normally dials, and
 * two connections for one link become one, the same at both ends. Goloman's name sorts
 * first: it is the link's dialler, Hands the end that waits.
 */
class RejoinTest {

    /** One server: its end of the link, its handshake, and what its dials reach. */
    private final class Server {
        final TestNode node;
        final PeerLink link;
        final PeerHandshake handshake;
        final PeerInput input;
        Server other;
        /** Dials the test holds, to connect or fail them itself (when {@link #holdDials}). */
        final List<Object> heldDials = new ArrayList<>();
        boolean holdDials;
        int dials;

        Server(String name, String peer, PeerAuth auth, boolean tls) {
            node = new TestNode(name, timer);
            node.up = false;
            link = node.link(peer, (l, address, attempt) -> {
                dials++;
                if (holdDials) {
                    heldDials.add(attempt);
                } else {
                    net.later(attempt, () -> connect(this, attempt));
                }
            });
            handshake = new PeerHandshake(node.node, auth, tls, n -> n.equals(peer) ? link : null);
            input = new PeerInput(node.node, handshake, new FloodRouter(node.node, node.table, List.of(link)));
        }

        /** Listens and starts its link, as {@code HerdServer.bringUp} does. */
        void start() {
            node.up = true;
            link.start();
        }

        long linkUps() {
            return node.events.stream().filter(e -> e instanceof HerdEvent.LinkUp).count();
        }

        long linkDowns() {
            return node.events.stream().filter(e -> e instanceof HerdEvent.LinkDown).count();
        }

        /** How many times this server sent {@code report}'s AT line to its peer. */
        long sent(LocationReport report) {
            return node.events.stream().filter(e -> e instanceof HerdEvent.LineOut o && o.line().equals(report.atLine()))
                    .count();
        }
    }

    /** One connection made by a dial: who dialled, and its two ends. */
    private record Connection(Server dialler, MemoryChannel out, MemoryChannel in) {
        boolean open() {
            return out.closedWith == null && in.closedWith == null;
        }
    }

    MemoryChannel.Net net = new MemoryChannel.Net();
    final ManualTimer timer = new ManualTimer();
    final List<Connection> connections = new ArrayList<>();
    Server goloman;
    Server hands;

    private void servers(PeerAuth auth, boolean tls) {
        goloman = new Server("Goloman", "Hands", auth, tls);
        hands = new Server("Hands", "Goloman", auth, tls);
        goloman.other = hands;
        hands.other = goloman;
    }

    /** Completes a dial of {@code from}: refused when its peer is not up, else a connection whose first line the peer reads. */
    private void connect(Server from, Object attempt) {
        Server to = from.other;
        if (!to.node.up) {
            from.link.connectDone(attempt, false);
            return;
        }
        MemoryChannel[] pair = MemoryChannel.pair(net);
        MemoryChannel out = pair[0];
        MemoryChannel in = pair[1];
        connections.add(new Connection(from, out, in));
        PeerSession dialled = new PeerSession(from.link, out, true, PeerHandshake.State.DIALLED);
        from.link.connecting(attempt, out);
        out.receiver = line -> from.input.onFrame(dialled, LineFramer.Frame.detached(line, false));
        out.onClose = reason -> from.link.closed(out, reason);
        PeerSession[] accepted = new PeerSession[1];
        in.receiver = line -> {
            if (accepted[0] == null) {
                accepted[0] = to.handshake.accept(in, line).orElse(null);
                if (accepted[0] == null) {
                    in.send("? " + line);
                } else {
                    in.onSecured = () -> to.handshake.tlsSecured(accepted[0]);
                }
            } else {
                to.input.onFrame(accepted[0], LineFramer.Frame.detached(line, false));
            }
        };
        in.onClose = reason -> {
            if (accepted[0] != null) {
                to.link.closed(in, reason);
            }
        };
        from.link.connectDone(attempt, true);
        from.handshake.open(dialled);
    }

    private List<Connection> open() {
        return connections.stream().filter(Connection::open).toList();
    }

    private static LocationReport report(String server, String client) {
        return new LocationReport(server, "+0.000000001", client, "+1+1", "7");
    }

    @Test
    void bothEndsStartingAtOnceKeepOneConnectionWhateverTheOrderOfEvents() {
        // Goloman's and Hands' starts, dials, lines and closes in random orders: every time,
        // one connection carries the link at both ends, each end came up once (one table
        // exchange), nothing went down, nothing was logged as an error.
        int viaHands = 0;
        for (PeerAuth auth : List.of(PeerAuth.NONE, PeerAuth.withSecret("herd-secret"))) {
            for (boolean tls : List.of(false, true)) {
                for (int seed = 0; seed < 150; seed++) {
                    String run = auth + (tls ? " with TLS" : "") + ", seed " + seed;
                    net = new MemoryChannel.Net(new SplittableRandom(seed));
                    connections.clear();
                    servers(auth, tls);
                    LocationReport g = report("Goloman", "g-client");
                    LocationReport h = report("Hands", "h-client");
                    goloman.node.table.offer(g);
                    hands.node.table.offer(h);
                    net.later("goloman starts", goloman::start);
                    net.later("hands starts", hands::start);
                    for (int i = 0; i < 20 && !(goloman.link.state() == LinkState.UP && hands.link.state() == LinkState.UP); i++) {
                        net.run();
                        if (goloman.link.state() != LinkState.UP && !timer.pending().isEmpty()) {
                            timer.runNext(); // the dialler's redial, its first attempt having found Hands down
                        }
                    }
                    assertEquals(LinkState.UP, goloman.link.state(), run + ": " + goloman.node.notices());
                    assertEquals(LinkState.UP, hands.link.state(), run + ": " + hands.node.notices());
                    List<Connection> open = open();
                    assertEquals(1, open.size(), run + ": connections left open");
                    viaHands += open.get(0).dialler() == hands ? 1 : 0;
                    assertEquals(1, goloman.linkUps(), run);
                    assertEquals(1, hands.linkUps(), run);
                    assertEquals(0, goloman.linkDowns() + hands.linkDowns(), run);
                    assertEquals(List.of(), goloman.node.notices(), run);
                    assertEquals(List.of(), hands.node.notices(), run);
                    assertEquals(1, goloman.sent(g), run + ": Goloman's table sent once");
                    assertEquals(1, hands.sent(h), run + ": Hands' table sent once");
                    assertTrue(goloman.node.table.get("h-client").isPresent() && hands.node.table.get("g-client").isPresent(), run);
                }
            }
        }
        assertTrue(viaHands > 0, "some orders bring the link up on Hands' announcement");
    }

    @Test
    void aConnectionTheDiallerDoesNotKeepIsClosedQuietly() {
        servers(PeerAuth.NONE, false);
        goloman.node.up = true;
        hands.node.up = true;
        goloman.holdDials = true;
        goloman.link.start(); // Goloman's own dial is under way...
        hands.link.start();   // ...when Hands announces itself
        net.run();
        Connection announcement = connections.get(0);
        assertEquals(hands, announcement.dialler());
        assertEquals("a second connection for the link to Hands: Goloman keeps the one it has", announcement.in().closedWith);
        assertEquals("closed by remote", announcement.out().closedWith);
        assertEquals(List.of("HERD-PEER Hands Goloman"), announcement.out().sent);
        assertEquals(List.of(), announcement.in().sent, "refused without a word");
        assertEquals(List.of(), goloman.node.notices());
        assertEquals(List.of(), hands.node.notices());
        assertEquals(0, goloman.linkDowns() + hands.linkDowns());
        connect(goloman, goloman.heldDials.get(0));
        net.run();
        assertEquals(LinkState.UP, goloman.link.state());
        assertEquals(LinkState.UP, hands.link.state());
        assertEquals(List.of(connections.get(1)), open());
    }

    @Test
    void anAnnouncementIsTakenAtOnceWhileTheDiallerWaitsOutItsBackoff() {
        servers(PeerAuth.NONE, false);
        goloman.start();
        net.run();
        // Hands is down: Goloman's dials fail until its backoff reaches the cap
        while (timer.pending().get(0).delayMillis < 1000) {
            timer.runNext();
            net.run();
        }
        ManualTimer.Task redial = timer.pending().get(0);
        hands.start();
        net.run();
        assertEquals(LinkState.UP, goloman.link.state(), "up on Hands' announcement, no redial needed");
        assertEquals(LinkState.UP, hands.link.state());
        assertEquals(hands, open().get(0).dialler());
        assertTrue(redial.isCancelled(), "the pending redial is dropped");
        assertEquals(List.of(), timer.pending());
    }

    @Test
    void anAnnouncementRefusedForTheDiallersOwnAttemptMakesItsRetryImmediate() {
        servers(PeerAuth.NONE, false);
        goloman.holdDials = true;
        goloman.start();                   // dials Hands, still down: the attempt is under way...
        hands.start();                     // ...when Hands starts and announces itself: refused
        net.run();
        assertEquals(1, goloman.heldDials.size());
        hands.node.up = false;             // Goloman's attempt reached Hands before it listened
        connect(goloman, goloman.heldDials.get(0));
        hands.node.up = true;
        net.run();
        assertEquals(1, timer.pending().size());
        assertEquals(0, timer.pending().get(0).delayMillis, "the peer announced itself: no backoff");
        goloman.holdDials = false;
        timer.runNext();
        net.run();
        assertEquals(LinkState.UP, goloman.link.state());
        assertEquals(LinkState.UP, hands.link.state());
    }

    @Test
    void aPeerBackBeforeItsOldConnectionClosedIsRedialledAtOnce() {
        // Hands restarted, but Goloman has not yet seen its old connection close (the close
        // is on its way, or the network lost it): the announcement is refused, the old
        // connection probed at once, and redialled without backoff when it closes.
        servers(PeerAuth.NONE, false);
        goloman.start();
        hands.start();
        net.run();
        Connection old = open().get(0);
        MemoryChannel[] announcement = MemoryChannel.pair(net);
        assertTrue(goloman.handshake.accept(announcement[1], "HERD-PEER Hands Goloman").isPresent());
        assertEquals("a second connection for the link to Hands: Goloman keeps the one it has", announcement[1].closedWith);
        assertEquals(PeerMessage.HEARTBEAT, old.out().sent.get(old.out().sent.size() - 1), "the old connection probed");
        assertEquals(LinkState.UP, goloman.link.state(), "a healthy link is never replaced by a newer claimant");
        old.in().close("Hands taken down");
        net.run();
        assertEquals(1, goloman.linkDowns());
        assertEquals(1, timer.pending().size());
        assertEquals(0, timer.pending().get(0).delayMillis);
    }

    @Test
    void aStrangerWithoutTheSecretNeitherCancelsTheDiallersRedialNorKeepsItFromDialling() {
        // Without a secret, a hello claiming to be Hands is an announcement: the dialler drops
        // its backoff and waits for it. With one, nothing is offered to the link before a proof,
        // so a stranger that knows Hands' name and stalls holds the link down for no one.
        servers(PeerAuth.withSecret("herd-secret"), false);
        goloman.start();
        net.run();
        while (timer.pending().get(0).delayMillis < 1000) { // Hands is down: backing off
            timer.runNext();
            net.run();
        }
        ManualTimer.Task redial = timer.pending().get(0);
        MemoryChannel[] stranger = MemoryChannel.pair(net);
        PeerSession strangers = goloman.handshake.accept(stranger[1], "HERD-PEER Hands Goloman 00ff00ff00ff00ff")
                .orElseThrow();
        stranger[1].receiver = line -> goloman.input.onFrame(strangers, LineFramer.Frame.detached(line, false));
        net.run();
        assertTrue(stranger[1].sent.get(0).startsWith("HERD-PEER-CHALLENGE Goloman "), "challenged");
        assertFalse(redial.isCancelled(), "the stranger's hello does not stand for Hands");
        hands.node.up = true; // Hands listens (its own announcement lost): the redial finds it
        int dials = goloman.dials;
        timer.runNext();
        net.run();
        assertEquals(dials + 1, goloman.dials);
        assertEquals(LinkState.UP, goloman.link.state());
        assertEquals(LinkState.UP, hands.link.state());
        stranger[0].send("HERD-PEER-PROOF Hands " + "0".repeat(64));
        net.run();
        assertEquals(List.of("refused a connection from 10.0.0.1:40000 claiming to be peer Hands: authentication failed"),
                goloman.node.notices());
        assertEquals(LinkState.UP, goloman.link.state());
        assertEquals(0, goloman.linkDowns() + hands.linkDowns());
    }

    @Test
    void anAnnouncementThatFindsNoOneIsNotRetried() {
        // The end that waits dials once when it starts; if the dialler is down, the dialler
        // dials when it starts (and announces itself anyway).
        servers(PeerAuth.NONE, false);
        hands.start();
        net.run();
        assertEquals(1, hands.dials);
        assertEquals(List.of(), timer.pending(), "no redial from the end that waits");
        assertEquals(LinkState.WAITING, hands.link.state());
        goloman.start();
        net.run();
        assertEquals(LinkState.UP, hands.link.state());
        assertEquals(1, hands.dials);
        assertEquals(goloman, open().get(0).dialler());
    }

    @Test
    void aRestoredLinkIsDialledByItsDiallerOnly() {
        servers(PeerAuth.NONE, false);
        goloman.start();
        hands.start();
        net.run();
        goloman.link.cut();
        hands.link.cut();
        net.run();
        int before = hands.dials;
        hands.link.restore();
        goloman.link.restore();
        net.run();
        assertEquals(before, hands.dials, "only a server that starts announces itself");
        assertEquals(LinkState.UP, hands.link.state());
        assertFalse(open().isEmpty());
        assertNull(open().get(0).out().closedWith);
    }
}
