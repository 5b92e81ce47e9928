package herd.gui;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.config.Link;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * What the monitor records of an experiment, without JavaFX: when each server learned each
 * report ({@link LearnTimes}), propagation times per second ({@link PropagationSeries}), each
 * link's state changes ({@link LinkChanges}), the operator's actions ({@link Timeline}) and
 * the heals they started ({@link HealWatch}). Subscribed to the herd directly, beside the
 * {@link HerdInbox} (whose queues may skip events under load; this sees every event), before
 * the servers start. {@link ExperimentExport} writes it out.
 *
 * <p>Thread-safety: {@link #onEvent} runs on the I/O threads and returns at once for every
 * event but LEARNED, PEER_UP, PEER_DOWN and SERVER_UP (see each part for its cost); the
 * actions come from the operator's and the console's threads; the readers from any thread.
 */
final class Experiment implements HerdListener, ActionLog {

    /** How many reports {@link LearnTimes} keeps, the newest: about 20 MB of learns for five servers (an estimate, not measured). */
    static final int KEPT_REPORTS = 50_000;

    private final Clock clock;
    private final long startMicros;
    private final LearnTimes learns;
    private final PropagationSeries series = new PropagationSeries();
    private final LinkChanges links = new LinkChanges();
    private final Timeline timeline = new Timeline();
    private final HealWatch heals = new HealWatch();
    private final Set<String> servers = ConcurrentHashMap.newKeySet();

    Experiment() {
        this(Clock.systemUTC(), KEPT_REPORTS);
    }

    Experiment(Clock clock, int keptReports) {
        this.clock = clock;
        this.startMicros = LearnTimes.micros(clock.instant());
        this.learns = new LearnTimes(keptReports);
    }

    @Override
    public void onEvent(HerdEvent event) {
        if (event instanceof HerdEvent.LocationLearned learned) {
            LearnTimes.Report report = learns.learned(learned);
            if (report != null) {
                long at = LearnTimes.micros(learned.at());
                long after = at - report.firstMicros();
                if (after > 0) {
                    series.add(at, after);
                }
                heals.learned(learned.server(), at, report);
            }
        } else if (event instanceof HerdEvent.LinkUp up) {
            links.linkUp(up);
        } else if (event instanceof HerdEvent.LinkDown down) {
            links.linkDown(down);
        } else if (event instanceof HerdEvent.ServerState state) {
            servers.add(state.server());
        }
    }

    @Override
    public void action(String action, String target, String detail) {
        Timeline.Action a = new Timeline.Action(nowMicros(), action, target, detail);
        timeline.add(a);
        switch (action) {
            case "up" -> heals.opened(a, l -> l.touches(target));
            case "heal" -> heals.opened(a, l -> true);
            default -> { }
        }
    }

    @Override
    public void linkAction(String action, Link link, String detail) {
        Timeline.Action a = new Timeline.Action(nowMicros(), action, linkName(link), detail);
        timeline.add(a);
        if (action.equals("cut")) {
            links.cut(a.atMicros(), link);
        } else if (action.equals("restore")) {
            links.restoring(a.atMicros(), link);
            Predicate<Link> same = link::equals;
            heals.opened(a, same);
        }
    }

    /** The heals settled since the last call (any thread; the window's pulse, or the headless runner). */
    List<HealWatch.Heal> settledHeals() {
        return heals.poll(nowMicros(), links);
    }

    /** True while a restore, bring-up or heal all waits to settle. */
    boolean healing() {
        return heals.watching();
    }

    static String linkName(Link link) {
        return link.dialer() + "-" + link.acceptor();
    }

    long nowMicros() {
        return LearnTimes.micros(clock.instant());
    }

    /** When recording began: the origin of every {@code *_us} column. */
    long startMicros() {
        return startMicros;
    }

    Instant start() {
        return Instant.ofEpochSecond(startMicros / 1_000_000, startMicros % 1_000_000 * 1000);
    }

    LearnTimes learns() {
        return learns;
    }

    PropagationSeries series() {
        return series;
    }

    LinkChanges links() {
        return links;
    }

    Timeline timeline() {
        return timeline;
    }

    /** Every server that has started while recording, for the merged log. */
    Set<String> servers() {
        return Set.copyOf(servers);
    }
}
