package herd.engine.peer;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;

/**
 * What one link's end owes its peer of the table when the link comes up (README "Table
 * repair"): both ends send their {@link LocationTable} digests; each compares the other's with
 * its own and sends the stored reports of the buckets that differ, and nothing else, so a
 * short flap moves the digests (a few KB) and a restarted, empty server gets everything.
 *
 * <p>The reports go in batches ({@code HERD-REPAIR batch count}, then the lines) of about
 * {@value #BATCH_BYTES} bytes, at most {@value #WINDOW_BATCHES} of them unacknowledged: the
 * peer acknowledges each batch once it has taken it. So repair never has more than about
 * 128 KB in flight on a link, in every buffer on the way, whatever the table's size: live
 * updates and heartbeats, which the link writes as they come, wait behind that at most, and
 * the link never holds a copy of the table. {@code HERD-REPAIR-DONE} ends the answer to one
 * digest. One round runs at a time per connection; the differences of a digest that arrives
 * meanwhile are sent after it. A connection that closes forgets its round.
 *
 * <p>Not thread-safe: its {@link PeerLink} guards it with the lock of everything it writes,
 * so a batch's lines are never split by another line of the link.
 */
final class TableRepair {

    /** A batch ends once it holds this many bytes of lines. */
    static final int BATCH_BYTES = 32 * 1024;
    /** Batches sent and not yet acknowledged, at most. */
    static final int WINDOW_BATCHES = 4;
    /** {@code bucket:sum} pairs per digest line (about 1.6 KB a line). */
    static final int DIGEST_PAIRS_PER_LINE = 64;

    /** Where the repair's lines go: the link writes, counts and logs them. */
    interface Out {
        void line(String line);

        void record(byte[] atLine);

        /** A round ended: for the log. */
        void finished(int records, long bytes, int buckets, long nanos);
    }

    private final LocationTable table;
    /** The round being sent: buckets left, the bucket being read and its lines; null when idle. */
    private BitSet todo;
    private int bucket;
    private Iterator<byte[]> lines;
    /** Differences of digests that arrived while a round ran: the next round. */
    private BitSet next;
    /** Rounds owed: digests answered by the round running or the next, each ends with a DONE. */
    private int owed;
    private int sent;
    private int acked;
    private int records;
    private long bytes;
    private int roundBuckets;
    private long startedNanos;
    /** Answers (DONE lines) the peer owes this end for the digests it sent. */
    private int awaited;
    /**
     * The peer's latest digest showed no bucket where it holds something and differs from this
     * end: its answers will carry no report this end lacks (a neighbour that has just started,
     * empty), so nothing need wait for them ({@link #expecting}).
     */
    private boolean peerHasNothingNew;
    private final List<byte[]> batch = new ArrayList<>();

    TableRepair(LocationTable table) {
        this.table = table;
    }

    /** A new connection: nothing running, nothing owed. */
    void reset() {
        todo = null;
        lines = null;
        next = null;
        owed = 0;
        sent = 0;
        acked = 0;
        awaited = 0;
        peerHasNothingNew = false;
    }

    /** This end's digest, as the lines to send; the peer owes an answer for it. */
    List<String> digest(boolean reply) {
        long[] sums = table.digest();
        List<String> out = new ArrayList<>();
        int[] buckets = new int[DIGEST_PAIRS_PER_LINE];
        long[] values = new long[DIGEST_PAIRS_PER_LINE];
        int n = 0;
        for (int b = 0; b < sums.length; b++) {
            if (sums[b] == 0) {
                continue;
            }
            buckets[n] = b;
            values[n] = sums[b];
            if (++n == DIGEST_PAIRS_PER_LINE) {
                out.add(new PeerMessage.Digest(buckets, values).line());
                n = 0;
            }
        }
        if (n > 0) {
            out.add(new PeerMessage.Digest(java.util.Arrays.copyOf(buckets, n), java.util.Arrays.copyOf(values, n)).line());
        }
        out.add(new PeerMessage.DigestEnd(LocationTable.BUCKETS, table.size(), reply).line());
        awaited++;
        return out;
    }

    /**
     * The peer's digest ({@code sums}, every bucket; {@code buckets} the peer's bucket count)
     * arrived: the buckets where it differs from this end's are sent, after the round that
     * runs. Returns how many differ.
     */
    int answer(long[] sums, int buckets) {
        BitSet differ = new BitSet(LocationTable.BUCKETS);
        for (int b = 0; b < LocationTable.BUCKETS; b++) {
            if (buckets != LocationTable.BUCKETS || table.digest(b) != sums[b]) {
                differ.set(b);
            }
        }
        owed++;
        if (todo == null) {
            start(differ);
        } else if (next == null) {
            next = differ;
        } else {
            next.or(differ);
        }
        return differ.cardinality();
    }

    private void start(BitSet differ) {
        todo = differ;
        bucket = -1;
        lines = null;
        records = 0;
        bytes = 0;
        roundBuckets = differ.cardinality();
        startedNanos = System.nanoTime();
    }

    /**
     * The peer's digest ({@code sums}, every bucket; {@code buckets} the peer's bucket count)
     * arrived, answered now or later: notes whether the peer can hold anything this end lacks.
     * A bucket that can bring something is one the peer holds reports in and whose sum differs
     * from this end's; the peer answers this end's digest with exactly those.
     */
    void peerDigest(long[] sums, int buckets) {
        boolean nothing = buckets == LocationTable.BUCKETS;
        for (int b = 0; nothing && b < LocationTable.BUCKETS; b++) {
            nothing = sums[b] == 0 || table.digest(b) == sums[b];
        }
        peerHasNothingNew = nothing;
    }

    /**
     * Answers the peer's digest with nothing, at once: this server will ask for a round of
     * its own once the repair it is taking from another neighbour is done (see
     * {@link PeerLink#digestReceived}).
     */
    void answerLater(Out out) {
        out.line(new PeerMessage.RepairDone(0, 0).line());
    }

    /** The peer took every batch up to {@code batch}. */
    void acked(int batch) {
        if (batch - acked > 0 && sent - batch >= 0) {
            acked = batch;
        }
    }

    /** One answer the peer owed arrived; false when none was owed (a confused peer: ignored). */
    boolean done() {
        if (awaited == 0) {
            return false;
        }
        awaited--;
        return true;
    }

    /**
     * True while the peer owes this end an answer that may bring reports it lacks: it owes
     * one, and its latest digest did not show that it holds nothing new.
     */
    boolean expecting() {
        return awaited > 0 && !peerHasNothingNew;
    }

    /** True while a round is being sent. */
    boolean running() {
        return todo != null;
    }

    /**
     * Sends batches while the window has room and {@code room} says the connection has (the
     * caller has sent every live update that waited first).
     */
    void pump(Out out, java.util.function.BooleanSupplier room) {
        while (todo != null && sent - acked < WINDOW_BATCHES && room.getAsBoolean()) {
            long batchBytes = 0;
            while (batchBytes < BATCH_BYTES) {
                byte[] line = nextLine();
                if (line == null) {
                    break;
                }
                batch.add(line);
                batchBytes += line.length + 1;
            }
            if (!batch.isEmpty()) {
                sent++;
                out.line(new PeerMessage.RepairBatch(sent, batch.size()).line());
                for (byte[] line : batch) {
                    out.record(line);
                }
                records += batch.size();
                bytes += batchBytes;
                batch.clear();
            }
            if (lines == null && (bucket < 0 || todo.nextSetBit(bucket + 1) < 0)) {
                finish(out);
            }
        }
    }

    /** The next line of the round, or null when it has none left. */
    private byte[] nextLine() {
        while (lines == null || !lines.hasNext()) {
            int b = todo.nextSetBit(bucket + 1);
            if (b < 0) {
                lines = null;
                return null;
            }
            bucket = b;
            lines = table.lines(b);
        }
        return lines.next();
    }

    private void finish(Out out) {
        out.finished(records, bytes, roundBuckets, System.nanoTime() - startedNanos);
        BitSet following = next;
        int answered = following == null ? owed : owed - 1;
        for (int i = 0; i < answered; i++) {
            out.line(new PeerMessage.RepairDone(records, roundBuckets).line());
        }
        owed -= answered;
        next = null;
        todo = null;
        lines = null;
        if (following != null) {
            start(following);
        }
    }
}
