package herd.engine.protocol;

import herd.engine.config.Limits;
import java.nio.charset.StandardCharsets;

/**
 * Reads the two lines that carry a location, on the bytes they arrived in: a client's
 * {@code IAMAT id location time} (SPEC §2) and a peer's {@code AT server difference id
 * location time} (SPEC §3), with no regex, no {@link java.math.BigDecimal} and no object
 * but the {@link ClientTime} on the common path. It accepts exactly what {@link CommandParser}
 * and {@link AtLine} accept, within the field bounds of {@link Limits} (the id's bytes, the
 * digits of the time and of each coordinate; an AT line's difference may have as many integer
 * digits as the time, or 19, plus one), so that every AT line it makes or takes has a bounded
 * length. After a successful parse its getters describe that line.
 *
 * <p>Not thread-safe: one parser per connection, used by that connection's I/O thread.
 */
public final class ReportParser {

    private static final byte[] IAMAT = {'I', 'A', 'M', 'A', 'T'};
    private static final byte[] AT = {'A', 'T'};
    private static final int MAX_FIELDS = 6;
    private static final int DIFFERENCE_FRACTION_DIGITS = 9;

    /** Integer digits a fixed-point difference can have: a long's. */
    private static final int FIXED_DIFFERENCE_DIGITS = 19;

    private final int maxIdBytes;
    private final int maxTimeDigits;
    private final int maxCoordinateDigits;
    private final int maxDifferenceBytes;
    private final int[] starts = new int[MAX_FIELDS];
    private final int[] ends = new int[MAX_FIELDS];
    /** Scratch for a reply's difference field (fixed-point times only). */
    private final byte[] difference = new byte[TimeDifference.MAX_FIXED_LENGTH];
    private byte[] line;
    private int fieldCount;
    private ClientTime time;

    /** A parser within the default field bounds ({@link Limits#defaults()}). */
    public ReportParser() {
        this(Limits.defaults());
    }

    /** A parser within the field bounds of {@code limits}. */
    public ReportParser(Limits limits) {
        this(limits.maxClientIdBytes(), limits.maxTimeDigits(), limits.maxCoordinateDigits());
    }

    private ReportParser(int maxIdBytes, int maxTimeDigits, int maxCoordinateDigits) {
        this.maxIdBytes = maxIdBytes;
        this.maxTimeDigits = maxTimeDigits;
        this.maxCoordinateDigits = maxCoordinateDigits;
        this.maxDifferenceBytes = (int) Math.min(Integer.MAX_VALUE,
                Math.max((long) maxTimeDigits, FIXED_DIFFERENCE_DIGITS) + 3 + DIFFERENCE_FRACTION_DIGITS);
    }

    /** A parser with no field bounds: for lines already taken within someone's bounds (the table's). */
    static ReportParser unbounded() {
        return new ReportParser(Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    /** True when {@code b[0, len)} is a well-formed IAMAT; then {@link #clientId()} and the rest apply. */
    public boolean iAmAt(byte[] b, int len) {
        if (split(b, len) != 4 || !fieldIs(0, IAMAT)) {
            return false;
        }
        return report(1);
    }

    /** True when {@code b[0, len)} is a well-formed AT line; then {@link #atLine()} and the rest apply. */
    public boolean at(byte[] b, int len) {
        if (split(b, len) != 6 || !fieldIs(0, AT) || !isDifference(starts[2], ends[2])) {
            return false;
        }
        return report(3);
    }

    /** Checks the id, location and time fields from {@code id} on, each within its bound; keeps the time. */
    private boolean report(int id) {
        if (ends[id] - starts[id] > maxIdBytes
                || !Coordinates.isValid(line, starts[id + 1], ends[id + 1] - starts[id + 1], maxCoordinateDigits)
                || !Coordinates.digitsWithin(line, starts[id + 2], ends[id + 2], maxTimeDigits)) {
            return false;
        }
        time = ClientTime.parse(line, starts[id + 2], ends[id + 2] - starts[id + 2]);
        return time != null;
    }

    /** The client's time of the line parsed last. */
    public ClientTime time() {
        return time;
    }

    /**
     * For the AT line parsed last, the time its server received the report (its client time
     * plus its difference) in nanoseconds since the epoch; {@link Long#MIN_VALUE} when that
     * does not fit a long (a time held as an exact decimal, a difference of more than 18
     * integer digits, or a sum outside 1970 to 2262). No allocation.
     */
    public long serverTimeNanos() {
        if (fieldCount != MAX_FIELDS || !time.isFixed()) {
            return Long.MIN_VALUE;
        }
        int from = starts[2];
        int point = ends[2] - 1 - DIFFERENCE_FRACTION_DIGITS;
        if (point - (from + 1) > ClientTime.MAX_FIXED_INTEGER_DIGITS) {
            return Long.MIN_VALUE;
        }
        long seconds = 0;
        for (int i = from + 1; i < point; i++) {
            seconds = seconds * 10 + (line[i] - '0');
        }
        long nanos = 0;
        for (int i = point + 1; i < ends[2]; i++) {
            nanos = nanos * 10 + (line[i] - '0');
        }
        if (line[from] == '-') {
            seconds = -seconds;
            nanos = -nanos;
        }
        seconds += time.seconds();
        nanos += time.nanos();
        if (nanos < 0) {
            nanos += 1_000_000_000L;
            seconds--;
        } else if (nanos >= 1_000_000_000L) {
            nanos -= 1_000_000_000L;
            seconds++;
        }
        if (seconds < 0 || seconds >= Long.MAX_VALUE / 1_000_000_000L) {
            return Long.MIN_VALUE;
        }
        return seconds * 1_000_000_000L + nanos;
    }

    /** The client id of the line parsed last, as its {@link ClientId} key (the table's key). */
    public String clientId() {
        int f = fieldCount == 4 ? 1 : 3;
        return ClientId.key(line, starts[f], ends[f] - starts[f]);
    }

    /**
     * The AT line answering the IAMAT parsed last: {@code AT server difference id location
     * time}, the operands copied byte for byte, the difference from the receive time
     * {@code seconds}.{@code nanos}. One array, exactly the line's length.
     */
    public byte[] reply(byte[] server, long seconds, int nanos) {
        byte[] diff = difference;
        int diffLength;
        if (time.isFixed()) {
            diffLength = TimeDifference.write(seconds, nanos, time, diff, 0);
        } else {
            diff = TimeDifference.format(seconds, nanos, time).getBytes(StandardCharsets.US_ASCII);
            diffLength = diff.length;
        }
        int operands = 2; // the spaces between them
        for (int f = 1; f <= 3; f++) {
            operands += ends[f] - starts[f];
        }
        byte[] out = new byte[3 + server.length + 1 + diffLength + 1 + operands];
        int pos = put(AT, 0, AT.length, out, 0);
        out[pos++] = ' ';
        pos = put(server, 0, server.length, out, pos);
        out[pos++] = ' ';
        pos = put(diff, 0, diffLength, out, pos);
        for (int f = 1; f <= 3; f++) {
            out[pos++] = ' ';
            pos = put(line, starts[f], ends[f] - starts[f], out, pos);
        }
        return out;
    }

    /** The AT line parsed last, its fields joined by single spaces (as its server wrote it). */
    public byte[] atLine() {
        int length = MAX_FIELDS - 1;
        for (int f = 0; f < MAX_FIELDS; f++) {
            length += ends[f] - starts[f];
        }
        byte[] out = new byte[length];
        int pos = 0;
        for (int f = 0; f < MAX_FIELDS; f++) {
            if (f > 0) {
                out[pos++] = ' ';
            }
            pos = put(line, starts[f], ends[f] - starts[f], out, pos);
        }
        return out;
    }

    private static int put(byte[] from, int off, int len, byte[] out, int pos) {
        System.arraycopy(from, off, out, pos, len);
        return pos + len;
    }

    /** Splits on runs of SPEC white space; returns the field count (counting on past {@link #MAX_FIELDS}). */
    private int split(byte[] b, int len) {
        line = b;
        int n = 0;
        int i = 0;
        while (i < len) {
            while (i < len && isSpace(b[i])) {
                i++;
            }
            int start = i;
            while (i < len && !isSpace(b[i])) {
                i++;
            }
            if (i > start) {
                if (n < MAX_FIELDS) {
                    starts[n] = start;
                    ends[n] = i;
                }
                n++;
            }
        }
        fieldCount = n;
        return n;
    }

    private boolean fieldIs(int f, byte[] word) {
        int len = ends[f] - starts[f];
        if (len != word.length) {
            return false;
        }
        for (int i = 0; i < len; i++) {
            if (line[starts[f] + i] != word[i]) {
                return false;
            }
        }
        return true;
    }

    /** {@code [+-]digits.ddddddddd}: exactly nine fraction digits; no longer than the time's bound allows. */
    private boolean isDifference(int from, int to) {
        if (to - from < 1 + 1 + 1 + DIFFERENCE_FRACTION_DIGITS || to - from > maxDifferenceBytes
                || line[from] != '+' && line[from] != '-') {
            return false;
        }
        int point = to - 1 - DIFFERENCE_FRACTION_DIGITS;
        for (int i = from + 1; i < to; i++) {
            if (i == point ? line[i] != '.' : line[i] < '0' || line[i] > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isSpace(byte c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == 0x0B;
    }
}
