package herd.engine.places;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.Iterator;
import java.util.Map;

/**
 * Reads JSON keeping key order and number text, and prints it the way Google's Places web
 * service does: three-space indent, {@code "key" : value}, arrays of scalars on one line as
 * {@code [ "a", "b" ]}, empty containers as {@code []} and {@code {}}. Stateless and
 * thread-safe.
 */
public final class GoogleJson {

    private static final String INDENT = "   ";

    /** Exact decimals keep Google's number text (34.068921 stays 34.068921). */
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .nodeFactory(JsonNodeFactory.withExactBigDecimals(true))
            .build();

    private GoogleJson() {
    }

    public static JsonNode read(String text) throws JsonProcessingException {
        return MAPPER.readTree(text);
    }

    /** Google-style text of {@code node}, with runs of newlines squeezed and none trailing. */
    public static String print(JsonNode node) {
        StringBuilder out = new StringBuilder(1024);
        write(node, 0, out);
        return squeezeNewlines(out.toString());
    }

    /** Replaces every run of two or more {@code \n} with one and drops trailing newlines. */
    static String squeezeNewlines(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\n' && out.length() > 0 && out.charAt(out.length() - 1) == '\n') {
                continue;
            }
            out.append(c);
        }
        int end = out.length();
        while (end > 0 && out.charAt(end - 1) == '\n') {
            end--;
        }
        out.setLength(end);
        return out.toString();
    }

    private static void write(JsonNode node, int depth, StringBuilder out) {
        if (node.isObject()) {
            writeObject(node, depth, out);
        } else if (node.isArray()) {
            writeArray(node, depth, out);
        } else {
            writeScalar(node, out);
        }
    }

    private static void writeObject(JsonNode node, int depth, StringBuilder out) {
        if (node.isEmpty()) {
            out.append("{}");
            return;
        }
        out.append("{\n");
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> field = fields.next();
            indent(depth + 1, out);
            quote(field.getKey(), out);
            out.append(" : ");
            write(field.getValue(), depth + 1, out);
            out.append(fields.hasNext() ? ",\n" : "\n");
        }
        indent(depth, out);
        out.append('}');
    }

    private static void writeArray(JsonNode node, int depth, StringBuilder out) {
        if (node.isEmpty()) {
            out.append("[]");
            return;
        }
        boolean scalars = true;
        for (JsonNode element : node) {
            scalars &= element.isValueNode();
        }
        if (scalars) {
            out.append("[ ");
            for (int i = 0; i < node.size(); i++) {
                writeScalar(node.get(i), out);
                out.append(i + 1 < node.size() ? ", " : " ");
            }
            out.append(']');
            return;
        }
        out.append("[\n");
        for (int i = 0; i < node.size(); i++) {
            indent(depth + 1, out);
            write(node.get(i), depth + 1, out);
            out.append(i + 1 < node.size() ? ",\n" : "\n");
        }
        indent(depth, out);
        out.append(']');
    }

    private static void writeScalar(JsonNode node, StringBuilder out) {
        if (node.isTextual()) {
            quote(node.textValue(), out);
        } else if (node.isBigDecimal()) {
            out.append(node.decimalValue().toPlainString());
        } else {
            out.append(node.toString()); // numbers, booleans, null: Jackson's canonical text
        }
    }

    private static void quote(String text, StringBuilder out) {
        out.append('"');
        JsonStringEncoder.getInstance().quoteAsString(text, out);
        out.append('"');
    }

    private static void indent(int depth, StringBuilder out) {
        for (int i = 0; i < depth; i++) {
            out.append(INDENT);
        }
    }
}
