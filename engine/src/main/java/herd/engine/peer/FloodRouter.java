package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.Party;
import herd.engine.node.NodeContext;
import herd.engine.protocol.ClientId;
import herd.engine.protocol.ClientTime;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The flooding rule of SPEC §3: a report newer than the stored one for its client is
 * stored and forwarded to every live neighbour except the one it came from; anything else
 * is dropped. Reports that arrive in a table repair are stored but not forwarded: a
 * repair is answered by the digests of both ends, and a server that learned from one asks
 * its neighbours for another round once no repair is coming in any more
 * ({@link #repairFinished}), so a restarted server does not echo the whole table back to
 * its other neighbours. Thread-safe: called from any I/O thread.
 */
public final class FloodRouter {

    private final NodeContext node;
    private final LocationTable table;
    /** This server's links now; replaced whole when a config reload adds or removes one. */
    private volatile PeerLink[] links;
    /** Reports learned from repairs since this server last asked its neighbours for a round. */
    private final AtomicLong learnedByRepair = new AtomicLong();

    public FloodRouter(NodeContext node, LocationTable table, Collection<PeerLink> links) {
        this.node = node;
        this.table = table;
        useLinks(links);
    }

    /**
     * Floods to {@code next} from now on (a config reload added or removed links). A report
     * being forwarded meanwhile goes to the links of before or of after, never to neither:
     * a link that is new gets it in its table repair when it comes up.
     */
    public void useLinks(Collection<PeerLink> next) {
        for (PeerLink link : next) {
            link.useRouter(this);
        }
        links = next.toArray(new PeerLink[0]);
    }

    /** True when a repair is coming in on a link of this server other than {@code except}. */
    boolean repairComingExcept(PeerLink except) {
        for (PeerLink link : links) {
            if (link != except && link.repairComing()) {
                return true;
            }
        }
        return false;
    }

    /**
     * Offers the report of the client with key {@code clientId} ({@link ClientId}) at
     * {@code time}, whose AT line is {@code atLine} (never changed afterwards: the table, the
     * log and every link share it), from a client
     * ({@code source} null) or through the link {@code source}; true when it was newer,
     * stored and forwarded.
     */
    public boolean offer(String clientId, ClientTime time, byte[] atLine, Party from, PeerLink source) {
        if (!table.offer(clientId, time, atLine)) {
            return false;
        }
        node.counters().learned.increment();
        node.events().learned(node.now(), atLine, from);
        for (PeerLink link : links) {
            if (link != source) {
                link.send(clientId, time, atLine);
            }
        }
        return true;
    }

    /**
     * Stores a report that arrived in a table repair through {@code source} if it is newer,
     * without forwarding it; true when stored.
     */
    boolean repaired(String clientId, ClientTime time, byte[] atLine, PeerLink source) {
        if (!table.offer(clientId, time, atLine)) {
            return false;
        }
        learnedByRepair.incrementAndGet();
        node.counters().learned.increment();
        node.events().learned(node.now(), atLine, source.party);
        return true;
    }

    /**
     * A repair coming in has finished (or its link went down): once none is coming in on any
     * link, and this server learned anything from them, it asks every neighbour for another
     * round, so that what it learned from one reaches the others (the rounds stop when nobody
     * learns anything); otherwise it asks only the neighbours it put off while the repair came
     * in. So a server relearning its table takes it from one neighbour, then checks the others.
     */
    void repairFinished() {
        for (PeerLink link : links) {
            if (link.repairComing()) {
                return;
            }
        }
        boolean learned = learnedByRepair.getAndSet(0) > 0;
        for (PeerLink link : links) {
            if (learned) {
                link.resync();
            } else {
                link.sendOwedDigest();
            }
        }
    }

    /**
     * False when {@code time} is certainly not newer than {@code clientId}'s stored report, so
     * {@link #offer} would drop it; a true answer is checked again by {@code offer}.
     */
    public boolean mayTake(String clientId, ClientTime time) {
        return table.mayBeNewer(clientId, time);
    }

    /** {@link #offer(String, ClientTime, byte[], Party, PeerLink)} for a report object (tests). */
    public boolean offer(LocationReport report, Party from, PeerLink source) {
        return offer(ClientId.key(report.clientId()), ClientTime.parse(report.clientTime()),
                report.atLine().getBytes(StandardCharsets.UTF_8), from, source);
    }
}
