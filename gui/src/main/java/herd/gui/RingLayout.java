package herd.gui;

import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;

/**
 * The order in which the herd graph places servers around a circle: the one with the
 * fewest crossing links, so that a flood can be followed by eye. Tries every order for
 * small herds (up to {@value #MAX_SEARCHED} servers) and keeps config order for larger
 * ones. When the herd grows or shrinks, the servers already drawn keep their order if that
 * costs no extra crossing, so a person does not lose them. Pure.
 */
final class RingLayout {

    static final int MAX_SEARCHED = 8;

    private RingLayout() {
    }

    /** {@code servers} reordered for the circle, the first one at the top. */
    static List<String> order(List<String> servers, List<Link> links) {
        if (servers.size() > MAX_SEARCHED || servers.size() < 4) {
            return List.copyOf(servers);
        }
        List<String> best = new ArrayList<>(servers);
        int[] bestCrossings = {crossings(best, links)};
        // the first server stays first: rotating the circle never changes the crossings
        List<String> rest = new ArrayList<>(servers.subList(1, servers.size()));
        permute(rest, 0, order -> {
            List<String> candidate = new ArrayList<>();
            candidate.add(servers.get(0));
            candidate.addAll(order);
            int c = crossings(candidate, links);
            if (c < bestCrossings[0]) {
                bestCrossings[0] = c;
                best.clear();
                best.addAll(candidate);
            }
        });
        return List.copyOf(best);
    }

    /**
     * {@code servers} reordered for the circle after a change of the herd drawn in
     * {@code previous} order: the servers still there keep that order and each new one goes
     * into the gap where its links cross the fewest, unless a fresh {@link #order} crosses
     * fewer.
     */
    static List<String> order(List<String> servers, List<Link> links, List<String> previous) {
        List<String> kept = new ArrayList<>(previous);
        kept.retainAll(servers);
        for (String added : servers) {
            if (kept.contains(added)) {
                continue;
            }
            int bestGap = kept.size();
            int fewest = Integer.MAX_VALUE;
            for (int gap = 1; gap <= kept.size(); gap++) { // after the first: it stays at the top
                kept.add(gap, added);
                int c = crossings(kept, among(kept, links));
                kept.remove(gap);
                if (c < fewest) {
                    fewest = c;
                    bestGap = gap;
                }
            }
            kept.add(bestGap, added);
        }
        List<String> fresh = order(servers, links);
        return crossings(kept, links) <= crossings(fresh, links) ? List.copyOf(kept) : fresh;
    }

    private static List<Link> among(List<String> placed, List<Link> links) {
        return links.stream().filter(l -> placed.contains(l.dialer()) && placed.contains(l.acceptor())).toList();
    }

    /** How many pairs of links cross when the servers sit on a circle in this order. */
    static int crossings(List<String> order, List<Link> links) {
        int n = 0;
        for (int i = 0; i < links.size(); i++) {
            for (int j = i + 1; j < links.size(); j++) {
                if (cross(order, links.get(i), links.get(j))) {
                    n++;
                }
            }
        }
        return n;
    }

    private static boolean cross(List<String> order, Link x, Link y) {
        int a = order.indexOf(x.dialer());
        int b = order.indexOf(x.acceptor());
        int c = order.indexOf(y.dialer());
        int d = order.indexOf(y.acceptor());
        if (a == c || a == d || b == c || b == d) {
            return false; // links that share a server meet at it, they do not cross
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        return (lo < c && c < hi) != (lo < d && d < hi);
    }

    private static void permute(List<String> items, int from, Consumer<List<String>> visit) {
        if (from == items.size()) {
            visit.accept(items);
            return;
        }
        for (int i = from; i < items.size(); i++) {
            Collections.swap(items, from, i);
            permute(items, from + 1, visit);
            Collections.swap(items, from, i);
        }
    }
}
