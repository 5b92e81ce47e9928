package herd.engine;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * One client's reported location as the herd stores and floods it: the AT line that the
 * server which received the IAMAT answered, field by field, exactly as that server wrote it.
 * The fields are text for people: the line's bytes decoded as UTF-8. A client id is the
 * bytes the client sent, any bytes; one that is not valid UTF-8 shows its malformed bytes as
 * U+FFFD here, so two such ids may look alike in a report while the herd (which compares
 * and floods the bytes) keeps them apart and answers each with its exact bytes.
 *
 * @param server         the server that received the client's IAMAT
 * @param timeDifference that server's receive time minus the client's time, e.g. {@code +0.263873386}
 * @param clientId       the client's id, as text
 * @param location       the ISO 6709 location text as the client sent it
 * @param clientTime     the client's POSIX time text as the client sent it
 */
public record LocationReport(String server, String timeDifference, String clientId, String location,
                             String clientTime) {

    public LocationReport {
        Objects.requireNonNull(server);
        Objects.requireNonNull(timeDifference);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(location);
        Objects.requireNonNull(clientTime);
    }

    /** The AT line, without a line terminator. */
    public String atLine() {
        return "AT " + server + " " + timeDifference + " " + clientId + " " + location + " " + clientTime;
    }

    /** The client's time as an exact decimal; reports are ordered by it. */
    public BigDecimal clientTimeValue() {
        return new BigDecimal(clientTime);
    }

    /** True when this report's client time is strictly newer than {@code other}'s. */
    public boolean isNewerThan(LocationReport other) {
        return clientTimeValue().compareTo(other.clientTimeValue()) > 0;
    }

}
