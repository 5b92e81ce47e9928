package herd.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/** One server's live counters; cheap to bump from many I/O threads at once. */
final class ServerStatsCounters {
    final LongAdder clientLinesIn = new LongAdder();
    final LongAdder repliesOut = new LongAdder();
    final LongAdder peerLinesIn = new LongAdder();
    final LongAdder peerLinesOut = new LongAdder();
    final LongAdder learned = new LongAdder();
    final AtomicInteger clientsOpen = new AtomicInteger();

    ServerStats snapshot(int knownClients) {
        return new ServerStats(clientLinesIn.sum(), repliesOut.sum(), peerLinesIn.sum(), peerLinesOut.sum(),
                learned.sum(), clientsOpen.get(), knownClients);
    }
}
