package herd.engine.protocol;

import java.util.ArrayList;
import java.util.List;

/** The protocol's tokenizer, shared by client commands and peer messages. Pure. */
public final class Fields {

    private Fields() {
    }

    /** Splits on runs of SPEC white space: space, tab, CR, LF, FF, VT. */
    public static List<String> split(String line) {
        List<String> out = new ArrayList<>(4);
        int i = 0;
        int n = line.length();
        while (i < n) {
            while (i < n && isSpace(line.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(line.charAt(i))) {
                i++;
            }
            if (i > start) {
                out.add(line.substring(start, i));
            }
        }
        return out;
    }

    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\u000B';
    }
}
