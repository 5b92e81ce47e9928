package herd.engine.node;

import herd.engine.LinkMetrics;
import herd.engine.PlacesStats;
import herd.engine.ServerMetrics;
import herd.engine.ServerStats;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;

/**
 * One server's live counters; cheap to bump from many I/O threads at once, and read only
 * when someone asks (stats, a metrics scrape). A client line is counted once, under the
 * kind of answer it got. The count of open client connections is {@code
 * server.ClientSlots}', the one owner of client slots; each link counts its own ups and downs.
 */
public final class NodeCounters {
    /** Client lines answered with an AT line. */
    public final LongAdder iamatIn = new LongAdder();
    /** Client lines answered with a WHATSAT reply. */
    public final LongAdder whatsatIn = new LongAdder();
    /** Client lines answered {@code ? line}. */
    public final LongAdder invalidIn = new LongAdder();
    /** Client lines not answered: blank, or refused with their connection (maxClients). */
    public final LongAdder ignoredIn = new LongAdder();
    public final LongAdder repliesOut = new LongAdder();
    public final LongAdder peerLinesIn = new LongAdder();
    public final LongAdder peerLinesOut = new LongAdder();
    public final LongAdder learned = new LongAdder();
    public final LongAdder forwarded = new LongAdder();
    public final LongAdder peerRecordsSkipped = new LongAdder();
    /** WHATSAT: from its line read to its reply handed to the connection. */
    public final DurationBuckets whatsAtLatency = new DurationBuckets();
    /** An update learned live from a peer: arrival here minus the first server's receive time. */
    public final DurationBuckets updateAge = new DurationBuckets();

    public ServerStats snapshot(int clientsOpen, int knownClients) {
        long clientLinesIn = iamatIn.sum() + whatsatIn.sum() + invalidIn.sum() + ignoredIn.sum();
        return new ServerStats(clientLinesIn, repliesOut.sum(), peerLinesIn.sum(), peerLinesOut.sum(),
                learned.sum(), clientsOpen, knownClients);
    }

    public ServerMetrics metrics(boolean up, int clientsOpen, int knownClients, PlacesStats places,
                                 Map<String, LinkMetrics> links) {
        // Each kind is read once, so the stats' clientLinesIn is the kinds added up.
        long iamat = iamatIn.sum();
        long whatsat = whatsatIn.sum();
        long invalid = invalidIn.sum();
        long ignored = ignoredIn.sum();
        ServerStats stats = new ServerStats(iamat + whatsat + invalid + ignored, repliesOut.sum(), peerLinesIn.sum(),
                peerLinesOut.sum(), learned.sum(), clientsOpen, knownClients);
        return new ServerMetrics(up, stats, iamat, whatsat, invalid, ignored, forwarded.sum(),
                peerRecordsSkipped.sum(), places, links, whatsAtLatency.snapshot(), updateAge.snapshot());
    }
}
