package herd.gui;

import herd.engine.Herd;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convergence grid's costly part, off the JavaFX thread: reading the servers' tables
 * (copying and parsing every client's report), working out which server holds which newest
 * report ({@link Convergence}) and the rows' texts ({@link ConvergenceGrid#views}). Done on the
 * JavaFX thread, this took up to a second of it at a time during a 16,000 IAMAT/s flood on a
 * loaded two-core machine, and a click on a link waited for it.
 *
 * <p>The pulse {@linkplain #request asks} for a frame when a server's counters (up, reports
 * stored, clients known) or the learn times moved, and shows the newest frame {@linkplain
 * #take done}; nothing is asked while nothing moves, so an idle herd costs nothing here. One
 * frame is worked out at a time, and after one that took {@code t} the next is not asked
 * before {@code 3 t} ({@link Pacer}): the worker takes at most about a quarter of a core
 * however large the tables.
 *
 * <p>Thread-safety: {@link #request}, {@link #take} and {@link #close} on the JavaFX thread;
 * the work runs on the worker's own thread, which alone touches its {@link TableCache}.
 */
final class GridWorker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(GridWorker.class);

    /** A frame worked out: the convergence (its parts as the worker polled them) and its rows as shown. */
    record Frame(Convergence convergence, List<ConvergenceGrid.RowView> rows) {
    }

    private record Done(Frame frame, long endNanos, long costNanos) {
    }

    private final Herd herd;
    private final LearnTimes times;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "monitor-grid");
        t.setDaemon(true);
        return t;
    });
    // the worker thread's
    private final TableCache tables = new TableCache();
    private long generation = -1;
    private Convergence rows;
    // the JavaFX thread's
    private final Pacer pacer = new Pacer();
    private volatile List<Object> asked; // set on the JavaFX thread; cleared by the worker after a failure
    private final AtomicBoolean busy = new AtomicBoolean();
    private final AtomicReference<Done> done = new AtomicReference<>();

    /** @param times the learn times the rows show (may be null) */
    GridWorker(Herd herd, LearnTimes times) {
        this.herd = herd;
        this.times = times;
    }

    /**
     * Asks for a frame when something moved in {@code snapshot} (the pulse's poll of the
     * counters) since the last one asked, none is being worked out, the last one taken and the
     * pacer allows it at {@code nowNanos}; the worker polls the herd again, tables included.
     * True when asked.
     *
     * @param learns how many learns the learn times have recorded
     */
    boolean request(HerdSnapshot snapshot, long learns, long nowNanos) {
        List<Object> wanted = new ArrayList<>();
        for (HerdSnapshot.ServerSnapshot s : snapshot.servers().values()) {
            wanted.add(s.name());
            wanted.add(s.up());
            wanted.add(s.stats().learned());
            wanted.add(s.stats().knownClients());
        }
        wanted.add(learns);
        if (wanted.equals(asked) || busy.get() || done.get() != null || !pacer.due(nowNanos)) {
            return false;
        }
        asked = wanted;
        busy.set(true);
        thread.execute(this::work);
        return true;
    }

    /** The frame worked out since the last call, or null. */
    Frame take() {
        Done d = done.getAndSet(null);
        if (d == null) {
            return null;
        }
        pacer.spent(d.endNanos(), d.costNanos());
        return d.frame();
    }

    private void work() {
        long start = System.nanoTime();
        try {
            HerdSnapshot polled = HerdSnapshot.take(herd, tables);
            if (rows == null || tables.generation() != generation || !polled.serverNames().equals(rows.servers())) {
                rows = Convergence.of(polled.serverNames(), polled.tablesOfServersUp());
                generation = tables.generation();
            }
            Convergence c = rows.withParts(polled.parts());
            Frame frame = new Frame(c, ConvergenceGrid.views(c, times));
            long end = System.nanoTime();
            done.set(new Done(frame, end, end - start));
        } catch (RuntimeException e) {
            LOG.error("the convergence grid could not be worked out", e);
            asked = null; // asked again at the next pulse
        } finally {
            busy.set(false);
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }
}
