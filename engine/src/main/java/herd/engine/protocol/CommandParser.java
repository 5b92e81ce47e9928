package herd.engine.protocol;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Turns one client line into a {@link Command}, exactly as SPEC §2 describes. Pure and
 * stateless: safe from any thread.
 */
public final class CommandParser {

    private static final Pattern RADIUS = Pattern.compile("\\d+(?:\\.\\d+)?");
    private static final Pattern BOUND = Pattern.compile("\\d{1,9}");
    private static final BigDecimal MAX_RADIUS_KM = BigDecimal.valueOf(50);
    public static final int MAX_BOUND = 20;

    private CommandParser() {
    }

    /**
     * The command on the line's bytes {@code b[0, len)}, as received, or empty when it holds
     * only white space. Its client ids are {@link ClientId} keys, so they are the bytes sent:
     * the line is read with one char per byte, which changes no verdict (every word and
     * separator of the protocol is ASCII; any other byte is simply not white space).
     */
    public static Optional<Command> parse(byte[] b, int len) {
        return parse(ClientId.key(b, 0, len), b, len);
    }

    /**
     * The command on {@code line}, or empty when the line holds only white space. Its client
     * ids are as they appear in {@code line} (text, for tests and tools; the server parses
     * bytes with {@link #parse(byte[], int)}).
     */
    public static Optional<Command> parse(String line) {
        byte[] bytes = line.getBytes(StandardCharsets.UTF_8);
        return parse(line, bytes, bytes.length);
    }

    /** {@code line} as text for the fields, {@code b[0, len)} its bytes as sent, for the IAMAT's bounds. */
    private static Optional<Command> parse(String line, byte[] b, int len) {
        List<String> fields = Fields.split(line);
        if (fields.isEmpty()) {
            return Optional.empty();
        }
        Command command = switch (fields.get(0)) {
            case "IAMAT" -> iAmAt(fields, line, b, len);
            case "WHATSAT" -> whatsAt(fields, line);
            default -> new Command.Invalid(line);
        };
        return Optional.of(command);
    }

    private static Command iAmAt(List<String> f, String line, byte[] b, int len) {
        // One definition of a valid IAMAT: the byte parser the server runs on every line
        // (with the default field bounds), on the bytes sent, so an id's bound counts its bytes.
        ReportParser p = new ReportParser();
        if (!p.iAmAt(b, len)) {
            return new Command.Invalid(line);
        }
        return new Command.IAmAt(f.get(1), Coordinates.parse(f.get(2)).orElseThrow(), f.get(3), p.time());
    }

    private static Command whatsAt(List<String> f, String line) {
        if (f.size() != 4 || !RADIUS.matcher(f.get(2)).matches() || !BOUND.matcher(f.get(3)).matches()) {
            return new Command.Invalid(line);
        }
        BigDecimal radius = new BigDecimal(f.get(2));
        int bound = Integer.parseInt(f.get(3));
        if (radius.signum() <= 0 || radius.compareTo(MAX_RADIUS_KM) > 0 || bound < 1 || bound > MAX_BOUND) {
            return new Command.Invalid(line);
        }
        return new Command.WhatsAt(f.get(1), radius, bound);
    }


}
