package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.LinkState;
import herd.engine.LocationReport;
import herd.engine.ServerStats;
import herd.engine.config.Link;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One poll of every server of a running herd: what each pulse draws. Everything comes from
 * the servers' own public state at the moment of the poll, nothing from the monitor's
 * memory. Immutable once taken; taken on the JavaFX thread (the engine's getters are
 * thread-safe and never wait on the network).
 *
 * @param servers each server's state, in config order
 * @param links   the configured links
 */
record HerdSnapshot(Map<String, ServerSnapshot> servers, List<Link> links) {

    /**
     * @param up        whether the server is listening
     * @param links     its end of each link, by neighbour
     * @param cutPeers  the neighbours whose link it has cut
     * @param stats     its counters
     * @param locations its location table (empty when down)
     */
    record ServerSnapshot(String name, boolean up, Map<String, LinkState> links, Set<String> cutPeers,
                          ServerStats stats, List<LocationReport> locations) {

        /** Lines received and sent, client and peer: what "lines per second" counts. */
        long linesTotal() {
            return stats.clientLinesIn() + stats.repliesOut() + stats.peerLinesIn() + stats.peerLinesOut();
        }
    }

    static HerdSnapshot take(Herd herd) {
        Map<String, ServerSnapshot> servers = new LinkedHashMap<>();
        for (HerdServer s : herd.servers()) {
            Map<String, LinkState> links = s.linkStates();
            Set<String> cut = links.keySet().stream().filter(s::isLinkCut).collect(Collectors.toUnmodifiableSet());
            servers.put(s.name(), new ServerSnapshot(s.name(), s.isUp(), links, cut, s.stats(),
                    s.isUp() ? s.locations() : List.of()));
        }
        return new HerdSnapshot(servers, herd.config().links());
    }

    /** The link as its two ends see it; an end this herd does not run counts as down. */
    EdgeState edge(Link link) {
        ServerSnapshot a = servers.get(link.dialer());
        ServerSnapshot b = servers.get(link.acceptor());
        if (a == null || b == null) {
            return EdgeState.DOWN;
        }
        boolean cut = a.cutPeers().contains(b.name()) || b.cutPeers().contains(a.name());
        return EdgeState.of(a.links().get(b.name()), b.links().get(a.name()), cut);
    }

    /** The location tables of the servers that are up, for {@link Convergence}. */
    Map<String, List<LocationReport>> tablesOfServersUp() {
        Map<String, List<LocationReport>> out = new LinkedHashMap<>();
        servers.values().stream().filter(ServerSnapshot::up).forEach(s -> out.put(s.name(), s.locations()));
        return out;
    }

    Convergence convergence() {
        return Convergence.of(List.copyOf(servers.keySet()), tablesOfServersUp());
    }
}
