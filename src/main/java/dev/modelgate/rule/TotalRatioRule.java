package dev.modelgate.rule;

import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;
import java.util.function.ToLongFunction;

/** A whole-model total (parameters, MACs) modified / original must stay under a ratio. */
abstract class TotalRatioRule extends Rule {
    static final Template RATIO = Template.of("{what} {from} -> {to} ({measured}x, max allowed {limit}x)", "what", "from", "to");
    static final Template NOTHING = Template.of("the original model has no {what} to compare with", "what");

    private final String what;
    private final ToLongFunction<ModelReport> total;

    TotalRatioRule(RuleMetadata metadata, RuleSettings settings, String what, ToLongFunction<ModelReport> total) {
        super(metadata, settings);
        this.what = what;
        this.total = total;
    }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        double max = settings.get("max-ratio");
        long a = total.applyAsLong(e.original()), b = total.applyAsLong(e.modified());
        if (a == 0) return List.of(result(true, null, max, null, NOTHING, Arg.text("what", what)));
        double r = (double) b / a;
        return List.of(result(r <= max, r, max, null, RATIO, Arg.text("what", what), Arg.count("from", a), Arg.count("to", b)));
    }
}
