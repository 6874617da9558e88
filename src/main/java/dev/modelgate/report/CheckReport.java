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
 * @param comparisons further comparisons of the same modified model with other baselines ({@code --against HEAD
 *                    --against accepted}: the first is this report's original, the rest are here), in the order asked;
 *                    empty for a check of one pair
 */
public record CheckReport(ModelReport original, ModelReport modified, List<LayerChange> diff, List<RuleResult> results,
                          TimingReport timing, Environment environment, Map<String, Long> phases, List<Comparison> comparisons) {
    /** The JSON schema version of the contract. */
    public static final int SCHEMA = 1;

    public CheckReport {
        diff = List.copyOf(diff);
        results = List.copyOf(results);
        phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
        comparisons = List.copyOf(comparisons);
    }

    /** A check of one pair: no further comparisons. */
    public CheckReport(ModelReport original, ModelReport modified, List<LayerChange> diff, List<RuleResult> results,
                       TimingReport timing, Environment environment, Map<String, Long> phases) {
        this(original, modified, diff, results, timing, environment, phases, List.of());
    }

    public int schema() { return SCHEMA; }

    /**
     * FAIL when a rule of severity error failed, ERROR when one could not be evaluated, else PASS: over this report's
     * results and every further comparison's (the worst of them).
     */
    public Verdict verdict() {
        if (comparisons.isEmpty()) return Verdict.of(results);
        List<Verdict> all = new java.util.ArrayList<>(List.of(Verdict.of(results)));
        comparisons.forEach(c -> all.add(c.verdict()));
        return Verdict.worst(all);
    }

    /** The same report with further comparisons (replacing any it had). */
    public CheckReport withComparisons(List<Comparison> c) {
        return new CheckReport(original, modified, diff, results, timing, environment, phases, c);
    }

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
        return new CheckReport(m, modified, diff, results, timing, environment, phases, comparisons);
    }

    public CheckReport withModified(ModelReport m) {
        return new CheckReport(original, m, diff, results, timing, environment, phases, comparisons);
    }

    public CheckReport withEnvironment(Environment e) {
        return new CheckReport(original, modified, diff, results, timing, e, phases, comparisons);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
