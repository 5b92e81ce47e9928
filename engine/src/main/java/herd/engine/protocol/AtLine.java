package herd.engine.protocol;

import herd.engine.LocationReport;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The AT line as servers pass it between them (SPEC §3): {@code AT server difference client
 * location time}, the reply the receiving server gave its client. Pure.
 */
public final class AtLine {

    private static final Pattern DIFFERENCE = Pattern.compile("[+-]\\d+\\.\\d{9}");

    private AtLine() {
    }

    /** The report on {@code line}; empty when it is not a well-formed AT line. */
    public static Optional<LocationReport> parse(String line) {
        return parse(Fields.split(line));
    }

    /** The report in {@code f}, a line already split into {@link Fields}. */
    public static Optional<LocationReport> parse(List<String> f) {
        if (f.size() != 6 || !f.get(0).equals("AT") || !DIFFERENCE.matcher(f.get(2)).matches()
                || Coordinates.parse(f.get(4)).isEmpty() || !CommandParser.POSIX_TIME.matcher(f.get(5)).matches()) {
            return Optional.empty();
        }
        return Optional.of(new LocationReport(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
    }
}
