package herd.engine.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TimeDifferenceTest {

    /** The difference as the server writes it (fixed-point, or the exact fallback), checked against {@link TimeDifference#format}. */
    private static String diff(long sec, int nanos, String client) {
        ClientTime t = ClientTime.parse(client);
        byte[] out = new byte[80];
        String written = new String(out, 0, TimeDifference.write(sec, nanos, t, out, 0), StandardCharsets.US_ASCII);
        assertEquals(TimeDifference.format(sec, nanos, t), written);
        return written;
    }

    @Test
    void positiveDifferenceHasPlusAndNineDigits() {
        assertEquals("+0.263873386", diff(1520023935, 182837383, "1520023934.918963997"));
    }

    @Test
    void negativeSkewHasMinus() {
        assertEquals("-1.500000000", diff(100, 0, "101.5"));
        assertEquals("-0.000000001", diff(100, 0, "100.000000001"));
    }

    @Test
    void zeroIsWrittenWithPlus() {
        assertEquals("+0.000000000", diff(100, 0, "100"));
    }

    @Test
    void clientTimeWithFewerDigitsIsPadded() {
        assertEquals("+2.250000000", diff(3, 250_000_000, "1"));
        assertEquals("+0.150000000", diff(10, 250_000_000, "10.1"));
    }

    @Test
    void clientTimeWithMoreDigitsRoundsHalfEven() {
        // 2 - 1.0000000005 = 0.9999999995: the ninth digit 9 is odd, so the tie rounds up
        assertEquals("+1.000000000", diff(2, 0, "1.0000000005"));
        assertEquals("+0.123456789", diff(1, 123456789, "1.00000000000000000001"));
    }

    @Test
    void roundingHalfToEvenAtTheNinthDigit() {
        // server 2.000000000 - 1.0000000015 = 0.9999999985 -> 0.999999998 (8 is even)
        assertEquals("+0.999999998", diff(2, 0, "1.0000000015"));
        // server 2.000000000 - 1.0000000025 = 0.9999999975 -> 0.999999998 (7 rounds up to even 8)
        assertEquals("+0.999999998", diff(2, 0, "1.0000000025"));
        // a difference that rounds to zero from below is written +0
        assertEquals("+0.000000000", diff(2, 0, "2.0000000004"));
    }

    @Test
    void hugeSkewStaysExact() {
        assertEquals("+1763938000.123456789", diff(1763938000, 123456789, "0"));
        assertEquals("-99999999999999999998.000000000", diff(1, 0, "99999999999999999999"));
    }
}
