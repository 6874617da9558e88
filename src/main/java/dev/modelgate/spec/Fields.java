package dev.modelgate.spec;

import dev.modelgate.io.Suggestions;
import dev.modelgate.io.LocatedTree;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Strict, typed reading of one mapping in a spec. Every key must be declared as allowed; every value is checked for
 * its type and range; every error names the file, line:column and key path.
 */
final class Fields {
    private final LocatedTree tree;
    private final String path;
    private final ObjectNode node;

    private Fields(LocatedTree tree, String path, ObjectNode node) {
        this.tree = tree;
        this.path = path;
        this.node = node;
    }

    /** The mapping at {@code path}; an error if the value there is not a mapping. */
    static Fields of(LocatedTree tree, String path, JsonNode value, String what) {
        if (value == null || !value.isObject()) {
            throw tree.error(path, "expected " + what + " (a mapping of keys to values), got " + describe(value));
        }
        return new Fields(tree, path, (ObjectNode) value);
    }

    String path() { return path; }
    LocatedTree tree() { return tree; }

    String child(String key) { return path.isEmpty() ? key : path + "." + key; }

    /** Rejects any key not in {@code allowed}, suggesting the closest allowed key. */
    Fields allow(Set<String> allowed, String context) {
        Iterator<String> names = node.fieldNames();
        while (names.hasNext()) {
            String key = names.next();
            if (!allowed.contains(key)) {
                throw tree.error(child(key), "unknown key '" + key + "'" + Suggestions.didYouMean(key, allowed)
                        + "; valid keys " + context + ": " + String.join(", ", new LinkedHashSet<>(allowed)));
            }
        }
        return this;
    }

    boolean has(String key) { return node.has(key) && !node.get(key).isNull(); }

    JsonNode raw(String key) { return node.get(key); }

    BadInputException error(String key, String problem) { return tree.error(child(key), problem); }

    String requireString(String key) {
        if (!has(key)) throw tree.error(path, "missing required key '" + key + "'");
        return string(key).orElseThrow();
    }

    Optional<String> string(String key) {
        if (!has(key)) return Optional.empty();
        JsonNode v = node.get(key);
        if (!v.isTextual() && !v.isNumber() && !v.isBoolean()) throw error(key, "expected a text value, got " + describe(v));
        return Optional.of(v.asText());
    }

    long requirePositiveLong(String key) {
        if (!has(key)) throw tree.error(path, "missing required key '" + key + "' (a positive integer)");
        return positiveLong(key).orElseThrow();
    }

    Optional<Long> positiveLong(String key) {
        if (!has(key)) return Optional.empty();
        return Optional.of(positiveLong(tree, child(key), node.get(key)));
    }

    static long positiveLong(LocatedTree tree, String path, JsonNode v) {
        if (!v.isIntegralNumber()) {
            throw tree.error(path, "expected a positive integer, got " + describe(v));
        }
        if (!v.canConvertToLong() && v.bigIntegerValue().signum() > 0) {
            throw tree.error(path, v.asText() + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        if (!v.canConvertToLong() || v.asLong() <= 0) {
            throw tree.error(path, "must be a positive integer, got " + v.asText());
        }
        if (v.asLong() > Integer.MAX_VALUE) {
            throw tree.error(path, v.asText() + " is too large (at most " + Integer.MAX_VALUE + ")");
        }
        return v.asLong();
    }

    int positiveInt(String key, int dflt) {
        return has(key) ? (int) positiveLong(tree, child(key), node.get(key)) : dflt;
    }

    int nonNegativeInt(String key, int dflt) {
        if (!has(key)) return dflt;
        JsonNode v = node.get(key);
        if (!v.isIntegralNumber() || v.asLong() < 0 || v.asLong() > Integer.MAX_VALUE) {
            throw error(key, "expected a non-negative integer, got " + describe(v));
        }
        return v.asInt();
    }

    double number(String key, double dflt) {
        if (!has(key)) return dflt;
        return number(key);
    }

    double number(String key) {
        JsonNode v = node.get(key);
        if (v == null || v.isNull()) throw tree.error(path, "missing required key '" + key + "' (a number)");
        double d;
        if (v.isNumber()) d = v.asDouble();
        else if (v.isTextual()) {
            // YAML 1.1 reads "1e-3" (no dot) as a string; accept it, it is what people write.
            try { d = Double.parseDouble(v.asText().trim()); }
            catch (NumberFormatException e) { throw error(key, "expected a number, got " + describe(v)); }
        } else throw error(key, "expected a number, got " + describe(v));
        if (Double.isNaN(d) || Double.isInfinite(d)) throw error(key, "expected a finite number, got " + v.asText());
        return d;
    }

    double numberInRange(String key, double dflt, double min, double max, boolean maxExclusive) {
        double d = number(key, dflt);
        if (d < min || d > max || (maxExclusive && d == max)) {
            throw error(key, "must be in [" + min + ", " + max + (maxExclusive ? ")" : "]") + ", got " + d);
        }
        return d;
    }

    boolean bool(String key, boolean dflt) {
        if (!has(key)) return dflt;
        JsonNode v = node.get(key);
        if (!v.isBoolean()) throw error(key, "expected true or false, got " + describe(v));
        return v.asBoolean();
    }

    /** A pair such as a kernel: {@code 3} means [3, 3]; {@code [3, 5]} means height 3, width 5. */
    int[] pair(String key, int dflt, boolean allowZero) {
        if (!has(key)) return new int[] {dflt, dflt};
        JsonNode v = node.get(key);
        if (v.isIntegralNumber()) {
            int x = checkedDim(child(key), v, allowZero);
            return new int[] {x, x};
        }
        if (v.isArray() && v.size() == 2) {
            return new int[] {checkedDim(child(key) + "[0]", v.get(0), allowZero), checkedDim(child(key) + "[1]", v.get(1), allowZero)};
        }
        throw error(key, "expected an integer or a [height, width] pair, got " + describe(v));
    }

    /**
     * Padding or cropping on the four sides of an image: one integer for all, [vertical, horizontal], or
     * [top, bottom, left, right].
     */
    int[] sides(String key, int dflt) {
        if (!has(key)) return new int[] {dflt, dflt, dflt, dflt};
        JsonNode v = node.get(key);
        if (v.isIntegralNumber()) {
            int x = checkedDim(child(key), v, true);
            return new int[] {x, x, x, x};
        }
        if (v.isArray() && v.size() == 2) {
            int a = checkedDim(child(key) + "[0]", v.get(0), true), b = checkedDim(child(key) + "[1]", v.get(1), true);
            return new int[] {a, a, b, b};
        }
        if (v.isArray() && v.size() == 4) {
            int[] out = new int[4];
            for (int i = 0; i < 4; i++) out[i] = checkedDim(child(key) + "[" + i + "]", v.get(i), true);
            return out;
        }
        throw error(key, "expected an integer, [vertical, horizontal] or [top, bottom, left, right], got " + describe(v));
    }

    private int checkedDim(String p, JsonNode v, boolean allowZero) {
        if (!v.isIntegralNumber() || v.asLong() < (allowZero ? 0 : 1) || v.asLong() > 100_000) {
            throw tree.error(p, "expected " + (allowZero ? "a non-negative" : "a positive") + " integer (at most 100000), got " + describe(v));
        }
        return v.asInt();
    }

    /** A list of text values, or a single text value taken as a list of one. */
    List<String> strings(String key) {
        List<String> out = new ArrayList<>();
        if (!has(key)) return out;
        JsonNode v = node.get(key);
        if (v.isTextual()) {
            out.add(v.asText());
            return out;
        }
        if (!v.isArray()) throw error(key, "expected a list of names, got " + describe(v));
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) throw tree.error(child(key) + "[" + i + "]", "expected a name, got " + describe(v.get(i)));
            out.add(v.get(i).asText());
        }
        return out;
    }

    /** A value as an error line may quote it (a short, sanitized {@link dev.modelgate.io.Excerpt}). */
    static String describe(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) return "nothing";
        if (v.isObject()) return "a mapping";
        if (v.isArray()) return "a list";
        if (v.isTextual()) return "'" + dev.modelgate.io.Excerpt.of(v.asText()) + "'";
        if (v.isBoolean()) return v.asText();
        return dev.modelgate.io.Excerpt.of(v.asText());
    }
}
