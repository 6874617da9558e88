package dev.modelgate.rule;

import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;

import java.util.List;
import java.util.function.ToLongFunction;

/** A whole-model total (parameters, MACs) modified / original must stay under a ratio. */
abstract class TotalRatioRule extends Rule {
    private final String what;
    private final ToLongFunction<ModelReport> total;

    TotalRatioRule(RuleSettings settings, String what, ToLongFunction<ModelReport> total) {
        super(settings);
        this.what = what;
        this.total = total;
    }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        double max = settings.get("max-ratio");
        long a = total.applyAsLong(e.original()), b = total.applyAsLong(e.modified());
        if (a == 0) return List.of(result(true, null, max, null, "the original model has no " + what + " to compare with"));
        double r = (double) b / a;
        return List.of(result(r <= max, r, max, null, what + " " + count(a) + " -> " + count(b) + " (" + ratio(r) + "x, max allowed " + ratio(max) + "x)"));
    }
}
