package herd.engine.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;

/**
 * The second field of an AT reply: server receive time minus client time, as an exact
 * decimal with a sign and exactly nine fraction digits. A client time with more than nine
 * fraction digits makes the difference round half-to-even at the ninth digit; a result
 * that rounds to zero is written {@code +0.000000000}. A fixed-point {@link ClientTime}
 * costs no object here; only the exact fallback goes through {@link BigDecimal}. Pure.
 */
public final class TimeDifference {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    /** Sign, 19 digits of a long, the point, nine digits. */
    public static final int MAX_FIXED_LENGTH = 1 + 19 + 1 + 9;

    private TimeDifference() {
    }

    /**
     * Writes the difference between the server time {@code serverSeconds}.{@code serverNanos}
     * and {@code client} into {@code out} at {@code pos}, returning the position after it.
     * {@code out} must have {@link #MAX_FIXED_LENGTH} bytes free, or room for
     * {@link #format} when {@code client} is not fixed.
     */
    public static int write(long serverSeconds, int serverNanos, ClientTime client, byte[] out, int pos) {
        if (!client.isFixed()) {
            byte[] text = format(serverSeconds, serverNanos, client).getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(text, 0, out, pos, text.length);
            return pos + text.length;
        }
        // Both parts below 10^18 in magnitude: no overflow. Give them one sign, then print.
        long s = serverSeconds - client.seconds();
        long n = serverNanos - client.nanos();
        if (s > 0 && n < 0) {
            s--;
            n += NANOS_PER_SECOND;
        } else if (s < 0 && n > 0) {
            s++;
            n -= NANOS_PER_SECOND;
        }
        boolean negative = s < 0 || n < 0;
        out[pos++] = (byte) (negative ? '-' : '+');
        pos = digits(Math.abs(s), out, pos);
        out[pos++] = '.';
        long frac = Math.abs(n);
        for (long scale = NANOS_PER_SECOND / 10; scale > 0; scale /= 10) {
            out[pos++] = (byte) ('0' + frac / scale % 10);
        }
        return pos;
    }

    /** The difference as text; the exact {@link BigDecimal} arithmetic, for any client time. */
    public static String format(long serverSeconds, int serverNanos, ClientTime client) {
        BigDecimal server = BigDecimal.valueOf(serverSeconds).add(BigDecimal.valueOf(serverNanos, 9));
        BigDecimal diff = server.subtract(client.toBigDecimal()).setScale(9, RoundingMode.HALF_EVEN);
        return (diff.signum() < 0 ? "" : "+") + diff.toPlainString();
    }

    private static int digits(long v, byte[] out, int pos) {
        int len = 1;
        for (long t = v; t >= 10; t /= 10) {
            len++;
        }
        for (int i = pos + len - 1; i >= pos; i--) {
            out[i] = (byte) ('0' + v % 10);
            v /= 10;
        }
        return pos + len;
    }
}
