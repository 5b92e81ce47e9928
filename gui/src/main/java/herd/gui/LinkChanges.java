package herd.gui;

import herd.engine.HerdEvent;
import herd.engine.config.Link;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Each link's state changes, as both of its ends and the operator tell them: {@code up} when
 * both ends have logged {@code PEER_UP} (the time is the second end's: from then on updates
 * flow both ways), {@code down} when an end logs {@code PEER_DOWN}, {@code cut} when the
 * operator cuts it and {@code restoring} when the operator restores it, until it is up.
 *
 * <p>Bounded: the newest {@value #KEPT} changes are kept, the rest counted. Thread-safety:
 * every method takes this object's lock, held for a few map operations; link events are
 * rare (a handful per cut or restart), never one per report.
 */
final class LinkChanges {

    static final int KEPT = 100_000;

    /**
     * One change.
     *
     * @param atMicros microseconds since the epoch, UTC
     * @param link     the link, names sorted
     * @param state    {@code up}, {@code down}, {@code cut} or {@code restoring}
     * @param detail   what caused it, e.g. {@code Welsh: PEER_UP via 127.0.0.1:40112}
     */
    record Change(long atMicros, Link link, String state, String detail) {
        /** {@code Holiday-Welsh}: how the export names a link. */
        String linkName() {
            return link.dialer() + "-" + link.acceptor();
        }
    }

    /** Per link: whether each end (dialer, acceptor) last said up, and whether the operator cut it. */
    private static final class Ends {
        boolean dialerUp;
        boolean acceptorUp;
        boolean cut;
        boolean restoring;
        String state = "down"; // until both ends have said up
    }

    private final Map<Link, Ends> links = new HashMap<>();
    private final ArrayDeque<Change> changes = new ArrayDeque<>();
    private long dropped;

    synchronized void linkUp(HerdEvent.LinkUp e) {
        Link link = Link.between(e.server(), e.peer());
        Ends ends = ends(link);
        setEnd(link, ends, e.server(), true);
        ends.restoring = ends.restoring && !(ends.dialerUp && ends.acceptorUp);
        changed(LearnTimes.micros(e.at()), link, ends, e.server() + ": PEER_UP " + e.payload());
    }

    synchronized void linkDown(HerdEvent.LinkDown e) {
        Link link = Link.between(e.server(), e.peer());
        Ends ends = ends(link);
        setEnd(link, ends, e.server(), false);
        changed(LearnTimes.micros(e.at()), link, ends, e.server() + ": PEER_DOWN " + e.payload());
    }

    synchronized void cut(long atMicros, Link link) {
        Ends ends = ends(link);
        ends.cut = true;
        ends.restoring = false;
        changed(atMicros, link, ends, "cut by the operator");
    }

    synchronized void restoring(long atMicros, Link link) {
        Ends ends = ends(link);
        ends.cut = false;
        ends.restoring = true;
        changed(atMicros, link, ends, "restored by the operator");
    }

    synchronized List<Change> changes() {
        return List.copyOf(changes);
    }

    /** The first time at or after {@code fromMicros} that a link matching {@code which} came up, or null. */
    synchronized Change firstUp(long fromMicros, java.util.function.Predicate<Link> which) {
        for (Change c : changes) {
            if (c.atMicros() >= fromMicros && c.state().equals("up") && which.test(c.link())) {
                return c;
            }
        }
        return null;
    }

    synchronized long dropped() {
        return dropped;
    }

    private Ends ends(Link link) {
        return links.computeIfAbsent(link, l -> new Ends());
    }

    private static void setEnd(Link link, Ends ends, String server, boolean up) {
        if (link.dialer().equals(server)) {
            ends.dialerUp = up;
        } else {
            ends.acceptorUp = up;
        }
    }

    private void changed(long atMicros, Link link, Ends ends, String detail) {
        String state = ends.cut ? "cut" : ends.dialerUp && ends.acceptorUp ? "up" : ends.restoring ? "restoring" : "down";
        if (state.equals(ends.state)) {
            return;
        }
        ends.state = state;
        if (changes.size() >= KEPT) {
            changes.removeFirst();
            dropped++;
        }
        changes.add(new Change(atMicros, link, state, detail));
    }
}
