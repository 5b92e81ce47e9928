package herd.gui;

import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.config.HerdConfig;
import herd.engine.config.Link;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
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

    // Built once from the config and never changed, so the I/O threads read them without locks.
    private final Map<String, BlockingQueue<HerdEvent>> queues = new LinkedHashMap<>();
    private final Map<String, Map<String, LongAdder>> crossings = new HashMap<>();
    private final Map<String, LongAdder> skipped = new HashMap<>();

    /** @param perServer how many events may wait per server: the lines its log tail keeps */
    HerdInbox(HerdConfig config, int perServer) {
        for (String server : config.serverNames()) {
            queues.put(server, new ArrayBlockingQueue<>(perServer));
            skipped.put(server, new LongAdder());
            Map<String, LongAdder> out = new HashMap<>();
            for (String peer : config.neighbours(server)) {
                out.put(peer, new LongAdder());
            }
            crossings.put(server, out);
        }
    }

    @Override
    public void onEvent(HerdEvent event) {
        if (event instanceof HerdEvent.LineOut out && out.remote().isPeer()) {
            LongAdder count = crossings.getOrDefault(out.server(), Map.of()).get(out.remote().name());
            if (count != null) {
                count.increment();
            }
        }
        BlockingQueue<HerdEvent> queue = queues.get(event.server());
        if (queue == null) {
            return;
        }
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
        crossings.forEach((from, byPeer) -> byPeer.forEach((to, count) -> {
            long n = count.sumThenReset();
            if (n > 0) {
                out.put(new Crossing(from, to), n);
            }
        }));
        return out;
    }
}
