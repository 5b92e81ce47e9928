package herd.engine.testing;

import herd.engine.EventLogFormat;
import herd.engine.Herd;
import herd.engine.HerdEvent;
import herd.engine.HerdListener;
import herd.engine.HerdStartException;
import herd.engine.config.HerdConfig;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;

/** Every event of the herds it starts, kept for a test to ask about. Thread-safe. */
public final class RecordedEvents implements HerdListener {

    private final List<HerdEvent> events = new CopyOnWriteArrayList<>();

    @Override
    public void onEvent(HerdEvent event) {
        events.add(event);
    }

    /** Starts the named servers with this recorder subscribed from the first event on. */
    public Herd start(HerdConfig config, Collection<String> names, Map<String, String> env) throws HerdStartException {
        Herd herd = Herd.create(config, names, env);
        herd.subscribe(this);
        herd.startAll();
        return herd;
    }

    public List<HerdEvent> all() {
        return events;
    }

    /** True when some server logged an ERROR notice containing {@code part}. */
    public boolean noticed(String part) {
        return events.stream().anyMatch(e -> e instanceof HerdEvent.Notice n && n.error() && n.text().contains(part));
    }

    /** True when {@code server} closed a connection for a reason containing {@code part}. */
    public boolean closedWith(String server, String part) {
        return events.stream().anyMatch(e -> e instanceof HerdEvent.ConnectionClosed c && c.server().equals(server)
                && c.reason().contains(part));
    }

    /** The log lines so far, for an assertion message. */
    public String dump() {
        return events.stream().map(e -> e.server() + ": " + EventLogFormat.line(e)).collect(Collectors.joining("\n"));
    }
}
