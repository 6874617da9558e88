package dev.modelgate.io;

import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
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

    /**
     * The most values a config may hold: ResNet-50's DL4J configuration has 9,362; a 16 MiB list of
     * zeros has 8 million, and reading it took 45 s and 2 GB. Counted while reading, so nothing past it is kept.
     */
    public static final int MAX_VALUES = 250_000;

    /**
     * The deepest nesting a config may have, enforced by the parser (Jackson's {@link StreamReadConstraints}) before
     * the reader below recurses into it: real configs nest 9 levels at most (ResNet's 8). Jackson's default, 1,000,
     * left the recursion less than twice the room of the JVM's default 1 MiB stack (a 999-level list overflowed
     * 256 KiB; found by LoadersFuzzTest).
     */
    public static final int MAX_DEPTH = 100;

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

    public BadInputException error(String path, String problem) {
        return new BadInputException(file, locate(path), path, problem);
    }

    public static LocatedTree read(Path file, String text, JsonFactory factory) {
        Map<String, Location> locations = new HashMap<>();
        Map<String, String> tags = new java.util.LinkedHashMap<>();
        JsonFactory bounded = factory.rebuild().streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH).build()).build();
        try (JsonParser p = bounded.createParser(text)) {
            JsonToken first = p.nextToken();
            if (first == null) throw new BadInputException(file, Location.UNKNOWN, "", "the file is empty; expected a model config");
            JsonNode root = readValue(file, p, "", locations, tags);
            if (p.nextToken() != null) {
                throw new BadInputException(file, at(p.currentLocation()), "", "unexpected content after the end of the document");
            }
            return new LocatedTree(file, root, locations, tags);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            throw new BadInputException(file, at(e.getLocation()), "", "not valid " + (factory.getFormatName()) + ": " + summary(msg), e);
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage(), e);
        }
    }

    private static JsonNode readValue(Path file, JsonParser p, String path, Map<String, Location> locations, Map<String, String> tags) throws IOException {
        locations.putIfAbsent(path, at(p.currentTokenLocation()));
        if (locations.size() > MAX_VALUES) {
            throw new BadInputException(file, at(p.currentTokenLocation()), path, String.format("more than %,d values; a model config has far fewer "
                    + "(ResNet-50's DL4J configuration has 9,362)", MAX_VALUES));
        }
        if (p instanceof com.fasterxml.jackson.dataformat.yaml.YAMLParser y && y.isCurrentAlias()) {
            // Jackson reads an alias as the anchor's name, a plain string: refuse it rather than misread the config.
            throw new BadInputException(file, at(p.currentTokenLocation()), path, "YAML aliases (*" + p.getText()
                    + ") are not supported in model configs; write the value out");
        }
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
                        throw new BadInputException(file, keyLoc, childPath, "duplicate key '" + key + "'");
                    }
                    locations.put(childPath, keyLoc);
                    next(file, p, childPath);
                    obj.set(key, readValue(file, p, childPath, locations, tags));
                }
                return obj;
            }
            case START_ARRAY: {
                ArrayNode arr = f.arrayNode();
                int i = 0;
                while (next(file, p, path + "[" + i + "]") != JsonToken.END_ARRAY) {
                    arr.add(readValue(file, p, path + "[" + i + "]", locations, tags));
                    i++;
                }
                return arr;
            }
            case VALUE_STRING: return f.textNode(p.getText());
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                try {
                    if (t == JsonToken.VALUE_NUMBER_FLOAT) return f.numberNode(p.getDoubleValue());
                    return p.getNumberType() == JsonParser.NumberType.BIG_INTEGER ? f.numberNode(p.getBigIntegerValue()) : f.numberNode(p.getLongValue());
                } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
                    // YAML's .nan and .inf fail here, inside the parser's number conversion.
                    throw new BadInputException(file, at(p.currentTokenLocation()), path, "expected a finite number, got " + p.getText(), e);
                }
            case VALUE_TRUE: return f.booleanNode(true);
            case VALUE_FALSE: return f.booleanNode(false);
            case VALUE_NULL: return f.nullNode();
            default: throw new BadInputException(file, at(p.currentTokenLocation()), path, "unexpected " + t);
        }
    }

    /**
     * The next token, with the key path of a value the parser cannot read: YAML's {@code .nan} and {@code .inf} fail
     * inside the parser, before any tree exists to say where they stood.
     */
    private static JsonToken next(Path file, JsonParser p, String path) throws IOException {
        try {
            return p.nextToken();
        } catch (com.fasterxml.jackson.core.exc.StreamReadException e) {
            String msg = e.getOriginalMessage() == null ? "" : e.getOriginalMessage();
            if (msg.startsWith("Malformed numeric value")) {
                String value = msg.replaceAll("(?s).*?'([^']*)'.*", "$1");
                throw new BadInputException(file, at(e.getLocation()), path, "expected a finite number, got " + value, e);
            }
            throw e;
        }
    }

    public static Location at(JsonLocation l) {
        if (l == null || l.getLineNr() <= 0) return Location.UNKNOWN;
        return new Location(l.getLineNr(), Math.max(l.getColumnNr(), 1));
    }

    /**
     * A parser message in one line. YAML's first line gives only the context ("while parsing a flow mapping"); what is
     * wrong comes on a later unindented line ("expected ',' or '}', but got <stream end>"): keep both.
     */
    public static String summary(String s) {
        if (s == null) return "syntax error";
        s = s.replaceAll(": enable `?JsonReadFeature[^\\n]*", ""); // advice about a library setting users cannot change
        List<String> lines = s.lines().map(String::strip).filter(l -> !l.isEmpty() && !l.startsWith("in 'reader'")
                && !l.startsWith("at [Source") && !l.startsWith("^")).toList();
        if (lines.isEmpty()) return "syntax error";
        String first = lines.get(0), last = lines.get(lines.size() - 1);
        List<String> raw = s.lines().toList();
        // Only unindented lines carry meaning in SnakeYAML's messages; indented ones quote the source.
        for (int i = raw.size() - 1; i > 0; i--) {
            String l = raw.get(i);
            if (!l.isBlank() && !Character.isWhitespace(l.charAt(0)) && !l.startsWith("at [Source")) {
                last = l.strip();
                break;
            }
            if (i == 1) last = first;
        }
        // The parser quotes the file in its messages (Jackson: "Unrecognized token 'the whole line...'"): keep a short excerpt.
        return Excerpt.of(first.equals(last) ? first : first + ": " + last, Excerpt.MESSAGE_CHARS);
    }
}
