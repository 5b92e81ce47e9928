package herd.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import org.junit.jupiter.api.Test;

class ClientClockTest {

    @Test
    void timesAreNineDigitDecimalsThatAlwaysIncrease() {
        ClientClock clock = new ClientClock();
        BigDecimal last = BigDecimal.ZERO;
        for (int i = 0; i < 10_000; i++) {
            String t = clock.next();
            assertTrue(t.matches("\\d+\\.\\d{9}"), t);
            BigDecimal v = new BigDecimal(t);
            assertTrue(v.compareTo(last) > 0, t + " is not after " + last);
            last = v;
        }
    }

    @Test
    void formatKeepsLeadingZerosOfTheFraction() {
        assertEquals("1.000000005", ClientClock.format(1_000_000_005L));
        assertEquals("1764000000.120000000", ClientClock.format(1_764_000_000_120_000_000L));
    }
}
