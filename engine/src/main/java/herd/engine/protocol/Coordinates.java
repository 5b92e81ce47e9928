package herd.engine.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * An ISO 6709 decimal-degrees location such as {@code +34.068930-118.445127}, kept with
 * the exact text the client sent (replies and peers copy it byte for byte). {@link #isValid}
 * checks the text on bytes without an object, for every IAMAT and flooded update;
 * {@link #parse} makes the decimal values, for a Places query.
 */
public record Coordinates(String text, BigDecimal latitude, BigDecimal longitude) {

    private static final int MAX_LAT = 90;
    private static final int MAX_LNG = 180;

    /** The parsed location, or empty when the text is not {@code [+-]lat[+-]lng} within range. */
    public static Optional<Coordinates> parse(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        if (!isValid(b, 0, b.length)) {
            return Optional.empty();
        }
        int split = secondSign(b, 0, b.length);
        return Optional.of(new Coordinates(text, new BigDecimal(text.substring(0, split)),
                new BigDecimal(text.substring(split))));
    }

    /** True when {@code b[off, off+len)} is {@code [+-]lat[+-]lng}, each {@code digits[.digits]}, within range. */
    public static boolean isValid(byte[] b, int off, int len) {
        return isValid(b, off, len, Integer.MAX_VALUE);
    }

    /** {@link #isValid(byte[], int, int)}, and neither number has more than {@code maxDigits} digits. */
    public static boolean isValid(byte[] b, int off, int len, int maxDigits) {
        int end = off + len;
        if (len < 4 || !isSign(b[off])) {
            return false;
        }
        int split = secondSign(b, off, end);
        return split > 0 && degreesWithin(b, off + 1, split, MAX_LAT) && degreesWithin(b, split + 1, end, MAX_LNG)
                && digitsWithin(b, off + 1, split, maxDigits) && digitsWithin(b, split + 1, end, maxDigits);
    }

    /**
     * True when the number {@code b[from, to)}, {@code digits[.digits]}, has at most {@code max}
     * digits: a length check, and a look for the point only when it is one byte over.
     */
    static boolean digitsWithin(byte[] b, int from, int to, int max) {
        int len = to - from;
        if (len <= max) {
            return true;
        }
        if (len - 1 > max) {
            return false;
        }
        for (int i = from; i < to; i++) {
            if (b[i] == '.') {
                return true;
            }
        }
        return false;
    }

    /** Where the longitude's sign is: the first sign after the latitude's; -1 when there is none. */
    private static int secondSign(byte[] b, int off, int end) {
        for (int i = off + 1; i < end; i++) {
            if (isSign(b[i])) {
                return i;
            }
        }
        return -1;
    }

    /** True when {@code b[from, to)} is {@code digits[.digits]} and at most {@code max} in value. */
    private static boolean degreesWithin(byte[] b, int from, int to, int max) {
        int i = from;
        long whole = 0;
        while (i < to && isDigit(b[i])) {
            if (whole <= max) {
                whole = whole * 10 + (b[i] - '0'); // stops growing once past max: no overflow
            }
            i++;
        }
        if (i == from) {
            return false;
        }
        boolean fractionNonZero = false;
        if (i < to) {
            if (b[i] != '.' || i + 1 == to) {
                return false;
            }
            for (i++; i < to; i++) {
                if (!isDigit(b[i])) {
                    return false;
                }
                fractionNonZero |= b[i] != '0';
            }
        }
        return whole < max || whole == max && !fractionNonZero;
    }

    private static boolean isSign(byte c) {
        return c == '+' || c == '-';
    }

    private static boolean isDigit(byte c) {
        return c >= '0' && c <= '9';
    }

    /** Latitude as Google's {@code location=} parameter wants it: plain, no plus sign. */
    public String latitudeParam() {
        return latitude.toPlainString();
    }

    public String longitudeParam() {
        return longitude.toPlainString();
    }
}
