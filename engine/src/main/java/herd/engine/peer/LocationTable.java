package herd.engine.peer;

import herd.engine.LocationReport;
import herd.engine.protocol.AtLine;
import herd.engine.protocol.ClientId;
import herd.engine.protocol.ClientTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Each client's newest report, by exact client time: per client only the AT line's bytes,
 * whose last field is the client time, replaced by a compare-and-set when a newer report
 * arrives (no lambda, no lock, no object per client but the key and the line: about 200
 * bytes a client). {@link LocationReport}s are made only when asked for (the API, WHATSAT).
 * Clients are keyed by {@link ClientId} key: by the bytes of their id, so ids that would
 * decode to the same text are still distinct clients.
 *
 * <p>Clients fall into {@value #BUCKETS} buckets by their key's hash, one map each, and each
 * bucket keeps a digest of what it holds: the sum of a 64-bit hash of every (client, client
 * time), kept up to date by every store. Two servers whose bucket digests are equal hold the
 * same newest reports there, so a link that comes up exchanges the digests and repairs only
 * the buckets that differ ({@link TableRepair}).
 * Thread-safe: I/O threads of every connection offer reports concurrently; {@link #offer}
 * is atomic per client.
 */
public final class LocationTable {

    /** Buckets of the digest: a power of two, the same on every server of a herd. */
    public static final int BUCKETS = 1024;

    @SuppressWarnings("unchecked")
    private final ConcurrentHashMap<String, byte[]>[] buckets = new ConcurrentHashMap[BUCKETS];
    /** Per bucket, the sum of {@link #hash} over what it holds. */
    private final AtomicLongArray sums = new AtomicLongArray(BUCKETS);

    public LocationTable() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i] = new ConcurrentHashMap<>(4);
        }
    }

    /** The bucket of the client with key {@code clientId}. */
    public static int bucket(String clientId) {
        int h = clientId.hashCode();
        return (h ^ (h >>> 10) ^ (h >>> 20)) & (BUCKETS - 1);
    }

    /**
     * A 64-bit hash of a stored report's (client, client time): the key's hash and the bytes
     * of the line's last field, mixed (MurmurHash3's finaliser). Equal reports hash alike on
     * every server, whichever server's AT line they carry.
     */
    static long hash(String clientId, byte[] line) {
        long h = clientId.hashCode() * 0x9E3779B97F4A7C15L + clientId.length();
        for (int i = line.length - 1; i >= 0 && line[i] != ' '; i--) {
            h = (h ^ line[i]) * 0x100000001B3L;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        return h ^ (h >>> 33);
    }

    /**
     * Stores {@code atLine} (the AT line's bytes, never changed afterwards, its last field
     * {@code time}) as {@code clientId}'s report if {@code time} is newer than the stored
     * one; true when it was stored.
     */
    public boolean offer(String clientId, ClientTime time, byte[] atLine) {
        int b = bucket(clientId);
        ConcurrentHashMap<String, byte[]> lines = buckets[b];
        while (true) {
            byte[] stored = lines.get(clientId);
            if (stored == null) {
                if (lines.putIfAbsent(clientId, atLine) == null) {
                    sums.getAndAdd(b, hash(clientId, atLine));
                    return true;
                }
            } else if (!time.isAfter(timeOf(stored))) {
                return false;
            } else if (lines.replace(clientId, stored, atLine)) { // byte[] equality is identity: a true compare-and-set
                // Each store replaced exactly the line it saw, so the sum stays exact under races.
                sums.getAndAdd(b, hash(clientId, atLine) - hash(clientId, stored));
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
        byte[] stored = buckets[bucket(clientId)].get(clientId);
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
        byte[] line = line(clientId);
        return line == null ? Optional.empty() : report(line);
    }

    /**
     * The stored AT line of the client with key {@code clientId}, byte for byte as its server
     * answered it (never to be changed), or null when the client is unknown.
     */
    public byte[] line(String clientId) {
        return buckets[bucket(clientId)].get(clientId);
    }

    /** The digest of every bucket now: each bucket's sum of hashes (0 for an empty one). */
    public long[] digest() {
        long[] out = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            out[i] = sums.get(i);
        }
        return out;
    }

    /** The digest of bucket {@code b} now. */
    long digest(int b) {
        return sums.get(b);
    }

    /**
     * The stored AT lines of bucket {@code b}, weakly consistent: a line stored while the
     * iteration runs may or may not be seen (a link floods those anyway).
     */
    Iterator<byte[]> lines(int b) {
        return buckets[b].values().iterator();
    }

    /** What {@link #forEach} hands out: one client's newest report. */
    @FunctionalInterface
    public interface Visitor {
        void visit(String clientId, ClientTime time, byte[] atLine);
    }

    /** Hands every client's newest report to {@code visitor} (a link that comes up gets them all). */
    public void forEach(Visitor visitor) {
        for (ConcurrentHashMap<String, byte[]> lines : buckets) {
            lines.forEach((clientId, line) -> visitor.visit(clientId, timeOf(line), line));
        }
    }

    public List<LocationReport> snapshot() {
        List<LocationReport> out = new ArrayList<>(size());
        for (ConcurrentHashMap<String, byte[]> lines : buckets) {
            for (byte[] line : lines.values()) {
                report(line).ifPresent(out::add);
            }
        }
        return out;
    }

    private static Optional<LocationReport> report(byte[] line) {
        return AtLine.parse(line, line.length);
    }

    public int size() {
        int n = 0;
        for (ConcurrentHashMap<String, byte[]> lines : buckets) {
            n += lines.size();
        }
        return n;
    }

    /** Forgets every client (a server taken down); not atomic against concurrent stores. */
    public void clear() {
        for (int i = 0; i < BUCKETS; i++) {
            buckets[i].clear();
            sums.set(i, 0);
        }
    }
}
