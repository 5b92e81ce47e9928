package herd.engine.peer;

import herd.engine.LocationReport;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each client's newest report, by exact client time. Thread-safe: I/O threads of every
 * connection offer reports concurrently; {@link #offer} is atomic per client.
 */
public final class LocationTable {

    private record Entry(LocationReport report, BigDecimal time) {}

    private final ConcurrentHashMap<String, Entry> entries = new ConcurrentHashMap<>();

    /** Stores {@code report} if it is newer than the stored one; true when it was stored. */
    public boolean offer(LocationReport report) {
        Entry candidate = new Entry(report, report.clientTimeValue());
        boolean[] stored = {false};
        entries.compute(report.clientId(), (id, old) -> {
            if (old == null || candidate.time().compareTo(old.time()) > 0) {
                stored[0] = true;
                return candidate;
            }
            return old;
        });
        return stored[0];
    }

    public Optional<LocationReport> get(String clientId) {
        Entry e = entries.get(clientId);
        return e == null ? Optional.empty() : Optional.of(e.report());
    }

    public List<LocationReport> snapshot() {
        List<LocationReport> out = new ArrayList<>(entries.size());
        for (Entry e : entries.values()) {
            out.add(e.report());
        }
        return out;
    }

    public int size() {
        return entries.size();
    }

    public void clear() {
        entries.clear();
    }
}
