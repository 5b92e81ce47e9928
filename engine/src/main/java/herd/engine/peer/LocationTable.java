package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.ClientId;
import herd.engine.protocol.ClientTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each client's newest report, by exact client time: per client only the AT line's bytes,
 * whose last field is the client time, replaced by a compare-and-set when a newer report
 * arrives (no lambda, no lock, no object per client but the key and the line: about 200
 * bytes a client). {@link LocationReport}s are made only when asked for (the API, WHATSAT).
 * Clients are keyed by {@link ClientId} key: by the bytes of their id, so ids that would
 * decode to the same text are still distinct clients.
 * Thread-safe: I/O threads of every connection offer reports concurrently; {@link #offer}
 * is atomic per client.
 */
public final class LocationTable {

    private final ConcurrentHashMap<String, byte[]> lines = new ConcurrentHashMap<>();

    /**
     * Stores {@code atLine} (the AT line's bytes, never changed afterwards, its last field
     * {@code time}) as {@code clientId}'s report if {@code time} is newer than the stored
     * one; true when it was stored.
     */
    public boolean offer(String clientId, ClientTime time, byte[] atLine) {
        while (true) {
            byte[] stored = lines.get(clientId);
            if (stored == null) {
                if (lines.putIfAbsent(clientId, atLine) == null) {
                    return true;
                }
            } else if (!time.isAfter(timeOf(stored))) {
                return false;
            } else if (lines.replace(clientId, stored, atLine)) { // byte[] equality is identity: a true compare-and-set
                return true;
            }
        }
    }

    /** {@link #offer(String, ClientTime, byte[])} for a report object (tests, the API's callers). */
    public boolean offer(LocationReport report) {
        return offer(ClientId.key(report.clientId()), ClientTime.parse(report.clientTime()),
                report.atLine().getBytes(StandardCharsets.UTF_8));
    }

    /**
     * False when {@code time} is not newer than {@code clientId}'s stored report: then
     * {@link #offer} would refuse it, now and later (stored times only grow). Takes no lock.
     */
    public boolean mayBeNewer(String clientId, ClientTime time) {
        byte[] stored = lines.get(clientId);
        return stored == null || time.isAfter(timeOf(stored));
    }

    /** The client time of a stored AT line: its last field, checked when the line was offered. */
    private static ClientTime timeOf(byte[] line) {
        int start = line.length;
        while (start > 0 && line[start - 1] != ' ') {
            start--;
        }
        return ClientTime.parse(line, start, line.length - start);
    }

    /** The newest report of the client with key {@code clientId}, as text for people ({@link LocationReport}). */
    public Optional<LocationReport> get(String clientId) {
        byte[] line = lines.get(clientId);
        return line == null ? Optional.empty() : report(line);
    }

    /**
     * The stored AT line of the client with key {@code clientId}, byte for byte as its server
     * answered it (never to be changed), or null when the client is unknown.
     */
    public byte[] line(String clientId) {
        return lines.get(clientId);
    }

    /** What {@link #forEach} hands out: one client's newest report. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String clientId, ClientTime time, byte[] atLine);
    }

    /** Hands every client's newest report to {@code visitor} (a link that comes up gets them all). */
    public void forEach(Visitor visitor) {
        lines.forEach((clientId, line) -> visitor.visit(clientId, timeOf(line), line));
    }

    public List<LocationReport> snapshot() {
        List<LocationReport> out = new ArrayList<>(lines.size());
        for (byte[] line : lines.values()) {
            report(line).ifPresent(out::add);
        }
        return out;
    }

    private static Optional<LocationReport> report(byte[] line) {
        return AtLine.parse(line, line.length);
    }

    public int size() {
        return lines.size();
    }

    public void clear() {
        lines.clear();
    }
}
