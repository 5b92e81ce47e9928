package herd.engine;

import java.util.Collection;

/**
 * The flooding rule of SPEC §3: a report newer than the stored one for its client is
 * stored and forwarded to every live neighbour except the one it came from; anything else
 * is dropped. Thread-safe: called from any I/O thread.
 */
final class FloodRouter {

    private final HerdServer server;
    private final LocationTable table;
    private final Collection<PeerLink> links;

    FloodRouter(HerdServer server, LocationTable table, Collection<PeerLink> links) {
        this.server = server;
        this.table = table;
        this.links = links;
    }

    /** Offers {@code report}; true when it was newer, stored and forwarded. */
    boolean offer(LocationReport report, Party from, PeerLink source) {
        if (!table.offer(report)) {
            return false;
        }
        server.stats.learned.increment();
        server.emit(new HerdEvent.LocationLearned(server.context().clock().instant(), server.name(), report, from));
        String line = report.atLine();
        for (PeerLink link : links) {
            if (link != source) {
                link.send(line);
            }
        }
        return true;
    }
}
