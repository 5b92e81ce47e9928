package herd.engine.node;

import herd.engine.ServerStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server's live counters; cheap to bump from many I/O threads at once. The count of
 * open client connections is {@code server.ClientSlots}', the one owner of client slots.
 */
public final class NodeCounters {
    public final LongAdder clientLinesIn = new LongAdder();
    public final LongAdder repliesOut = new LongAdder();
    public final LongAdder peerLinesIn = new LongAdder();
    public final LongAdder peerLinesOut = new LongAdder();
    public final LongAdder learned = new LongAdder();

    public ServerStats snapshot(int clientsOpen, int knownClients) {
        return new ServerStats(clientLinesIn.sum(), repliesOut.sum(), peerLinesIn.sum(), peerLinesOut.sum(),
                learned.sum(), clientsOpen, knownClients);
    }
}
