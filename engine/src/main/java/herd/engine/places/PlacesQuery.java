package herd.engine.places;

import herd.engine.LocationReport;
import herd.engine.protocol.Command;
import herd.engine.protocol.Coordinates;
import java.math.BigDecimal;

/**
 * One Nearby Search: around a client's location, within {@code radiusMeters}, at most
 * {@code bound} results (providers may return more; the reply is cut to the bound).
 */
public record PlacesQuery(Coordinates center, BigDecimal radiusMeters, int bound) {

    public static PlacesQuery of(LocationReport where, Command.WhatsAt ask) {
        BigDecimal meters = ask.radiusKm().multiply(BigDecimal.valueOf(1000)).stripTrailingZeros();
        return new PlacesQuery(Coordinates.parse(where.location()).orElseThrow(), meters, ask.bound());
    }

    /** The radius as Google's {@code radius=} parameter: plain decimal metres. */
    String radiusParam() {
        return radiusMeters.toPlainString();
    }
}
