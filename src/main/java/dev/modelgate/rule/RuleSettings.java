package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.LinkedHashMap;
import java.util.Map;

/** A rule's configured severity, numbers and choices, complete (defaults filled in) and already validated. */
public record RuleSettings(Severity severity, Map<String, Double> values, Map<String, String> choices) {
    public RuleSettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
        choices = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(choices));
    }

    public double get(String property) {
        Double v = values.get(property);
        if (v == null) throw new IllegalArgumentException("no value for " + property);
        return v;
    }

    /** An optional limit: empty when off (not set by any config). */
    public java.util.OptionalDouble optional(String property) {
        double v = get(property);
        return Double.isNaN(v) ? java.util.OptionalDouble.empty() : java.util.OptionalDouble.of(v);
    }

    public String choice(String property) {
        String v = choices.get(property);
        if (v == null) throw new IllegalArgumentException("no choice for " + property);
        return v;
    }

    public static RuleSettings defaults(RuleMetadata m) {
        Map<String, Double> v = new LinkedHashMap<>();
        Map<String, String> c = new LinkedHashMap<>();
        for (Property p : m.properties()) {
            if (p.isChoice()) c.put(p.name(), p.defaultChoice());
            else v.put(p.name(), p.defaultValue());
        }
        return new RuleSettings(m.defaultSeverity(), v, c);
    }
}
