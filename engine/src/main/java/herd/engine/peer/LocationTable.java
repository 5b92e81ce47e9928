package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.ClientTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each client's newest report, by exact client time: per client one slot holding the time
 * and the AT line's bytes, replaced in place when a newer report arrives (no object per
 * update but the line itself). {@link LocationReport}s are made only when asked for (the
 * API, WHATSAT). Thread-safe: I/O threads of every connection offer reports concurrently;
 * {@link #offer} is atomic per client (each slot is its own lock, held for a compare and two
 * stores).
 */
public final class LocationTable {

    /** One client's newest report. Guarded by itself. */
    private static final class Slot {
        /** Written under the lock; volatile so that {@link #mayBeNewer} may read it without. */
        private volatile ClientTime time;
        private byte[] line;

        Slot(ClientTime time, byte[] line) {
            this.time = time;
            this.line = line;
        }

        synchronized boolean replaceIfNewer(ClientTime t, byte[] l) {
            if (!t.isAfter(time)) {
                return false;
            }
            time = t;
            line = l;
            return true;
        }

        synchronized byte[] line() {
            return line;
        }
    }

    private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

    /**
     * Stores {@code atLine} (the AT line's bytes, never changed afterwards) as {@code clientId}'s
     * report if {@code time} is newer than the stored one; true when it was stored.
     */
    public boolean offer(String clientId, ClientTime time, byte[] atLine) {
        Slot slot = slots.get(clientId);
        if (slot == null) {
            slot = slots.putIfAbsent(clientId, new Slot(time, atLine));
            if (slot == null) {
                return true;
            }
        }
        return slot.replaceIfNewer(time, atLine);
    }

    /**
     * False when {@code time} is not newer than {@code clientId}'s stored report: then
     * {@link #offer} would refuse it, now and later (stored times only grow). Takes no lock.
     */
    public boolean mayBeNewer(String clientId, ClientTime time) {
        Slot slot = slots.get(clientId);
        return slot == null || time.isAfter(slot.time);
    }

    /** {@link #offer(String, ClientTime, byte[])} for a report object (tests, the API's callers). */
    public boolean offer(LocationReport report) {
        return offer(report.clientId(), ClientTime.parse(report.clientTime()),
                report.atLine().getBytes(StandardCharsets.UTF_8));
    }

    public Optional<LocationReport> get(String clientId) {
        Slot slot = slots.get(clientId);
        return slot == null ? Optional.empty() : report(slot.line());
    }

    /** What {@link #forEach} hands out: one client's newest report. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String clientId, ClientTime time, byte[] atLine);
    }

    /** Hands every client's newest report to {@code visitor} (a link that comes up gets them all). */
    public void forEach(Visitor visitor) {
        slots.forEach((clientId, slot) -> {
            ClientTime time;
            byte[] line;
            synchronized (slot) {
                time = slot.time;
                line = slot.line;
            }
            visitor.visit(clientId, time, line);
        });
    }

    public List<LocationReport> snapshot() {
        List<LocationReport> out = new ArrayList<>(slots.size());
        for (Slot slot : slots.values()) {
            report(slot.line()).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<LocationReport> report(byte[] line) {
        return AtLine.parse(line, line.length);
    }

    public int size() {
        return slots.size();
    }

    public void clear() {
        slots.clear();
    }
}
