package dev.modelgate.report;

import java.util.List;
import java.util.Map;

/**
 * One further comparison of a check's modified model, with a baseline other than the report's original: the same
 * modified model judged against, say, its last accepted version as well as its parent ({@code --against HEAD
 * --against accepted}). A per-change limit compares each change with its parent only, so growth compounds change by
 * change; the further comparison is what catches it. The verdict is derived, like the report's.
 *
 * @param against  what it was compared with, as the user named it: {@code accepted}, a git revision, or a file
 * @param original the baseline model (its source says where it came from: {@code accepted:models/x.yaml})
 * @param timing   the interleaved timing of the baseline and the modified model, or null when not timed
 * @param phases   where this comparison's time went, in milliseconds (as the report's)
 */
public record Comparison(String against, ModelReport original, List<LayerChange> diff, List<RuleResult> results,
                         TimingReport timing, Map<String, Long> phases) {
    public Comparison {
        diff = List.copyOf(diff);
        results = List.copyOf(results);
        phases = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(phases));
    }

    /** The comparison a check report made (its original, diff, results, timing), named by what it was against. */
    public static Comparison of(String against, CheckReport r) {
        return new Comparison(against, r.original(), r.diff(), r.results(), r.timing(), r.phases());
    }

    public Verdict verdict() { return Verdict.of(results); }

    public Comparison withOriginal(ModelReport m) {
        return new Comparison(against, m, diff, results, timing, phases);
    }

    public long count(Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
