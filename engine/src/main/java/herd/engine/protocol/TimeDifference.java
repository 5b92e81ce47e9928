package herd.engine.protocol;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * The second field of an AT reply: server receive time minus client time, as an exact
 * decimal with a sign and exactly nine fraction digits. A client time with more than nine
 * fraction digits makes the difference round half-to-even at the ninth digit; a result
 * that rounds to zero is written {@code +0.000000000}.
 */
public final class TimeDifference {

    private TimeDifference() {
    }

    public static String format(Instant serverTime, BigDecimal clientTime) {
        BigDecimal server = BigDecimal.valueOf(serverTime.getEpochSecond())
                .add(BigDecimal.valueOf(serverTime.getNano(), 9));
        BigDecimal diff = server.subtract(clientTime).setScale(9, RoundingMode.HALF_EVEN);
        return (diff.signum() < 0 ? "" : "+") + diff.toPlainString();
    }
}
