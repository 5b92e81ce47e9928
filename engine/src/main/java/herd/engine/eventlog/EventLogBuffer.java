package herd.engine.eventlog;

import herd.engine.Party;
import herd.engine.node.ServerLog;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.List;

/**
 * One server's event log on its way to the file: each line is written as bytes straight into
 * the current block, and full blocks wait for the {@link EventLogWriter}, which takes them
 * (and the current block, if it holds anything) every few milliseconds and gives them back
 * once written. So a line costs no object and no wake-up, and the file gets large writes.
 *
 * <p>Memory is bounded: when blocks holding {@link #MAX_PENDING_BYTES} wait for the writer, a
 * further line is not kept but counted ({@link #takeDropped()}), and the writer reports the
 * count in the log. The writer keeps up with any load this engine makes; the bound is for a
 * stalled disk.
 *
 * <p>Thread-safe: I/O threads and the timer append, the writer thread takes and gives back
 * blocks, all under this object's lock, held for one line's formatting at a time.
 */
public final class EventLogBuffer implements ServerLog {

    static final int BLOCK_BYTES = 64 * 1024;
    static final long MAX_PENDING_BYTES = 32L * 1024 * 1024;
    private static final int SPARE_BLOCKS = 4;

    /** Bytes of log on their way to the file; only blocks of {@link #BLOCK_BYTES} are reused. */
    static final class Block {
        final byte[] bytes;
        int length;

        Block(int capacity) {
            bytes = new byte[capacity];
        }
    }

    private final long maxPendingBytes;
    // All below guarded by this.
    private Block current = new Block(BLOCK_BYTES);
    private final ArrayDeque<Block> full = new ArrayDeque<>();
    private final ArrayDeque<Block> spare = new ArrayDeque<>();
    /** Capacity of the blocks taken from {@link #current} and not yet given back. */
    private long pendingBytes;
    private long dropped;
    private long second = Long.MIN_VALUE;
    private byte[] secondText;
    /**
     * The last payload and where its escaped bytes are in {@link #current}: a report's AT line
     * is logged as LEARNED and as PEER_OUT to each link, the same array each time.
     */
    private Object lastPayload;
    private int lastPayloadAt;
    private int lastPayloadLength;

    public EventLogBuffer() {
        this(MAX_PENDING_BYTES);
    }

    EventLogBuffer(long maxPendingBytes) {
        this.maxPendingBytes = maxPendingBytes;
    }

    @Override
    public synchronized void append(Instant at, String kind, Party party, String payload) {
        int pos = begin(at, kind, party, EventLogBytes.maxLength(kind, party, payload.length()));
        if (pos < 0) {
            return;
        }
        byte[] out = current.bytes;
        if (!payload.isEmpty()) {
            out[pos++] = ' ';
            if (payload == lastPayload) {
                pos = repeatLast(out, pos);
            } else {
                int start = pos;
                pos = EventLogBytes.escaped(payload, out, pos);
                remember(payload, start, pos);
            }
        }
        end(pos);
    }

    @Override
    public synchronized void append(Instant at, String kind, Party party, byte[] payload, int length, boolean fixed) {
        if (!EventLogBytes.isAscii(payload, length)) {
            // UTF-8 as a decoder would repair it: the string path, once per line
            append(at, kind, party, new String(payload, 0, length, StandardCharsets.UTF_8));
            return;
        }
        int pos = begin(at, kind, party, EventLogBytes.maxLength(kind, party, length));
        if (pos < 0) {
            return;
        }
        byte[] out = current.bytes;
        if (length > 0) {
            out[pos++] = ' ';
            if (fixed && payload == lastPayload) {
                pos = repeatLast(out, pos);
            } else {
                int start = pos;
                pos = EventLogBytes.escaped(payload, length, out, pos);
                remember(fixed ? payload : null, start, pos);
            }
        }
        end(pos);
    }

    /** Makes room for {@code max} bytes and writes the time, kind and party; -1 when the line is dropped. */
    private int begin(Instant at, String kind, Party party, int max) {
        if (current.bytes.length - current.length < max && !makeRoom(max)) {
            dropped++;
            return -1;
        }
        byte[] out = current.bytes;
        int pos = current.length;
        if (at.getEpochSecond() != second) {
            second = at.getEpochSecond();
            secondText = EventLogBytes.second(second);
        }
        pos = EventLogBytes.time(secondText, at.getNano(), out, pos);
        out[pos++] = ' ';
        pos = EventLogBytes.plain(kind, out, pos);
        out[pos++] = ' ';
        return EventLogBytes.party(party, out, pos);
    }

    private void end(int pos) {
        current.bytes[pos++] = '\n';
        current.length = pos;
    }

    private int repeatLast(byte[] out, int pos) {
        System.arraycopy(out, lastPayloadAt, out, pos, lastPayloadLength);
        return pos + lastPayloadLength;
    }

    private void remember(Object payload, int start, int end) {
        lastPayload = payload;
        lastPayloadAt = start;
        lastPayloadLength = end - start;
    }

    /** Moves the current block to the writer's queue and starts another that holds {@code max} bytes. */
    private boolean makeRoom(int max) {
        if (current.length > 0) {
            if (pendingBytes + current.bytes.length > maxPendingBytes) {
                return false;
            }
            pendingBytes += current.bytes.length;
            full.add(current);
        } else {
            release(current); // empty, but too small for this line
        }
        Block next = max <= BLOCK_BYTES ? spare.poll() : null;
        replaceCurrent(next != null ? next : new Block(Math.max(BLOCK_BYTES, max)));
        return true;
    }

    private void replaceCurrent(Block b) {
        current = b;
        lastPayload = null;
    }

    /** Writer: moves every block with lines in it, in order, to {@code out}. */
    synchronized void takeBlocks(List<Block> out) {
        out.addAll(full);
        full.clear();
        if (current.length > 0) {
            pendingBytes += current.bytes.length;
            out.add(current);
            Block next = spare.poll();
            replaceCurrent(next != null ? next : new Block(BLOCK_BYTES));
        }
    }

    /** Writer: {@code b} is written; its room may be used again. */
    synchronized void giveBack(Block b) {
        pendingBytes -= b.bytes.length;
        b.length = 0;
        release(b);
    }

    private void release(Block b) {
        if (b.bytes.length == BLOCK_BYTES && spare.size() < SPARE_BLOCKS) {
            spare.add(b);
        }
    }

    /** Writer: how many lines were not kept since the last call. */
    synchronized long takeDropped() {
        long n = dropped;
        dropped = 0;
        return n;
    }
}
