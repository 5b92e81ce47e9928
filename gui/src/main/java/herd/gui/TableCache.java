package herd.gui;

import herd.engine.HerdServer;
import herd.engine.LocationReport;
import herd.engine.ServerStats;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each server's location table as last read, read again only when it has changed. Reading a table copies and parses every client's report (5,000 clients on
 * five servers, 30 times a second, was nearly all of the monitor's idle cost), so a table is
 * known unchanged from the server's counters instead: every report a table stores counts as
 * {@link ServerStats#learned()}, and a table is forgotten only when its server goes down. The
 * counters are read before the table, so a table read is at least as new as the counters
 * that asked for it; a report stored in between is read again at the next poll.
 *
 * <p>{@link #generation()} moves whenever a table read anew replaced the one held, or a
 * server left: what the convergence grid recomputes on. Not thread-safe: one thread uses it
 * (the {@link GridWorker}'s).
 */
final class TableCache {

    private record Version(boolean up, long learned, int knownClients) {
    }

    private record Held(Version version, List<LocationReport> table) {
    }

    private final Map<String, Held> held = new HashMap<>();
    private long generation;

    /**
     * {@code server}'s table: the one held while its counters say it has not changed, else
     * read anew.
     *
     * @param up    whether the server was up when {@code stats} were taken
     * @param stats its counters, taken before this call
     */
    List<LocationReport> table(HerdServer server, boolean up, ServerStats stats) {
        Version now = new Version(up, stats.learned(), stats.knownClients());
        Held h = held.get(server.name());
        if (h != null && h.version().equals(now)) {
            return h.table();
        }
        List<LocationReport> table = up ? server.locations() : List.of();
        held.put(server.name(), new Held(now, table));
        generation++;
        return table;
    }

    /** Forgets the servers no longer in the herd. */
    void keepOnly(Collection<String> servers) {
        if (held.keySet().retainAll(servers)) {
            generation++;
        }
    }

    /** Moves whenever a table held changed. */
    long generation() {
        return generation;
    }
}
