package herd.gui;

import herd.engine.LocationReport;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which server holds which client's newest report: the convergence grid's content. A
 * client's newest report is the one with the highest client time held by any running
 * server; a server holds it (fresh), holds an older one (stale), holds none, or is down.
 * Immutable; computed from one poll of the servers' tables.
 *
 * @param servers the servers, in config order (the grid's columns)
 * @param rows    one row per client known to any running server, sorted by client id
 * @param parts   the running servers split by the links that are up: one part when every
 *                running server can reach every other, more when the herd is partitioned
 */
record Convergence(List<String> servers, List<Row> rows, List<List<String>> parts) {

    /** True when the running servers are split into parts that cannot reach each other. */
    boolean partitioned() {
        return parts.size() > 1;
    }

    /** The parts for people: {@code {Hands} | {Goloman, Holiday, Welsh}}, smallest first. */
    String describeParts() {
        return parts.stream().sorted(java.util.Comparator.comparingInt(List<String>::size))
                .map(p -> "{" + String.join(", ", p) + "}").collect(java.util.stream.Collectors.joining(" | "));
    }

    /**
     * The grid's summary line: the counts, and whether every running server holds every newest
     * report. A partitioned herd is never called converged (each part may hold newest reports
     * of its own); its parts are named instead.
     */
    String summary() {
        String split = partitioned() ? " — partitioned: " + describeParts() : "";
        if (rows.isEmpty()) {
            return "no clients yet" + split;
        }
        int stale = count(Holding.STALE);
        int none = count(Holding.NONE);
        int fresh = count(Holding.FRESH);
        String counts = rows.size() + (rows.size() == 1 ? " client" : " clients") + ": "
                + fresh + " fresh, " + stale + " stale, " + none + " none";
        if (partitioned()) {
            return counts + split;
        }
        return stale + none == 0 ? counts + " — converged: every running server holds every newest report"
                : counts + " — not converged";
    }

    /** This convergence with the running servers split into {@code newParts}. */
    Convergence withParts(List<List<String>> newParts) {
        return new Convergence(servers, rows, List.copyOf(newParts));
    }

    /**
     * One client's row.
     *
     * @param clientId the client
     * @param newest   the newest report any running server holds for it
     * @param holdings per server, in the order of {@link #servers()}
     */
    record Row(String clientId, LocationReport newest, List<Holding> holdings) {
    }

    /**
     * @param servers the servers in config order
     * @param tables  the location table of each server that is up; servers absent are down
     */
    static Convergence of(List<String> servers, Map<String, List<LocationReport>> tables) {
        // clientId -> each server's report (null: none), in column order
        Map<String, LocationReport[]> held = new TreeMap<>();
        for (int i = 0; i < servers.size(); i++) {
            List<LocationReport> table = tables.get(servers.get(i));
            if (table == null) {
                continue;
            }
            for (LocationReport r : table) {
                held.computeIfAbsent(r.clientId(), id -> new LocationReport[servers.size()])[i] = r;
            }
        }
        List<Row> rows = new ArrayList<>(held.size());
        held.forEach((clientId, reports) -> {
            LocationReport newest = null;
            for (LocationReport r : reports) {
                if (r != null && (newest == null || newerThan(r, newest))) {
                    newest = r;
                }
            }
            List<Holding> holdings = new ArrayList<>(servers.size());
            for (int i = 0; i < servers.size(); i++) {
                LocationReport r = reports[i];
                if (!tables.containsKey(servers.get(i))) {
                    holdings.add(Holding.DOWN);
                } else if (r == null) {
                    holdings.add(Holding.NONE);
                } else {
                    holdings.add(newerThan(newest, r) ? Holding.STALE : Holding.FRESH);
                }
            }
            rows.add(new Row(clientId, newest, Collections.unmodifiableList(holdings)));
        });
        return new Convergence(List.copyOf(servers), Collections.unmodifiableList(rows),
                List.of(servers.stream().filter(tables::containsKey).toList()));
    }

    /** How many cells of running servers hold each kind; for the summary line. */
    int count(Holding kind) {
        int n = 0;
        for (Row row : rows) {
            for (Holding h : row.holdings()) {
                if (h == kind) {
                    n++;
                }
            }
        }
        return n;
    }

    // Flooding copies the AT line as written, so equal text is the common case and needs no
    // decimal parsing; the grid is recomputed on every pulse.
    private static boolean newerThan(LocationReport a, LocationReport b) {
        return !a.clientTime().equals(b.clientTime()) && a.isNewerThan(b);
    }
}
