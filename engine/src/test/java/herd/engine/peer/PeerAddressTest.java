package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * A link asks where its peer is at every dial, not once: a neighbour whose host name now
 * resolves to another address (a machine replaced, a container rescheduled) is dialled there
 * at the next try. No sockets: the dialer records where it was sent and fails each attempt,
 * and the test runs the redials from a {@link ManualTimer}. Goloman's name sorts first, so
 * its end dials.
 */
class PeerAddressTest {

    private final ManualTimer timer = new ManualTimer();
    private final TestNode goloman = new TestNode("Goloman", timer);
    private final List<InetSocketAddress> dialled = new ArrayList<>();

    /** hands.example at {@code ip}, as a fresh lookup of the name would give it (no DNS asked here). */
    private static InetSocketAddress hands(String ip) throws UnknownHostException {
        return new InetSocketAddress(InetAddress.getByAddress("hands.example", InetAddress.getByName(ip).getAddress()), 12011);
    }

    private PeerLink link(Supplier<InetSocketAddress> where) {
        return new PeerLink(goloman.node, "Hands", where, (l, address, attempt) -> {
            dialled.add(address);
            l.connectDone(attempt, false); // nobody answers: the dialler backs off and redials
        }, goloman.table);
    }

    @Test
    void everyRedialGoesWhereThePeersNameResolvesNow() throws Exception {
        List<InetSocketAddress> answers = List.of(hands("10.0.0.1"), hands("10.0.0.1"), hands("10.0.0.2"), hands("10.0.0.3"));
        int[] asked = {0};
        PeerLink link = link(() -> answers.get(Math.min(asked[0]++, answers.size() - 1)));
        link.start(); // the announcement: the first dial
        for (int redial = 0; redial < 3; redial++) {
            assertEquals(1, timer.pending().size(), "one redial waits after each failed dial");
            timer.runNext();
        }
        assertEquals(answers, dialled, "one look-up per dial, in order");
        assertEquals(4, asked[0]);
    }

    @Test
    void aRestoredLinkDialsTheNewAddress() throws Exception {
        InetSocketAddress[] now = {hands("10.0.0.1")};
        PeerLink link = link(() -> now[0]);
        link.start();
        link.cut();
        now[0] = hands("10.0.0.9");
        link.restore();
        assertEquals(List.of(hands("10.0.0.1"), hands("10.0.0.9")), dialled);
    }
}
