package herd.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a well-formed reply looks like (SPEC §2), checked without trusting the server: an
 * IAMAT's {@code AT} line must name the server and echo the operands, a WHATSAT reply must
 * carry the stored AT line and Google-shaped JSON. Each check returns {@code null} when the
 * reply is good, else a short description of what is wrong. Stateless and thread-safe.
 */
final class Replies {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Replies() {
    }

    /** The IAMAT line a client sends; {@code operands} is {@code " id location time"}. */
    static String iamat(String clientId, String location, String time) {
        return "IAMAT " + clientId + " " + location + " " + time;
    }

    /**
     * Checks an IAMAT reply: {@code AT <server> <±diff> <id> <location> <time>} where
     * {@code operands} is {@code " <id> <location> <time>"} as sent.
     */
    static String checkAt(String line, String server, String operands) {
        String head = "AT " + server + " ";
        if (!line.startsWith(head) || !line.endsWith(operands)) {
            return "expected AT " + server + " ..." + operands + ", got: " + clip(line);
        }
        int end = line.length() - operands.length();
        return isDifference(line, head.length(), end) ? null : "bad time difference in: " + clip(line);
    }

    /** {@code [+-]digits.ddddddddd} between {@code from} and {@code to}. */
    static boolean isDifference(String s, int from, int to) {
        if (to - from < 12 || (s.charAt(from) != '+' && s.charAt(from) != '-') || s.charAt(to - 10) != '.') {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            if (i != to - 10 && !Character.isDigit(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The client time (last field) of an AT line, or null if it is not one. */
    static String atTime(String atLine) {
        String[] f = atLine.split(" ");
        if (f.length != 6 || !f[0].equals("AT") || !isDifference(f[2], 0, f[2].length())) {
            return null;
        }
        return f[5];
    }

    /**
     * Checks a whole WHATSAT reply (its AT line, {@code \n}, the JSON, {@code \n\n}).
     *
     * @param expectedAt      the AT line the server must hold, or null to accept any AT line
     * @param expectedResults how many results the JSON must list, or -1 for any
     * @param parse           parse the JSON fully (costly) instead of checking its shape
     */
    static String checkWhatsAt(String reply, String expectedAt, int expectedResults, boolean parse) {
        int nl = reply.indexOf('\n');
        if (nl < 0 || !reply.endsWith("}\n\n")) {
            return "WHATSAT reply is not an AT line, JSON and a blank line: " + clip(reply);
        }
        String at = reply.substring(0, nl);
        if (expectedAt != null ? !at.equals(expectedAt) : atTime(at) == null) {
            return "WHATSAT reply has AT line " + clip(at) + (expectedAt == null ? "" : ", expected " + expectedAt);
        }
        String json = reply.substring(nl + 1, reply.length() - 2);
        if (!json.startsWith("{") || json.contains("\n\n")) {
            return "WHATSAT JSON is not one object without blank lines: " + clip(json);
        }
        if (!parse) {
            return expectedResults < 0 || json.contains("\"status\" : \"OK\"") ? null
                    : "WHATSAT JSON status is not OK: " + clip(json);
        }
        try {
            JsonNode doc = JSON.readTree(json);
            if (!doc.path("status").isTextual() || !doc.path("results").isArray()) {
                return "WHATSAT JSON lacks status or results: " + clip(json);
            }
            if (expectedResults >= 0 && doc.get("results").size() != expectedResults) {
                return "WHATSAT JSON lists " + doc.get("results").size() + " results, expected " + expectedResults;
            }
            return null;
        } catch (java.io.IOException e) {
            return "WHATSAT JSON does not parse: " + e.getMessage().lines().findFirst().orElse("");
        }
    }

    static String clip(String s) {
        String one = s.replace("\n", "\\n");
        return one.length() <= 160 ? one : one.substring(0, 160) + "...";
    }
}
