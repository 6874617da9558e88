package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The judge stage: applies every rule, in registry order, to the evidence. Built once per set of thresholds (the
 * rules are built once, not per check). A rule that is off is reported as skipped; a rule that throws is reported
 * as ERROR with the reason, so one broken rule never hides the others' results.
 */
public final class Judge {
    private final List<Rule> rules;

    public Judge(Thresholds thresholds) {
        this.rules = RuleRegistry.build(thresholds);
    }

    public List<RuleResult> judge(Evidence evidence) {
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : rules) {
            if (rule.severity() == Severity.OFF) {
                results.add(RuleResult.skip(rule.id(), rule.metadata().defaultSeverity(), "turned off in the config (severity: off)"));
                continue;
            }
            try {
                List<RuleResult> found = rule.evaluate(evidence);
                if (rule instanceof RuntimeRule r && r.judgesOneModel() && evidence.original().health() != null) {
                    found = markPreExisting(found, rule.evaluate(evidence.alone(evidence.original())), evidence.diff());
                }
                results.addAll(found);
            } catch (RuntimeException e) {
                results.add(new RuleResult(rule.id(), Status.ERROR, rule.severity(), null, null, null,
                        "the rule could not be evaluated (" + e + "); a bug in modelgate: please report it"));
            }
        }
        return results;
    }

    /** Whether either timing rule will be judged: otherwise nothing needs to be timed. */
    public boolean needsTiming() {
        return rules.stream().anyMatch(r -> r instanceof TimingRule && r.severity() != Severity.OFF);
    }

    /**
     * With {@code onlyNew} ({@code --fail-on new}), a pre-existing failure (the original fails the same rule at the
     * same place) is reported with status WARN, still marked pre-existing, so that only what the change introduced
     * fails the check; otherwise the results as they are.
     */
    public static List<RuleResult> failOn(List<RuleResult> results, boolean onlyNew) {
        if (!onlyNew) return results;
        return results.stream().map(r -> r.status() == Status.FAIL && r.preExisting()
                ? new RuleResult(r.rule(), Status.WARN, r.severity(), r.measured(), r.threshold(), r.layer(), r.message(), true, r.statistic())
                : r).toList();
    }

    /** Whether a rule that judges the held-out evaluation is on (it trains each model once per seed: the costliest probe). */
    public boolean needsEvaluation() {
        return rules.stream().anyMatch(r -> r instanceof HeldOutRule && r.severity() != Severity.OFF);
    }

    /**
     * A violation the original model has too, at the same layer (matched by the layer diff) or model-wide, is marked
     * pre-existing: still reported and still counted, but shown as not introduced by this change.
     */
    static List<RuleResult> markPreExisting(List<RuleResult> modified, List<RuleResult> original, List<LayerChange> diff) {
        Map<String, String> originalName = new HashMap<>();
        for (LayerChange c : diff) if (c.modified() != null && c.original() != null) originalName.put(c.modified(), c.original());
        List<RuleResult> out = new ArrayList<>();
        for (RuleResult r : modified) {
            boolean violation = r.status() == Status.FAIL || r.status() == Status.WARN;
            String where = r.layer() == null ? null : originalName.get(r.layer());
            boolean before = violation && original.stream().anyMatch(o -> (o.status() == Status.FAIL || o.status() == Status.WARN)
                    && (r.layer() == null ? o.layer() == null : Objects.equals(where, o.layer())));
            out.add(before ? r.asPreExisting() : r);
        }
        return out;
    }
}
