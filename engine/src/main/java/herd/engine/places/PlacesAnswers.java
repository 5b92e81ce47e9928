package herd.engine.places;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Builds and trims Nearby Search answers: the error shape of SPEC §2, and the cut of
 * {@code results} to a WHATSAT's bound. Stateless.
 */
public final class PlacesAnswers {

    private PlacesAnswers() {
    }

    /** {@code {"html_attributions" : [], "results" : [], "status" : status, "error_message" : message}}. */
    public static ObjectNode error(String status, String message) {
        ObjectNode node = GoogleJson.MAPPER.createObjectNode();
        node.putArray("html_attributions");
        node.putArray("results");
        node.put("status", status);
        node.put("error_message", message);
        return node;
    }

    /** A copy of {@code answer} whose {@code results} holds at most {@code bound} entries. */
    public static ObjectNode cut(ObjectNode answer, int bound) {
        JsonNode results = answer.get("results");
        if (results == null || !results.isArray() || results.size() <= bound) {
            return answer;
        }
        ObjectNode copy = answer.deepCopy();
        ArrayNode kept = copy.putArray("results"); // replaces in place, keeping key order
        for (int i = 0; i < bound; i++) {
            kept.add(results.get(i));
        }
        return copy;
    }

    public static int resultCount(ObjectNode answer) {
        JsonNode results = answer.get("results");
        return results != null && results.isArray() ? results.size() : 0;
    }
}
