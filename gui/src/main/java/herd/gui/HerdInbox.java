package herd.gui;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Where the herd's events wait for the monitor's next pulse. The herd calls
 * {@link #onEvent} on its I/O threads; that only counts a peer line crossing its link and
 * queues the event, never touching JavaFX, so thousands of events a second cost the servers
 * almost nothing. The pulse drains everything on the JavaFX thread in one batch.
 *
 * <p>Each server's queue holds at most as many events as its log tail shows: when the
 * monitor falls behind, the oldest waiting events are skipped (and counted, so the tail can
 * say so), which bounds both memory and the work of one pulse, and keeps the newest lines.
 * The crossing counts are never skipped, so the graph shows all traffic.
 *
 * <p>A server the herd starts later (the monitor's Add server) gets its queue with its first
 * event, so its tail begins where its log file does; a server removed keeps its queue for the
 * events of its stop.
 *
 * <p>Thread-safety: {@link #onEvent} from any thread; the {@code take} and {@code drain}
 * methods from one thread at a time (the pulse).
 */
final class HerdInbox implements HerdListener {

    /** A direction of one link: a peer line sent by {@code from} to {@code to}. */
    record Crossing(String from, String to) {
        Link link() {
            return Link.between(from, to);
        }
    }

    // Concurrent maps: the I/O threads add a server's queue or a direction's count with its first event.
    private final int perServer;
    private final Map<String, BlockingQueue<HerdEvent>> queues = new ConcurrentHashMap<>();
    private final Map<Crossing, LongAdder> crossings = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> skipped = new ConcurrentHashMap<>();

    /** @param perServer how many events may wait per server: the lines its log tail keeps */
    HerdInbox(HerdConfig config, int perServer) {
        this.perServer = perServer;
        for (String server : config.serverNames()) {
            queue(server);
            for (String peer : config.neighbours(server)) {
                crossings.put(new Crossing(server, peer), new LongAdder());
            }
        }
    }

    private BlockingQueue<HerdEvent> queue(String server) {
        BlockingQueue<HerdEvent> q = queues.get(server); // the common case takes no lock
        return q != null ? q : queues.computeIfAbsent(server, s -> {
            skipped.put(s, new LongAdder());
            return new ArrayBlockingQueue<>(perServer);
        });
    }

    @Override
    public void onEvent(HerdEvent event) {
        if (event instanceof HerdEvent.LineOut out && out.remote().isPeer()) {
            Crossing c = new Crossing(out.server(), out.remote().name());
            LongAdder count = crossings.get(c);
            (count != null ? count : crossings.computeIfAbsent(c, k -> new LongAdder())).increment();
        }
        BlockingQueue<HerdEvent> queue = queue(event.server());
        while (!queue.offer(event)) {
            if (queue.poll() != null) {
                skipped.get(event.server()).increment();
            }
        }
    }

    /** Per server, every event queued since the last call, oldest first. */
    Map<String, List<HerdEvent>> drainEvents() {
        Map<String, List<HerdEvent>> out = new HashMap<>();
        queues.forEach((server, queue) -> {
            if (!queue.isEmpty()) {
                List<HerdEvent> events = new ArrayList<>(queue.size());
                queue.drainTo(events);
                out.put(server, events);
            }
        });
        return out;
    }

    /** Per server, how many events were skipped since the last call (servers with none are left out). */
    Map<String, Long> takeSkipped() {
        Map<String, Long> out = new HashMap<>();
        skipped.forEach((server, count) -> {
            long n = count.sumThenReset();
            if (n > 0) {
                out.put(server, n);
            }
        });
        return out;
    }

    /** Per direction, how many peer lines crossed since the last call (directions with none are left out). */
    Map<Crossing, Long> takeCrossings() {
        Map<Crossing, Long> out = new HashMap<>();
        crossings.forEach((c, count) -> {
            long n = count.sumThenReset();
            if (n > 0) {
                out.put(c, n);
            }
        });
        return out;
    }
}
