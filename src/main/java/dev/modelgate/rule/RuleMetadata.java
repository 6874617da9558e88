package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.List;

/**
 * What a rule is, beside its code: id, one-line summary, the interview's reason, default severity and thresholds.
 *
 * @param runtime true when the rule needs the models to run (timing, activations, gradients); skipped by --static
 */
public record RuleMetadata(String id, String summary, String rationale, Severity defaultSeverity, List<Property> properties, boolean runtime) {
    public RuleMetadata {
        properties = List.copyOf(properties);
    }

    public Property property(String name) {
        return properties.stream().filter(p -> p.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException(id + " has no property " + name));
    }
}
