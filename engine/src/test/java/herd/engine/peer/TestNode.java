package herd.engine.peer;

import herd.engine.HerdEvent;
import herd.engine.config.Limits;
import herd.engine.node.NodeContext;
import herd.engine.node.NodeCounters;
import herd.engine.node.NodeEvents;
import herd.engine.node.ServerLog;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** One server's parts for a socket-free test: a fixed clock, recorded events, no dialling. */
final class TestNode {

    static final ScheduledExecutorService TIMER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "test-timer");
        t.setDaemon(true);
        return t;
    });

    final List<HerdEvent> events = new CopyOnWriteArrayList<>();
    final NodeContext node;
    final LocationTable table = new LocationTable();
    volatile boolean up = true;

    TestNode(String name) {
        this(name, TIMER);
    }

    /** A node whose timer is {@code timer} (a {@link ManualTimer}, for a test that runs redials itself). */
    TestNode(String name, ScheduledExecutorService timer) {
        node = new NodeContext(name, Clock.fixed(Instant.parse("2026-12-03T12:00:00Z"), ZoneOffset.UTC),
                new NodeEvents(name, ServerLog.NONE, events::add, () -> true), new NodeCounters(), Limits.defaults(), timer, () -> up);
    }

    /** This node's end of its link to {@code peer}; dialling fails at once (nothing listens). */
    PeerLink link(String peer) {
        return link(peer, (link, address, attempt) -> link.connectDone(attempt, false));
    }

    /** This node's end of its link to {@code peer}, dialling through {@code dialer}. */
    PeerLink link(String peer, Dialer dialer) {
        return new PeerLink(node, peer, () -> new InetSocketAddress("127.0.0.1", 9), dialer, table);
    }

    List<String> notices() {
        return events.stream().filter(e -> e instanceof HerdEvent.Notice n && n.error())
                .map(e -> ((HerdEvent.Notice) e).text()).toList();
    }
}
