package dev.modelgate.spec;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON/YAML document read into a Jackson tree, remembering where each value and key stands in the file, so that
 * every validation error can say {@code file:line:column}. Jackson's tree model forgets locations; reading the
 * token stream ourselves is the smallest way to keep them.
 */
public final class LocatedTree {
    private final Path file;
    private final JsonNode root;
    private final Map<String, Location> locations;
    /** YAML native type tags ({@code !<org.deeplearning4j...>}) by key path: a tree has no place for them. */
    private final Map<String, String> typeTags;

    private LocatedTree(Path file, JsonNode root, Map<String, Location> locations, Map<String, String> typeTags) {
        this.file = file;
        this.root = root;
        this.locations = locations;
        this.typeTags = typeTags;
    }

    public Map<String, String> typeTags() { return java.util.Collections.unmodifiableMap(typeTags); }

    public Path file() { return file; }
    public JsonNode root() { return root; }

    /** Location of the value at a key path such as {@code layers[2].units}; unknown if never seen. */
    public Location locate(String path) {
        Location l = locations.get(path);
        return l == null ? Location.UNKNOWN : l;
    }

    public SpecException error(String path, String problem) {
        return new SpecException(file, locate(path), path, problem);
    }

    public static LocatedTree read(Path file, String text, JsonFactory factory) {
        Map<String, Location> locations = new HashMap<>();
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        try (JsonParser p = factory.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new SpecException(file, Location.UNKNOWN, "", "the file is empty; expected a model config");
            JsonNode root = readValue(file, p, "", locations, tags);
            if (p.nextToken() != null) {
                throw new SpecException(file, at(p.currentLocation()), "", "unexpected content after the end of the document");
            }
            return new LocatedTree(file, root, locations, tags);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            throw new SpecException(file, at(e.getLocation()), "", "not valid " + (factory.getFormatName()) + ": " + firstLine(msg), e);
        } catch (IOException e) {
            throw new SpecException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode readValue(Path file, JsonParser p, String path, Map<String, Location> locations, Map<String, String> tags) throws IOException {
        locations.putIfAbsent(path, at(p.currentTokenLocation()));
        if (p.canReadTypeId()) {
            Object tag = p.getTypeId();
            if (tag != null) tags.put(path, tag.toString());
        }
        JsonNodeFactory f = JsonNodeFactory.instance;
        JsonToken t = p.currentToken();
        switch (t) {
            case START_OBJECT: {
                ObjectNode obj = f.objectNode();
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String key = p.currentName();
                    String childPath = path.isEmpty() ? key : path + "." + key;
                    Location keyLoc = at(p.currentTokenLocation());
                    if (obj.has(key)) {
                        throw new SpecException(file, keyLoc, childPath, "duplicate key '" + key + "'");
                    }
                    locations.put(childPath, keyLoc);
                    p.nextToken();
                    obj.set(key, readValue(file, p, childPath, locations, tags));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = f.arrayNode();
                int i = 0;
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    arr.add(readValue(file, p, path + "[" + i + "]", locations, tags));
                    i++;
                }
                return arr;
            }
            case VALUE_STRING: return f.textNode(p.getText());
            case VALUE_NUMBER_INT: return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                    ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
            case VALUE_NUMBER_FLOAT: return f.numberNode(p.getDoubleValue());
            case VALUE_TRUE: return f.booleanNode(true);
            case VALUE_FALSE: return f.booleanNode(false);
            case VALUE_NULL: return f.nullNode();
            default: throw new SpecException(file, at(p.currentTokenLocation()), path, "unexpected " + t);
        }
    }

    static Location at(JsonLocation l) {
        if (l == null || l.getLineNr() <= 0) return Location.UNKNOWN;
        return new Location(l.getLineNr(), Math.max(l.getColumnNr(), 1));
    }

    private static String firstLine(String s) {
        if (s == null) return "syntax error";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
