package herd.engine.config;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Config text read into a JSON tree that remembers where each part of it starts, so that a
 * problem found in the tree later names its line and column. Malformed text is refused here,
 * in words of its own: the parser's messages name its classes and features, which mean
 * nothing to someone editing a config file. A key given twice in one object is refused too.
 * One instance per read; not shared between threads.
 */
final class ConfigJson {

    /** A place in the text; both counted from 1. */
    record Position(int line, int column) {
        @Override
        public String toString() {
            return line + ":" + column;
        }
    }

    private static final JsonFactory FACTORY = JsonFactory.builder().build();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** Read only to word a syntax error: a valid config never compiles them (start-up time). */
    private static final class ParserWords {
        static final Pattern UNEXPECTED = Pattern.compile("^Unexpected character \\('(.)' \\(code");
        static final Pattern CLOSE_MARKER = Pattern.compile("^Unexpected close marker '(.)'");
        static final Pattern TOKEN = Pattern.compile("^Unrecognized token '([^']*)'");
    }

    private final String source;
    private final JsonNode root;
    private final Position rootPosition;
    /** Where each object or array opens, keyed by identity: containers are never shared. */
    private final Map<JsonNode, Position> opens = new IdentityHashMap<>();
    private final Map<JsonNode, Map<String, Position>> keys = new IdentityHashMap<>();
    private final Map<JsonNode, Map<String, Position>> values = new IdentityHashMap<>();
    private final Map<JsonNode, List<Position>> elements = new IdentityHashMap<>();
    /** The objects and arrays open while reading, innermost first: what an error is inside of. */
    private final Deque<JsonNode> open = new ArrayDeque<>();

    private ConfigJson(String text, String source) throws ConfigException {
        this.source = source;
        JsonParser parser = null;
        boolean complete = false;
        try (JsonParser p = FACTORY.createParser(text)) {
            parser = p;
            if (p.nextToken() == null) {
                throw new ConfigException(source, 1, 1, "the file is empty; a config is a JSON object {...}");
            }
            rootPosition = position(p.currentTokenLocation());
            root = value(p);
            complete = true;
            if (p.nextToken() != null) {
                throw afterTheEnd(p.currentTokenLocation());
            }
        } catch (JsonProcessingException e) {
            JsonLocation where = e.getLocation() != null ? e.getLocation() : parser.currentLocation();
            throw complete ? afterTheEnd(where) : at(position(where), plain(e));
        } catch (IOException e) {
            // A String source never fails to read; kept for the compiler.
            throw new ConfigException(source, "cannot read: " + e.getMessage());
        }
    }

    /** Reads {@code text}; a leading byte-order mark is allowed. */
    static ConfigJson read(String text, String source) throws ConfigException {
        return new ConfigJson(text.startsWith("\uFEFF") ? text.substring(1) : text, source);
    }

    /** The text of a UTF-8 file, or the place of its first byte that is not UTF-8. */
    static String utf8(byte[] bytes, String source) throws ConfigException {
        CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder();
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length);
        CoderResult result = decoder.decode(in, out, true);
        if (result.isError()) {
            String before = out.flip().toString();
            int line = (int) before.chars().filter(c -> c == '\n').count() + 1;
            int column = before.length() - before.lastIndexOf('\n');
            throw new ConfigException(source, line, column,
                    String.format("not UTF-8 text (byte 0x%02x); save the file as UTF-8", bytes[in.position()] & 0xff));
        }
        decoder.flush(out);
        return out.flip().toString();
    }

    JsonNode root() {
        return root;
    }

    /** A problem with the whole document, placed where it starts. */
    ConfigException atRoot(String problem) {
        return at(rootPosition, problem);
    }

    /** A problem with an object or array as a whole (a missing key, say), placed at its opening bracket. */
    ConfigException atOpening(JsonNode container, String problem) {
        return at(opens.get(container), problem);
    }

    /** A problem with a key's name, placed at the key. */
    ConfigException atKey(JsonNode object, String key, String problem) {
        return at(keys.getOrDefault(object, Map.of()).get(key), problem);
    }

    /** A problem with a key's value, placed at the value. */
    ConfigException atValue(JsonNode object, String key, String problem) {
        return at(values.getOrDefault(object, Map.of()).get(key), problem);
    }

    /** A problem with an array's element, placed at the element. */
    ConfigException atElement(JsonNode array, int index, String problem) {
        List<Position> places = elements.getOrDefault(array, List.of());
        return at(index < places.size() ? places.get(index) : null, problem);
    }

    private ConfigException at(Position position, String problem) {
        return position == null ? new ConfigException(source, problem)
                : new ConfigException(source, position.line(), position.column(), problem);
    }

    private JsonNode value(JsonParser p) throws IOException, ConfigException {
        Position here = position(p.currentTokenLocation());
        JsonToken token = p.currentToken();
        switch (token) {
            case START_OBJECT: {
                ObjectNode object = NODES.objectNode();
                Map<String, Position> keyPositions = new HashMap<>();
                Map<String, Position> valuePositions = new HashMap<>();
                opens.put(object, here);
                open.push(object);
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String name = p.currentName();
                    Position key = position(p.currentTokenLocation());
                    Position first = keyPositions.putIfAbsent(name, key);
                    if (first != null) {
                        throw at(key, quote(name) + " is given twice in one object (first at " + first + ")");
                    }
                    p.nextToken();
                    valuePositions.put(name, position(p.currentTokenLocation()));
                    object.set(name, value(p));
                }
                open.pop();
                keys.put(object, keyPositions);
                values.put(object, valuePositions);
                return object;
            }
            case START_ARRAY: {
                ArrayNode array = NODES.arrayNode();
                List<Position> positions = new ArrayList<>();
                opens.put(array, here);
                open.push(array);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    positions.add(position(p.currentTokenLocation()));
                    array.add(value(p));
                }
                open.pop();
                elements.put(array, positions);
                return array;
            }
            case VALUE_STRING:
                return NODES.textNode(p.getText());
            case VALUE_NUMBER_INT:
                switch (p.getNumberType()) {
                    case INT:
                        return NODES.numberNode(p.getIntValue());
                    case LONG:
                        return NODES.numberNode(p.getLongValue());
                    default:
                        return NODES.numberNode(p.getBigIntegerValue());
                }
            case VALUE_NUMBER_FLOAT:
                return NODES.numberNode(p.getDoubleValue());
            case VALUE_TRUE:
                return NODES.booleanNode(true);
            case VALUE_FALSE:
                return NODES.booleanNode(false);
            case VALUE_NULL:
                return NODES.nullNode();
            default:
                // The parser hands values only; anything else is a bug here, not in the file.
                throw new IllegalStateException("unexpected token " + token + " at " + here);
        }
    }

    private ConfigException afterTheEnd(JsonLocation where) {
        return at(position(where), "unexpected text after the end of the config");
    }

    /** The parser's complaint in the words of someone editing the file. */
    private String plain(JsonProcessingException e) {
        String m = String.valueOf(e.getOriginalMessage());
        Matcher unexpected = ParserWords.UNEXPECTED.matcher(m);
        String got = unexpected.find() ? unexpected.group(1) : "";
        if (m.contains("was expecting comma to separate Object entries")) {
            return "expected ',' or '}' after a field";
        }
        if (m.contains("was expecting comma to separate Array entries")) {
            return "expected ',' or ']' after an array element";
        }
        if (m.contains("was expecting a colon")) {
            return "expected ':' after a field name";
        }
        if (m.contains("was expecting double-quote to start field name")) {
            return got.equals("}") ? "expected a field name after ',' (JSON allows no ',' before '}')"
                    : "expected a field name in double quotes";
        }
        if (m.contains("maybe a (non-standard) comment")) {
            return "comments are not allowed in JSON";
        }
        if (m.startsWith("Unexpected end-of-input")) {
            return m.contains("closing quote") ? "the file ends inside a string" : "the file ends before " + innermost()
                    + " is closed";
        }
        if (m.startsWith("Unexpected close marker")) {
            Matcher marker = ParserWords.CLOSE_MARKER.matcher(m);
            return (marker.find() ? "'" + marker.group(1) + "'" : "this bracket") + " does not close " + innermost();
        }
        if (m.startsWith("Illegal unquoted character")) {
            return "a line break or other control character in a string must be escaped (\\n, \\t, \\u0001)";
        }
        if (m.startsWith("Unrecognized character escape") || m.contains("hex-digit for character escape")) {
            return "bad escape in a string (JSON has \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\u followed by 4 hex digits)";
        }
        if (m.contains("Leading zeroes")) {
            return "a number cannot start with 0 (write 8, not 08)";
        }
        if (m.contains("in numeric value") || m.startsWith("Invalid numeric value") || m.startsWith("Non-standard token")) {
            return "malformed number";
        }
        if (m.startsWith("Unrecognized token") || m.contains("expected a valid value")) {
            if (got.equals("]")) {
                return "expected a value after ',' (JSON allows no ',' before ']')";
            }
            if (got.equals("'")) {
                return "expected a value; JSON strings take double quotes, not single";
            }
            Matcher token = ParserWords.TOKEN.matcher(m);
            String word = token.find() ? "unknown word " + quote(shorten(token.group(1))) + ": " : "";
            return word + "expected a value (a string in double quotes, a number, an object, an array, true, false or null)";
        }
        if (e instanceof StreamConstraintsException) {
            return m.contains("nesting depth") ? "objects and arrays are nested too deeply" : "a number or string is too long";
        }
        return "not valid JSON";
    }

    /** The object or array that was open when reading stopped, with where it opened. */
    private String innermost() {
        JsonNode inner = open.peek();
        if (inner == null) {
            return "the config";
        }
        return (inner.isObject() ? "the object" : "the array") + " opened at " + opens.get(inner);
    }

    private static Position position(JsonLocation location) {
        return location.getLineNr() < 1 ? null : new Position(location.getLineNr(), location.getColumnNr());
    }

    /** {@code text} in double quotes, as JSON would write it. */
    static String quote(String text) {
        return NODES.textNode(text).toString();
    }

    private static String shorten(String text) {
        return text.length() <= 40 ? text : text.substring(0, 40) + "…";
    }
}
