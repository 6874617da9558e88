package dev.modelgate.rule;

import dev.modelgate.report.DataSummary;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * Inputs far from unit scale (raw pixel values, unnormalized measurements): the first layers' activations and every
 * gradient grow with them, which the health rules then report as explosions without naming the cause. Judged where the
 * model has CSV data; a warning, since the symptoms, where they occur, are the health rules' errors.
 */
public final class InputScaleRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("input-scale",
            "largest absolute feature value of the modified model's CSV data",
            "Measured on the MLP sample: its features (up to 3.9) train cleanly, 10x (38.9) too, 100x (389) explode the "
                    + "gradients past 100; standardized inputs are what the initializations assume.",
            Severity.WARNING, List.of(Property.positive("max-abs", 100, "largest allowed absolute feature value")), false);

    static final Template FAR = Template.of("features in {file} reach {measured} in absolute value (max allowed {limit}): far from unit scale, "
            + "which grows activations and gradients with it; standardize them (mean 0, standard deviation 1) or scale them into [0, 1]", "file");
    static final Template NEAR = Template.of("features in {file} stay within {measured} in absolute value (max allowed {limit})", "file");
    static final Template NOT_JUDGED = Template.of("not judged: the model has no CSV data (synthetic inputs are standard normal)");

    public InputScaleRule(RuleSettings s) { super(METADATA, s); }

    static double largest(DataSummary d) {
        return Math.max(Math.abs(d.featureMin()), Math.abs(d.featureMax()));
    }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        DataSummary d = e.modified().data();
        if (d == null) return List.of(RuleResult.skip(id(), settings.severity(), NOT_JUDGED.fill(null, null)));
        double max = settings.get("max-abs"), v = largest(d);
        if (v <= max) return List.of(result(true, v, max, null, NEAR, Arg.text("file", d.file())));
        RuleResult r = result(false, v, max, null, FAR, Arg.text("file", d.file()));
        ModelReport o = e.original();
        return List.of(o.data() != null && largest(o.data()) > max ? r.asPreExisting() : r);
    }
}
