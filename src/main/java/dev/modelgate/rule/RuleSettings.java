package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.LinkedHashMap;
import java.util.Map;

/** A rule's configured severity and thresholds, complete (defaults filled in) and already validated. */
public record RuleSettings(Severity severity, Map<String, Double> values) {
    public RuleSettings {
        values = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(values));
    }

    public double get(String property) {
        Double v = values.get(property);
        if (v == null) throw new IllegalArgumentException("no value for " + property);
        return v;
    }

    public static RuleSettings defaults(RuleMetadata m) {
        Map<String, Double> v = new LinkedHashMap<>();
        for (Property p : m.properties()) v.put(p.name(), p.defaultValue());
        return new RuleSettings(m.defaultSeverity(), v);
    }
}
