package herd.gui;

import java.util.ArrayList;
import java.util.List;

/**
 * Short forms of server names for narrow column headers: each name cut to the shortest
 * prefix of at least {@value #SHORTEST} characters that no other name of the list starts with
 * (a name no longer than that, or that is another's prefix, stays whole). Pure; any thread.
 */
final class ShortNames {

    static final int SHORTEST = 4;

    private ShortNames() {
    }

    /** The short form of each of {@code names}, in their order; distinct when the names are. */
    static List<String> of(List<String> names) {
        List<String> out = new ArrayList<>(names.size());
        for (String name : names) {
            int n = Math.min(SHORTEST, name.length());
            while (n < name.length() && sharedPrefix(name.substring(0, n), name, names)) {
                n++;
            }
            out.add(name.substring(0, n));
        }
        return out;
    }

    private static boolean sharedPrefix(String prefix, String name, List<String> names) {
        return names.stream().anyMatch(other -> !other.equals(name) && other.startsWith(prefix));
    }
}
