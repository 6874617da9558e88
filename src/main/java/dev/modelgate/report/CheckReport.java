package dev.modelgate.report;

import java.util.List;

/**
 * Everything one {@code modelgate check} found: both models, how their layers correspond, every rule result and
 * the verdict. Immutable; renderers only read it.
 *
 * @param mode   {@code static} (structure only) or {@code run} (models were built and run)
 * @param timing the interleaved timing of both models, or null when not timed
 * @param phases where the check's time went, in milliseconds, in order: loading (configs read, shapes checked,
 *               structure counted), health (both models trained and probed), timing (warm-up and interleaved pairs),
 *               rules
 */
public record CheckReport(int schema, Verdict verdict, String mode, ModelReport original, ModelReport modified,
                          List<LayerChange> diff, List<RuleResult> results, TimingReport timing, Environment environment,
                          java.util.Map<String, Long> phases) {
    public static final int SCHEMA = 1;

    public CheckReport {
        diff = List.copyOf(diff);
        results = List.copyOf(results);
        phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
    }

    public CheckReport withOriginal(ModelReport m) {
        return new CheckReport(schema, verdict, mode, m, modified, diff, results, timing, environment, phases);
    }

    public CheckReport withEnvironment(Environment e) {
        return new CheckReport(schema, verdict, mode, original, modified, diff, results, timing, e, phases);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
