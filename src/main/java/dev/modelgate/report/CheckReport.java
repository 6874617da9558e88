package dev.modelgate.report;

import java.util.List;
import java.util.Map;

/**
 * Everything one {@code modelgate check} found: both models, how their layers correspond, every rule result.
 * Immutable; renderers only read it. The verdict and the mode are derived, never stored, so a report read back or
 * merged cannot disagree with its own results.
 *
 * @param timing the interleaved timing of both models, or null when not timed
 * @param phases where the check's time went, in milliseconds, in order: loading (configs read, shapes checked,
 *               structure counted), health (both models trained and probed), timing (warm-up and interleaved pairs),
 *               rules
 */
public record CheckReport(ModelReport original, ModelReport modified, List<LayerChange> diff, List<RuleResult> results,
                          TimingReport timing, Environment environment, Map<String, Long> phases) {
    /** The JSON schema version of the contract. */
    public static final int SCHEMA = 1;

    public CheckReport {
        diff = List.copyOf(diff);
        results = List.copyOf(results);
        phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
    }

    public int schema() { return SCHEMA; }

    /** FAIL when a rule of severity error failed, ERROR when one could not be evaluated, else PASS. */
    public Verdict verdict() { return Verdict.of(results); }

    /**
     * {@code stopped} when a limit stopped the check while measuring (rules it did not get to are
     * {@link RuleResult#notMeasured}; what was measured before is judged); {@code run} when the models ran (either has
     * health measurements); else {@code static}.
     */
    public String mode() {
        if (results.stream().anyMatch(RuleResult::isNotMeasured)) return "stopped";
        return original.health() != null || modified.health() != null ? "run" : "static";
    }

    public CheckReport withOriginal(ModelReport m) {
        return new CheckReport(m, modified, diff, results, timing, environment, phases);
    }

    public CheckReport withModified(ModelReport m) {
        return new CheckReport(original, m, diff, results, timing, environment, phases);
    }

    public CheckReport withEnvironment(Environment e) {
        return new CheckReport(original, modified, diff, results, timing, e, phases);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
