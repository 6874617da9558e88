package dev.modelgate.rule;

import dev.modelgate.report.EvaluationReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * Held-out loss of the modified model against the original's, seed by seed: for regression the task's own measure
 * (its mean squared error, with the mean absolute error shown), for classification how confident the right answers
 * are, beyond whether they are right. Relative, because a loss has the scale of its targets, with an absolute floor,
 * because a relative change of a loss near zero (a separable task) is noise.
 */
public final class LossIncreaseRule extends HeldOutRule {
    public static final RuleMetadata METADATA = new RuleMetadata("loss-increase",
            "increase in held-out loss from the original to the modified model, paired over seeds (needs data)",
            "Interview: after a modification, key performance indicators must not significantly decrease; the held-out loss "
                    + "(the mean squared error of a regression) is the indicator where accuracy does not apply.",
            Severity.ERROR, List.of(
                    Property.positive("max-relative-increase", 0.1, "largest allowed mean increase as a fraction of the original's mean held-out loss"),
                    Property.positive("min-absolute-increase", 0.01, "the allowed increase is never below this (a loss near zero)")), true);

    static final Template COMPARED = Template.of("held-out loss {from} -> {to}{mae} (mean of {seeds} seeds; per seed {ofseeds} -> {mfseeds}); "
            + "increase {measured}, 95% CI {low} to {high}, max allowed {limit}: {verdict}",
            "from", "to", "mae", "seeds", "ofseeds", "mfseeds", "low", "high", "verdict");
    static final Template MAE = Template.of(", mean absolute error {from} -> {to}", "from", "to");

    public LossIncreaseRule(RuleSettings s) { super(METADATA, s); }

    @Override String applies(EvaluationReport original, EvaluationReport modified) {
        if (original.classification() && original.outputs() != modified.outputs()) {
            return DIFFERENT_OUTPUTS.fill(null, null, Arg.integer("original", original.outputs()), Arg.integer("modified", modified.outputs()));
        }
        return null;
    }

    @Override double value(EvaluationReport.SeedRun run) { return run.loss(); }

    @Override
    double limit(double[] original) {
        return Math.max(settings.get("min-absolute-increase"), settings.get("max-relative-increase") * mean(original));
    }

    @Override
    RuleResult result(Status status, double[] interval, double limit, double[] o, double[] m, EvaluationReport ro, EvaluationReport rm) {
        String mae = ro.classification() ? "" : MAE.fill(null, null, Arg.value("from", ro.seeds().stream().mapToDouble(EvaluationReport.SeedRun::mae).average().orElse(Double.NaN)),
                Arg.value("to", rm.seeds().stream().mapToDouble(EvaluationReport.SeedRun::mae).average().orElse(Double.NaN)));
        return result(status, interval[0], limit, COMPARED.fill(interval[0], limit, Arg.value("from", mean(o)), Arg.value("to", mean(m)),
                Arg.text("mae", mae), Arg.integer("seeds", o.length), Arg.text("ofseeds", perSeed(o)), Arg.text("mfseeds", perSeed(m)),
                Arg.value("low", interval[1]), Arg.value("high", interval[2]), Arg.text("verdict", verdict(status))));
    }
}
