package herd.engine.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import herd.engine.DurationHistogram;
import herd.engine.io.LineFramer;
import herd.engine.node.NodeCounters;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What a server counts of its peers' lines, without sockets: Holiday, linked to Welsh and
 * Goloman over in-memory connections, reads lines from Welsh at a fixed clock.
 */
class PeerCountersTest {

    /** TestNode's clock, in whole seconds since the epoch. */
    static final long NOW = Instant.parse("2026-12-03T12:00:00Z").getEpochSecond();

    final MemoryChannel.Net net = new MemoryChannel.Net();
    final TestNode holiday = new TestNode("Holiday");
    final PeerLink toWelsh = holiday.link("Welsh");
    final PeerLink toGoloman = holiday.link("Goloman");
    final FloodRouter router = new FloodRouter(holiday.node, holiday.table, List.of(toWelsh, toGoloman));
    final PeerInput input = new PeerInput(holiday.node, new PeerHandshake(holiday.node, PeerAuth.NONE, false,
            n -> null), router);
    final MemoryChannel welsh = MemoryChannel.pair(net)[0];
    final MemoryChannel goloman = MemoryChannel.pair(net)[0];
    final PeerSession fromWelsh = new PeerSession(toWelsh, welsh, true, PeerHandshake.State.UP);
    final NodeCounters counters = holiday.node.counters();

    PeerCountersTest() {
        toWelsh.attach(welsh);
        toGoloman.attach(goloman);
    }

    private void fromWelsh(String line) {
        input.onFrame(fromWelsh, LineFramer.Frame.detached(line, false));
    }

    @Test
    void anUpdateLearnedLiveIsCountedLearnedForwardedAndAgedFromItsFirstServersReceiveTime() {
        // Welsh received it 0.3 s before Holiday's clock: client time NOW - 0.4, difference +0.1.
        fromWelsh("AT Welsh +0.100000000 kiwi +1+1 " + (NOW - 1) + ".600000000");
        assertEquals(1, counters.learned.sum());
        assertEquals(1, counters.forwarded.sum(), "to Goloman, not back to Welsh");
        DurationHistogram age = counters.updateAge.snapshot();
        assertEquals(1, age.count());
        assertEquals(0.3, age.sumSeconds(), 1e-9);
        assertEquals(1, age.bucketCounts().get(age.upperBoundsSeconds().indexOf(0.5)), "0.3 s is in (0.25, 0.5]");

        fromWelsh("AT Welsh +0.100000000 kiwi +1+1 " + (NOW - 1) + ".600000000");
        assertEquals(1, counters.learned.sum(), "a copy that is not newer");
        assertEquals(1, counters.forwarded.sum());
        assertEquals(1, counters.updateAge.snapshot().count(), "only updates learned are aged");
        assertEquals(2, counters.peerLinesIn.sum());
    }

    @Test
    void aRecordThisServerCannotTakeIsCountedSkipped() {
        fromWelsh("AT Welsh nonsense");
        fromWelsh("AT Welsh +0.000000000 kiwi +1+1 " + (NOW + 7200)); // two hours ahead of Holiday's clock
        fromWelsh("HERD-SOMETHING-NEW 1");
        input.onFrame(fromWelsh, LineFramer.Frame.detached("AT Welsh +0.0000", true)); // over-long
        assertEquals(4, counters.peerRecordsSkipped.sum());
        assertEquals(0, counters.learned.sum());
        assertEquals(0, counters.updateAge.snapshot().count());
    }

    @Test
    void aReportOfAnExactDecimalTimeIsLearnedButNotAged() {
        fromWelsh("AT Welsh +0.000000000 kiwi +1+1 " + (NOW - 1) + ".0000000001");
        assertEquals(1, counters.learned.sum());
        assertEquals(0, counters.updateAge.snapshot().count());
    }

    @Test
    void linksCountTheirUpsAndDowns() {
        assertEquals(1, toWelsh.ups());
        toWelsh.closed(welsh, "test");
        toWelsh.closed(welsh, "closed twice: one down");
        assertEquals(1, toWelsh.downs());
        MemoryChannel again = MemoryChannel.pair(net)[0];
        toWelsh.attach(again);
        assertEquals(2, toWelsh.ups());
        assertEquals(0, toGoloman.downs());
    }

    @Test
    void aLinkThatIsDownIsForwardedNothing() {
        toGoloman.closed(goloman, "test");
        fromWelsh("AT Welsh +0.100000000 kiwi +1+1 " + (NOW - 1));
        assertEquals(1, counters.learned.sum());
        assertEquals(0, counters.forwarded.sum());
    }
}
