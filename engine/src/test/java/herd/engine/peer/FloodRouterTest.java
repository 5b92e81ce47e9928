package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import herd.engine.HerdEvent;
import herd.engine.LocationReport;
import herd.engine.Party;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The flooding rule without sockets: Holiday between Goloman, Welsh and Wilkes over in-memory links. */
class FloodRouterTest {

    final MemoryChannel.Net net = new MemoryChannel.Net();
    final TestNode holiday = new TestNode("Holiday");
    final PeerLink toGoloman = holiday.link("Goloman");
    final PeerLink toWelsh = holiday.link("Welsh");
    final PeerLink toWilkes = holiday.link("Wilkes");
    final MemoryChannel goloman = up(toGoloman);
    final MemoryChannel welsh = up(toWelsh);
    final MemoryChannel wilkes = up(toWilkes);
    final FloodRouter router = new FloodRouter(holiday.node, holiday.table, List.of(toGoloman, toWelsh, toWilkes));

    /** Attaches {@code link} to a fresh in-memory connection; returns Holiday's end of it. */
    private MemoryChannel up(PeerLink link) {
        MemoryChannel ours = MemoryChannel.pair(net)[0];
        link.attach(ours);
        return ours;
    }

    private static LocationReport report(String client, String time) {
        return new LocationReport("Welsh", "+0.000000001", client, "+1+1", time);
    }

    @Test
    void aNewerReportIsStoredAndForwardedToEveryNeighbourButItsSource() {
        LocationReport r = report("kiwi", "10.5");
        assertTrue(router.offer(r, Party.peer("Welsh"), toWelsh));
        assertEquals(List.of(r.atLine()), goloman.reports());
        assertEquals(List.of(r.atLine()), wilkes.reports());
        assertEquals(List.of(), welsh.reports(), "never echoed to the link it came from");
        assertEquals(r, holiday.table.get("kiwi").orElseThrow());
        assertEquals(1, holiday.node.counters().learned.sum());
        assertTrue(holiday.events.stream().anyMatch(e -> e instanceof HerdEvent.LocationLearned l && l.report().equals(r)));
    }

    @Test
    void aClientsReportGoesToEveryNeighbour() {
        LocationReport r = report("kiwi", "1");
        assertTrue(router.offer(r, Party.client("127.0.0.1:5000"), null));
        assertEquals(List.of(r.atLine()), goloman.reports());
        assertEquals(List.of(r.atLine()), welsh.reports());
        assertEquals(List.of(r.atLine()), wilkes.reports());
    }

    @Test
    void anOlderOrEqualReportIsDroppedAndNotForwarded() {
        router.offer(report("kiwi", "10.50"), Party.peer("Welsh"), toWelsh);
        int before = goloman.reports().size();
        assertFalse(router.offer(report("kiwi", "10.5"), Party.peer("Wilkes"), toWilkes), "equal is not newer");
        assertFalse(router.offer(report("kiwi", "9.99999999999"), Party.peer("Wilkes"), toWilkes));
        assertEquals(before, goloman.reports().size());
        assertEquals("10.50", holiday.table.get("kiwi").orElseThrow().clientTime());
    }

    @Test
    void newestWinsWhateverTheOrderOfArrival() {
        router.offer(report("kiwi", "3"), Party.peer("Goloman"), toGoloman);
        router.offer(report("kiwi", "1"), Party.peer("Welsh"), toWelsh);
        router.offer(report("kiwi", "2.000000000000000000001"), Party.peer("Wilkes"), toWilkes);
        assertEquals("3", holiday.table.get("kiwi").orElseThrow().clientTime());
        router.offer(report("kiwi", "3.000000000000000000001"), Party.peer("Wilkes"), toWilkes);
        assertEquals("3.000000000000000000001", holiday.table.get("kiwi").orElseThrow().clientTime());
    }

    @Test
    void aLinkThatIsDownGetsNothingAndALinkThatComesUpStartsWithTheTablesDigest() {
        toGoloman.closed(goloman, "test");
        router.offer(report("kiwi", "1"), Party.peer("Welsh"), toWelsh);
        assertEquals(List.of(), goloman.reports());
        MemoryChannel again = MemoryChannel.pair(net)[0];
        // Welsh and Wilkes answer the digests their links started with: no repair is coming in
        // any more, so Goloman's link sends its digest at once (else it would wait its turn)
        toWelsh.repairDone(welsh);
        toWilkes.repairDone(wilkes);
        toGoloman.attach(again);
        assertEquals(List.of(), again.reports(), "the table's reports wait for the peer's digest");
        assertEquals(2, again.sent.size(), "one digest line and its end: " + again.sent);
        assertTrue(again.sent.get(1).startsWith("HERD-DIGEST-END 1024 1 "), again.sent.toString());
    }
}
