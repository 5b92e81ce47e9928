package herd.engine.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;

/**
 * A client's POSIX time ({@code digits[.digits]}, SPEC §2) as an exact value that costs no
 * {@link BigDecimal} on the common path: whole seconds and nanoseconds as longs when the time
 * has at most 18 significant integer digits and at most 9 fraction digits (any real clock),
 * else the exact decimal. Comparison is exact either way: newest-wins never rounds.
 * Immutable; thread-safe.
 */
public final class ClientTime implements Comparable<ClientTime> {

    /** Below 10^18, so whole seconds and any difference of two of them fit a long. */
    static final int MAX_FIXED_INTEGER_DIGITS = 18;
    static final int NANO_DIGITS = 9;

    private final long seconds;
    private final int nanos;
    /** The exact value when the time does not fit {@link #seconds} and {@link #nanos}; else null. */
    private final BigDecimal exact;

    private ClientTime(long seconds, int nanos, BigDecimal exact) {
        this.seconds = seconds;
        this.nanos = nanos;
        this.exact = exact;
    }

    /** The time in {@code b[off, off+len)}, or null when it is not {@code digits[.digits]} in ASCII. */
    public static ClientTime parse(byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        while (i < end && b[i] == '0') {
            i++; // leading zeros are not significant
        }
        int intStart = i;
        long whole = 0;
        while (i < end && isDigit(b[i])) {
            if (i - intStart < MAX_FIXED_INTEGER_DIGITS) {
                whole = whole * 10 + (b[i] - '0');
            }
            i++;
        }
        int intDigits = i - intStart;
        if (i == off) {
            return null; // no digit before the point (or nothing at all)
        }
        long fraction = 0;
        int fractionDigits = 0;
        if (i < end) {
            if (b[i] != '.' || i + 1 == end) {
                return null;
            }
            i++;
            for (; i < end; i++) {
                if (!isDigit(b[i])) {
                    return null;
                }
                if (fractionDigits < NANO_DIGITS) {
                    fraction = fraction * 10 + (b[i] - '0');
                }
                fractionDigits++;
            }
        }
        if (intDigits > MAX_FIXED_INTEGER_DIGITS || fractionDigits > NANO_DIGITS) {
            return new ClientTime(0, 0, new BigDecimal(new String(b, off, len, StandardCharsets.US_ASCII)));
        }
        for (int d = fractionDigits; d < NANO_DIGITS; d++) {
            fraction *= 10;
        }
        return new ClientTime(whole, (int) fraction, null);
    }

    /** The time in {@code text}, or null when it is not {@code digits[.digits]}. */
    public static ClientTime parse(String text) {
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) >= 0x80) {
                return null;
            }
        }
        byte[] b = text.getBytes(StandardCharsets.US_ASCII);
        return parse(b, 0, b.length);
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** True when the value is held as seconds and nanoseconds (the fast path). */
    public boolean isFixed() {
        return exact == null;
    }

    /** Whole seconds; meaningful only when {@link #isFixed()}. */
    long seconds() {
        return seconds;
    }

    /** Nanoseconds past {@link #seconds()}; meaningful only when {@link #isFixed()}. */
    int nanos() {
        return nanos;
    }

    /** The exact value. Allocates: for the rare path and for tests. */
    public BigDecimal toBigDecimal() {
        return exact != null ? exact : BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, NANO_DIGITS));
    }

    @Override
    public int compareTo(ClientTime other) {
        if (exact == null && other.exact == null) {
            int c = Long.compare(seconds, other.seconds);
            return c != 0 ? c : Integer.compare(nanos, other.nanos);
        }
        return toBigDecimal().compareTo(other.toBigDecimal());
    }

    /**
     * True when this time is strictly later than {@code seconds}.{@code nanos} (0 <= nanos < 10^9):
     * the clock-skew test, exact and, for any real clock, two long comparisons.
     */
    public boolean isLaterThan(long seconds, int nanos) {
        if (exact == null) {
            return this.seconds > seconds || this.seconds == seconds && this.nanos > nanos;
        }
        return exact.compareTo(BigDecimal.valueOf(seconds).add(BigDecimal.valueOf(nanos, NANO_DIGITS))) > 0;
    }

    /**
     * True when this time is more than {@code skewSeconds} ahead of {@code now}: the
     * clock-sanity test (limits.maxClockSkewSeconds) of an IAMAT and of a peer's update.
     */
    public boolean isTooFarAhead(java.time.Instant now, long skewSeconds) {
        return isLaterThan(now.getEpochSecond() + skewSeconds, now.getNano());
    }

    /** True when this time is strictly later than {@code other}: the table's newest-wins test. */
    public boolean isAfter(ClientTime other) {
        return compareTo(other) > 0;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ClientTime t && compareTo(t) == 0;
    }

    @Override
    public int hashCode() {
        return toBigDecimal().stripTrailingZeros().hashCode();
    }

    @Override
    public String toString() {
        return toBigDecimal().toPlainString();
    }
}
