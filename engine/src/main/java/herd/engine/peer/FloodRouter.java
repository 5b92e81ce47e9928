package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.Party;
import herd.engine.node.NodeContext;
import java.util.Collection;

/**
 * The flooding rule of SPEC §3: a report newer than the stored one for its client is
 * stored and forwarded to every live neighbour except the one it came from; anything else
 * is dropped. Thread-safe: called from any I/O thread.
 */
public final class FloodRouter {

    private final NodeContext node;
    private final LocationTable table;
    private final Collection<PeerLink> links;

    public FloodRouter(NodeContext node, LocationTable table, Collection<PeerLink> links) {
        this.node = node;
        this.table = table;
        this.links = links;
    }

    /**
     * Offers {@code report}, from a client ({@code source} null) or through the link
     * {@code source}; true when it was newer, stored and forwarded.
     */
    public boolean offer(LocationReport report, Party from, PeerLink source) {
        if (!table.offer(report)) {
            return false;
        }
        node.counters().learned.increment();
        String line = report.atLine(); // one string for the log and every link: the log reuses its bytes
        node.events().learned(node.now(), report, line, from);
        for (PeerLink link : links) {
            if (link != source) {
                link.send(line);
            }
        }
        return true;
    }
}
