package herd.gui;

import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * How long the herd took to heal after a restore, a bring-up or Heal all. The definition:
 * <ul>
 * <li><b>the link came up</b> at the first {@code up} change ({@link LinkChanges}: the
 *     second end's {@code PEER_UP}) at or after the action, of the restored link, of a link of
 *     the server brought up, or of any link for Heal all;</li>
 * <li><b>a learn the heal caused</b> is a {@code LEARNED}, on any server, at or after that
 *     moment, of a report whose first learn (anywhere) was before it: a report that existed
 *     before the link came up and had not reached that server;</li>
 * <li><b>the servers that were behind</b> are the servers of those learns, and <b>the healing
 *     time</b> is from the link coming up to the last of them.</li>
 * </ul>
 * A heal is settled, and reported, once {@value #QUIET_MICROS} µs pass with no learn it caused
 * (or, when no link comes up, after {@value #GIVE_UP_MICROS} µs). During a flood, reports still
 * spreading when the link comes up count as caused too.
 *
 * <p>Thread-safety: {@link #learned} runs on the I/O threads and only queues (while a heal is
 * open, else it returns at once); {@link #opened} and {@link #poll} take this object's lock.
 */
final class HealWatch {

    static final long QUIET_MICROS = 500_000;
    static final long GIVE_UP_MICROS = 60_000_000;
    /** At most this many learns wait for a poll; beyond that the heal's figure would be cut short. */
    static final int MAX_QUEUED = 1_000_000;

    /**
     * A settled heal.
     *
     * @param action      the action's name ({@code restore}, {@code up}, {@code heal})
     * @param target      its target, as in {@link Timeline.Action}
     * @param actionMicros when the action was taken
     * @param upMicros    when the link came up, or -1 when none did
     * @param upLink      which link that was, or null
     * @param lastMicros  the last learn the heal caused, or -1 when it caused none
     * @param behind      the servers that were behind, sorted
     */
    record Heal(String action, String target, long actionMicros, long upMicros, Link upLink, long lastMicros,
                List<String> behind) {

        /** From the link coming up to the last learn the heal caused; 0 when it caused none. */
        long healMicros() {
            return lastMicros < 0 ? 0 : lastMicros - upMicros;
        }

        /** The line for the status bar and the timeline, e.g. {@code Holiday-Welsh healed: Welsh up to date 2.4 ms after the link came up}. */
        String describe() {
            String what = switch (action) {
                case "restore" -> target + " healed";
                case "up" -> target + " back";
                default -> "heal all";
            };
            if (upMicros < 0) {
                return what + ": no link came up within " + GIVE_UP_MICROS / 1_000_000 + " s";
            }
            String link = switch (action) {
                case "restore" -> "the link came up";
                case "up" -> "its first link came up (" + upLink.dialer() + "-" + upLink.acceptor() + ")";
                default -> "the first link came up (" + upLink.dialer() + "-" + upLink.acceptor() + ")";
            };
            if (behind.isEmpty()) {
                return what + ": nothing to relearn after " + link;
            }
            return what + ": " + String.join(", ", behind) + " up to date " + Durations.micros(healMicros())
                    + " after " + link;
        }
    }

    private record Learned(String server, long atMicros, LearnTimes.Report report) {
    }

    private static final class Episode {
        final Timeline.Action action;
        final Predicate<Link> links;
        LinkChanges.Change up;
        long last = -1;
        final TreeSet<String> behind = new TreeSet<>();

        Episode(Timeline.Action action, Predicate<Link> links) {
            this.action = action;
            this.links = links;
        }
    }

    private final List<Episode> open = new ArrayList<>();
    private final ConcurrentLinkedQueue<Learned> learns = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private volatile boolean watching;

    /** A restore, bring-up or heal all was taken; {@code links} are the links whose coming up counts. */
    synchronized void opened(Timeline.Action action, Predicate<Link> links) {
        open.add(new Episode(action, links));
        watching = true;
    }

    /** Any thread: a server learned {@code report} (kept by {@link LearnTimes}) at {@code atMicros}. */
    void learned(String server, long atMicros, LearnTimes.Report report) {
        if (!watching || queued.get() >= MAX_QUEUED) {
            return;
        }
        queued.incrementAndGet();
        learns.add(new Learned(server, atMicros, report));
    }

    /** True while a heal is open. */
    boolean watching() {
        return watching;
    }

    /** Judges the learns since the last poll; returns the heals that settled by {@code nowMicros}, oldest first. */
    synchronized List<Heal> poll(long nowMicros, LinkChanges changes) {
        if (open.isEmpty()) {
            return List.of();
        }
        for (Episode e : open) {
            if (e.up == null) {
                e.up = changes.firstUp(e.action.atMicros(), e.links);
            }
        }
        for (Learned l; (l = learns.poll()) != null; ) {
            queued.decrementAndGet();
            for (Episode e : open) {
                if (e.up != null && l.atMicros() >= e.up.atMicros() && l.report().firstMicros() < e.up.atMicros()) {
                    e.last = Math.max(e.last, l.atMicros());
                    e.behind.add(l.server());
                }
            }
        }
        List<Heal> settled = new ArrayList<>();
        for (Iterator<Episode> it = open.iterator(); it.hasNext(); ) {
            Episode e = it.next();
            Timeline.Action a = e.action;
            if (e.up != null && nowMicros - Math.max(e.up.atMicros(), e.last) >= QUIET_MICROS) {
                settled.add(new Heal(a.action(), a.target(), a.atMicros(), e.up.atMicros(), e.up.link(), e.last,
                        List.copyOf(e.behind)));
                it.remove();
            } else if (e.up == null && nowMicros - a.atMicros() >= GIVE_UP_MICROS) {
                settled.add(new Heal(a.action(), a.target(), a.atMicros(), -1, null, -1, List.of()));
                it.remove();
            }
        }
        if (open.isEmpty()) {
            watching = false;
            learns.clear();
            queued.set(0);
        }
        return settled;
    }
}
