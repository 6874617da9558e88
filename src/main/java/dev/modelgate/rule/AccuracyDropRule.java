package dev.modelgate.rule;

import dev.modelgate.report.EvaluationReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * Held-out accuracy of the modified model against the original's, seed by seed: the interview's first factor after a
 * modification ("evaluate the accuracy of the model ... to ensure no significant decrease"), as TFMA's change
 * threshold (an absolute drop) decided with a paired interval over repeated trainings, as DeepCrime decides.
 */
public final class AccuracyDropRule extends HeldOutRule {
    public static final RuleMetadata METADATA = new RuleMetadata("accuracy-drop",
            "drop in held-out accuracy from the original to the modified model, paired over seeds (needs data)",
            "Interview: after any modification, evaluate the accuracy of the model on test sets and other methods to ensure "
                    + "no significant decrease; key performance indicators such as accuracy must not significantly decrease.",
            Severity.ERROR, List.of(
                    Property.ratioBelowOne("max-drop", 0.02, "largest allowed mean drop in held-out accuracy (absolute: 0.02 is two points)")), true);

    static final Template COMPARED = Template.of("held-out accuracy {from} -> {to} (mean of {seeds} seeds; per seed {ofseeds} -> {mfseeds}); "
            + "drop {measured}, 95% CI {low} to {high}, max allowed {limit}: {verdict}",
            "from", "to", "seeds", "ofseeds", "mfseeds", "low", "high", "verdict");
    static final Template REGRESSION = Template.of("not judged: regression (loss-increase judges the held-out error)");

    public AccuracyDropRule(RuleSettings s) { super(METADATA, s); }

    @Override String applies(EvaluationReport original, EvaluationReport modified) {
        return original.classification() ? null : REGRESSION.fill(null, null);
    }

    /** A drop is positive: the original's accuracy minus the modified's is the difference of the negated values. */
    @Override double value(EvaluationReport.SeedRun run) { return -run.metric(); }

    @Override double limit(double[] original) { return settings.get("max-drop"); }

    @Override
    RuleResult result(Status status, double[] interval, double limit, double[] o, double[] m, EvaluationReport ro, EvaluationReport rm) {
        double[] accO = negate(o), accM = negate(m);
        return result(status, interval[0], limit, COMPARED.fill(interval[0], limit, Arg.value("from", mean(accO)), Arg.value("to", mean(accM)),
                Arg.integer("seeds", o.length), Arg.text("ofseeds", perSeed(accO)), Arg.text("mfseeds", perSeed(accM)),
                Arg.value("low", interval[1]), Arg.value("high", interval[2]), Arg.text("verdict", verdict(status))));
    }

    private static double[] negate(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) out[i] = -v[i];
        return out;
    }
}
