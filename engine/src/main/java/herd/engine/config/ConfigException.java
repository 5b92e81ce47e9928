package herd.engine.config;

/**
 * A config that cannot be used. The message is one line, fit to show a user as it is: the
 * file, the line and column when the problem has a place in it, and the problem, as in
 * {@code herd.json:3:17: expected ',' or '}' after a field}. Control characters a file
 * smuggles into the problem (an escaped line break in a key, say) are shown escaped, so the
 * message stays one line.
 */
public final class ConfigException extends Exception {

    /** A problem with no place in the file, such as a file that cannot be read. */
    public ConfigException(String source, String problem) {
        super(oneLine(source) + ": " + oneLine(problem));
    }

    /** A problem at {@code line} and {@code column} (both counted from 1) of {@code source}. */
    public ConfigException(String source, int line, int column, String problem) {
        super(oneLine(source) + ":" + line + ":" + column + ": " + oneLine(problem));
    }

    private static String oneLine(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || c == 0x85 || c == 0x2028 || c == 0x2029) {
                out.append(c == '\n' ? "\\n" : c == '\r' ? "\\r" : c == '\t' ? "\\t" : String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
