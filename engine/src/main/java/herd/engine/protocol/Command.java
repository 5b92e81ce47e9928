package herd.engine.protocol;

import java.math.BigDecimal;

/**
 * One client line, parsed. Pure value types; {@link CommandParser} makes them. A client id
 * is a {@link ClientId} key when the line was parsed from its bytes, as the server does.
 */
public sealed interface Command {

    /** {@code IAMAT id location time}: a client reports where it is. */
    record IAmAt(String clientId, Coordinates location, String timeText, ClientTime time) implements Command {}

    /** {@code WHATSAT id radiusKm bound}: places near a client's last known location. */
    record WhatsAt(String clientId, BigDecimal radiusKm, int bound) implements Command {}

    /** Anything else: answered with {@code ? } and the line as received. */
    record Invalid(String line) implements Command {}
}
