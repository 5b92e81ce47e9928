package herd.engine.protocol;

import java.math.BigDecimal;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An ISO 6709 decimal-degrees location such as {@code +34.068930-118.445127}, kept with
 * the exact text the client sent (replies and peers copy it byte for byte).
 */
public record Coordinates(String text, BigDecimal latitude, BigDecimal longitude) {

    private static final Pattern ISO_6709 = Pattern.compile("([+-]\\d+(?:\\.\\d+)?)([+-]\\d+(?:\\.\\d+)?)");
    private static final BigDecimal MAX_LAT = BigDecimal.valueOf(90);
    private static final BigDecimal MAX_LNG = BigDecimal.valueOf(180);

    /** The parsed location, or empty when the text is not {@code [+-]lat[+-]lng} within range. */
    public static Optional<Coordinates> parse(String text) {
        Matcher m = ISO_6709.matcher(text);
        if (!m.matches()) {
            return Optional.empty();
        }
        BigDecimal lat = new BigDecimal(m.group(1));
        BigDecimal lng = new BigDecimal(m.group(2));
        if (lat.abs().compareTo(MAX_LAT) > 0 || lng.abs().compareTo(MAX_LNG) > 0) {
            return Optional.empty();
        }
        return Optional.of(new Coordinates(text, lat, lng));
    }

    /** Latitude as Google's {@code location=} parameter wants it: plain, no plus sign. */
    public String latitudeParam() {
        return latitude.toPlainString();
    }

    public String longitudeParam() {
        return longitude.toPlainString();
    }
}
