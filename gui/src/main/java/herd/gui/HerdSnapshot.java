package herd.gui;

import herd.engine.Herd;
import herd.engine.HerdServer;
import herd.engine.LinkState;
import herd.engine.LocationReport;
import herd.engine.ServerStats;
import herd.engine.config.Link;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One poll of every server of a running herd: what each pulse draws. Everything comes from
 * the servers' own public state at the moment of the poll, except that a location table
 * unchanged since the last poll is the copy read then ({@link TableCache}). Immutable once taken; taken on the JavaFX thread (the engine's getters are
 * thread-safe and never wait on the network).
 *
 * <p>The herd can grow and shrink while it runs, so which servers and links there are is
 * part of each poll too: the window follows it.
 *
 * @param servers each server's state, in config order
 * @param links   the configured links between two of those servers (while the herd applies a
 *                change, its config can name a server it has not started yet, or no longer
 *                one it still runs)
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

    /** A poll with every table read. */
    static HerdSnapshot take(Herd herd) {
        return take(herd, new TableCache());
    }

    /** A poll of the servers' counters and links with no table read (each server's table empty): the pulse's. */
    static HerdSnapshot countersOnly(Herd herd) {
        return take(herd, null);
    }

    /**
     * A poll where each server's table comes from {@code tables}, read again only when it
     * changed (each server's counters are read first, as the cache needs); with no cache, no
     * table is read.
     */
    static HerdSnapshot take(Herd herd, TableCache tables) {
        Map<String, ServerSnapshot> servers = new LinkedHashMap<>();
        for (HerdServer s : herd.servers()) {
            ServerStats stats = s.stats();
            boolean up = s.isUp();
            Map<String, LinkState> links = s.linkStates();
            Set<String> cut = links.keySet().stream().filter(s::isLinkCut).collect(Collectors.toUnmodifiableSet());
            servers.put(s.name(), new ServerSnapshot(s.name(), up, links, cut, stats,
                    tables != null ? tables.table(s, up, stats) : List.of()));
        }
        if (tables != null) {
            tables.keepOnly(servers.keySet());
        }
        return of(servers, herd.config().links());
    }

    /** A poll of {@code servers}, with the links of {@code configured} that join two of them. */
    static HerdSnapshot of(Map<String, ServerSnapshot> servers, List<Link> configured) {
        List<Link> drawn = configured.stream()
                .filter(l -> servers.containsKey(l.dialer()) && servers.containsKey(l.acceptor())).toList();
        return new HerdSnapshot(Collections.unmodifiableMap(new LinkedHashMap<>(servers)), drawn);
    }

    /** The servers polled, in config order. */
    List<String> serverNames() {
        return List.copyOf(servers.keySet());
    }

    /** The link as its two ends see it; an end missing from the poll counts as down. */
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
        return Convergence.of(serverNames(), tablesOfServersUp()).withParts(parts());
    }

    /**
     * The servers that are up, grouped by the links that are connected: two servers are in
     * one part when a path of connected links joins them. In config order, each part too.
     */
    List<List<String>> parts() {
        List<String> up = servers.values().stream().filter(ServerSnapshot::up).map(ServerSnapshot::name).toList();
        Map<String, String> partOf = new LinkedHashMap<>();
        List<List<String>> out = new java.util.ArrayList<>();
        for (String start : up) {
            if (partOf.containsKey(start)) {
                continue;
            }
            List<String> part = new java.util.ArrayList<>();
            java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(start));
            partOf.put(start, start);
            while (!todo.isEmpty()) {
                String s = todo.poll();
                part.add(s);
                for (Link l : links) {
                    if (l.touches(s) && edge(l) == EdgeState.CONNECTED) {
                        String other = l.other(s);
                        if (up.contains(other) && !partOf.containsKey(other)) {
                            partOf.put(other, start);
                            todo.add(other);
                        }
                    }
                }
            }
            part.sort(java.util.Comparator.comparingInt(up::indexOf));
            out.add(List.copyOf(part));
        }
        return out;
    }
}
