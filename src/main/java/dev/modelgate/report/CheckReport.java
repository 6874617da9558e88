package dev.modelgate.report;

import java.util.List;

/**
 * Everything one {@code modelgate check} found: both models, how their layers correspond, every rule result and
 * the verdict. Immutable; renderers only read it.
 *
 * @param mode   {@code static} (structure only) or {@code run} (models were built and run)
 * @param timing the interleaved timing of both models, or null when not timed
 */
public record CheckReport(int schema, Verdict verdict, String mode, ModelReport original, ModelReport modified,
                          List<LayerChange> diff, List<RuleResult> results, TimingReport timing, Environment environment) {
    public static final int SCHEMA = 1;

    public CheckReport {
        diff = List.copyOf(diff);
        results = List.copyOf(results);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
