package dev.modelgate.rule;

import dev.modelgate.io.Suggestions;
import dev.modelgate.io.InputFiles;
import dev.modelgate.io.LocatedTree;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.report.Severity;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Every rule's severity and thresholds. Starts from the shipped {@code config/thresholds.yaml}, then applies a user
 * config on top (only the keys it sets). Values are validated here, when the rules are configured, not when they run.
 */
public final class Thresholds {
    public static final String DEFAULTS_RESOURCE = "/dev/modelgate/config/thresholds.yaml";
    /** Picked up from the current directory when no --config is given, as linters do. */
    public static final String PROJECT_FILE = ".modelgate.yaml";

    private final Map<String, RuleSettings> settings;
    private final String source;

    private Thresholds(Map<String, RuleSettings> settings, String source) {
        this.settings = Map.copyOf(settings);
        this.source = source;
    }

    public RuleSettings settings(String id) {
        return settings.get(id);
    }

    /** Which files these thresholds came from, for the report. */
    public String source() { return source; }

    /** The code's defaults, without reading any file (what thresholds.yaml must agree with). */
    public static Thresholds builtIn() {
        Map<String, RuleSettings> s = new LinkedHashMap<>();
        for (RuleMetadata m : RuleRegistry.all()) s.put(m.id(), RuleSettings.defaults(m));
        return new Thresholds(s, "built-in");
    }

    /** The shipped defaults: config/thresholds.yaml as packaged in the jar. */
    public static Thresholds defaults() {
        try (InputStream in = Thresholds.class.getResourceAsStream(DEFAULTS_RESOURCE)) {
            if (in == null) return builtIn();
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            return builtIn().apply(Path.of("config/thresholds.yaml"), text, "config/thresholds.yaml");
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the packaged thresholds", e);
        }
    }

    /** The defaults with a user config file applied on top. */
    public Thresholds overlay(Path file) {
        String text = InputFiles.readUtf8(file, InputFiles.MAX_CONFIG_BYTES, InputFiles.Role.THRESHOLDS);
        return apply(file, text, source + " + " + file);
    }

    private Thresholds apply(Path file, String text, String newSource) {
        LocatedTree tree;
        try {
            if (text.isBlank()) return new Thresholds(settings, newSource);
            tree = LocatedTree.read(file, text, new YAMLFactory());
        } catch (BadInputException e) {
            throw BadInputException.config(e.getMessage());
        }
        JsonNode root = tree.root();
        if (!root.isObject()) throw fail(tree, "", "expected a mapping with a 'rules' key");
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!k.equals("rules")) throw fail(tree, k, "unknown key '" + k + "'" + Suggestions.didYouMean(k, java.util.List.of("rules")) + "; valid: rules");
        }
        JsonNode rules = root.get("rules");
        if (rules == null || rules.isNull()) return new Thresholds(settings, newSource);
        if (!rules.isObject()) throw fail(tree, "rules", "expected a mapping of rule ids to settings");
        Map<String, RuleSettings> out = new LinkedHashMap<>(settings);
        for (Iterator<String> it = rules.fieldNames(); it.hasNext(); ) {
            String id = it.next();
            String path = "rules." + id;
            RuleMetadata m = RuleRegistry.find(id).orElseThrow(() -> fail(tree, path, "unknown rule '" + id + "'"
                    + Suggestions.didYouMean(id, RuleRegistry.ids()) + "; valid: " + String.join(", ", RuleRegistry.ids())));
            out.put(id, ruleSettings(tree, path, m, rules.get(id), out.get(id)));
        }
        return new Thresholds(out, newSource);
    }

    private static RuleSettings ruleSettings(LocatedTree tree, String path, RuleMetadata m, JsonNode node, RuleSettings base) {
        if (node.isTextual() || node.isBoolean()) node = com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().set("severity", node);
        if (!node.isObject()) throw fail(tree, path, "expected a mapping such as {severity: error, ...} or a severity (error, warning, off)");
        Severity severity = base.severity();
        Map<String, Double> values = new LinkedHashMap<>(base.values());
        Map<String, String> choices = new LinkedHashMap<>(base.choices());
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String key = it.next();
            String p = path + "." + key;
            JsonNode v = node.get(key);
            if (key.equals("severity")) {
                // YAML 1.1 reads an unquoted 'off' as the boolean false; it is what people write.
                if (v.isBoolean() && !v.asBoolean()) {
                    severity = Severity.OFF;
                    continue;
                }
                try {
                    severity = Severity.parse(v.asText());
                } catch (IllegalArgumentException e) {
                    throw fail(tree, p, "unknown severity '" + v.asText() + "'; valid: error, warning, off");
                }
                continue;
            }
            Property prop = m.properties().stream().filter(x -> x.name().equals(key)).findFirst().orElse(null);
            if (prop == null) {
                java.util.List<String> valid = new java.util.ArrayList<>(java.util.List.of("severity"));
                m.properties().forEach(x -> valid.add(x.name()));
                throw fail(tree, p, "unknown key '" + key + "' for rule " + m.id() + Suggestions.didYouMean(key, valid) + "; valid: " + String.join(", ", valid));
            }
            if (prop.isChoice()) {
                if (!v.isTextual() || !prop.choices().contains(v.asText())) {
                    throw fail(tree, p, "must be " + prop.validText() + ", got " + (v.isNull() ? "nothing" : v.asText())
                            + (v.isTextual() ? Suggestions.didYouMean(v.asText(), prop.choices()) : ""));
                }
                choices.put(key, v.asText());
                continue;
            }
            double d;
            if (v.isNumber()) d = v.asDouble();
            else if (v.isTextual()) {
                try { d = Double.parseDouble(v.asText().trim()); }
                catch (NumberFormatException e) { throw fail(tree, p, "expected a number, got '" + v.asText() + "'"); }
            } else throw fail(tree, p, "expected a number, got " + (v.isNull() ? "nothing" : v.toString()));
            if (Double.isNaN(d) || Double.isInfinite(d) || !prop.valid().test(d)) {
                throw fail(tree, p, "must be " + prop.validText() + ", got " + v.asText());
            }
            values.put(key, d);
        }
        if (values.containsKey("min") && values.containsKey("max") && values.get("min") >= values.get("max")) {
            throw fail(tree, path, "min (" + values.get("min") + ") must be below max (" + values.get("max") + ")");
        }
        return new RuleSettings(severity, values, choices);
    }

    private static BadInputException fail(LocatedTree tree, String path, String problem) {
        return BadInputException.config(new BadInputException(tree.file(), tree.locate(path), path, problem).getMessage());
    }
}
