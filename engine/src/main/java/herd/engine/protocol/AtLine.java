package herd.engine.protocol;

import herd.engine.LocationReport;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * The AT line as servers pass it between them (SPEC §3): {@code AT server difference client
 * location time}, the reply the receiving server gave its client. Pure. The flooding path
 * reads AT lines with {@link ReportParser} on bytes; this makes the {@link LocationReport}
 * of one, for the API and WHATSAT, with the same rules.
 */
public final class AtLine {

    private AtLine() {
    }

    /** The report on {@code line}; empty when it is not a well-formed AT line. */
    public static Optional<LocationReport> parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parse(bytes, bytes.length);
    }

    /**
     * The report on {@code b[0, len)}; empty when it is not a well-formed AT line. No field
     * bounds: the lines read here were taken within them already (or are a test's).
     */
    public static Optional<LocationReport> parse(byte[] b, int len) {
        if (!ReportParser.unbounded().at(b, len)) {
            return Optional.empty();
        }
        List<String> f = Fields.split(new String(b, 0, len, StandardCharsets.UTF_8));
        return Optional.of(new LocationReport(f.get(1), f.get(2), f.get(3), f.get(4), f.get(5)));
    }
}
