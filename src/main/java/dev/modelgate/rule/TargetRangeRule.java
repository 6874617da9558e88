package dev.modelgate.rule;

import dev.modelgate.report.DataSummary;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * A regression target the output cannot reach: a sigmoid output gives values in (0, 1), tanh in (-1, 1), ReLU none
 * below 0, so targets outside that range can never be fitted, and the loss stays high however long the model trains
 * (a bug people post as "relu/sigmoid on a regression output"). Judged where the model has CSV data (the targets are
 * known); synthetic targets say nothing about the user's task.
 */
public final class TargetRangeRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("target-range",
            "whether the modified model's regression output can reach the targets of its CSV data",
            "An output activation bounds what the model can predict; targets outside those bounds are never fitted.",
            Severity.ERROR, List.of(), false);

    static final Template UNREACHABLE = Template.of("{layer}: the targets in {file} span [{low}, {high}], but a {activation} output gives {range} "
            + "only: the model can never fit them; use an identity output (or scale the targets into the range)",
            "layer", "file", "low", "high", "activation", "range");
    static final Template REACHABLE = Template.of("{layer}: targets in {file} span [{low}, {high}], within what a {activation} output gives",
            "layer", "file", "low", "high", "activation");
    static final Template NOT_JUDGED = Template.of("not judged: {why}", "why");

    public TargetRangeRule(RuleSettings s) { super(METADATA, s); }

    /** The open or closed range an activation's values lie in, or null for an unbounded one. */
    record Range(double low, double high, String text) {
        boolean contains(double lo, double hi) { return lo >= low && hi <= high; }

        static Range of(String activation) {
            return switch (activation) {
                case "sigmoid", "hardsigmoid", "softmax" -> new Range(0, 1, "values in (0, 1)");
                case "tanh", "hardtanh", "rationaltanh", "rectifiedtanh" -> new Range(-1, 1, "values in (-1, 1)");
                case "relu", "softplus", "selu-positive" -> new Range(0, Double.POSITIVE_INFINITY, "values of 0 and above");
                case "relu6" -> new Range(0, 6, "values in [0, 6]");
                default -> null;
            };
        }
    }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        DataSummary d = e.modified().data();
        if (d == null) return List.of(RuleResult.skip(id(), settings.severity(), NOT_JUDGED.fill(null, null,
                Arg.text("why", "the model has no CSV data (synthetic targets say nothing about its task)"))));
        if (d.classification()) return List.of(RuleResult.skip(id(), settings.severity(), NOT_JUDGED.fill(null, null,
                Arg.text("why", "classification (output-loss judges the head)"))));
        OutputLossRule.Head h = OutputLossRule.Head.of(e.modified());
        if (h == null) return List.of(RuleResult.skip(id(), settings.severity(), NOT_JUDGED.fill(null, null, Arg.text("why", "no output layer with a loss"))));
        Range r = Range.of(h.activation());
        Arg layer = Arg.text("layer", h.layer()), file = Arg.text("file", d.file()), low = Arg.value("low", d.labelMin()), high = Arg.value("high", d.labelMax()),
                activation = Arg.text("activation", h.activation());
        if (r == null || r.contains(d.labelMin(), d.labelMax())) return List.of(result(true, null, null, h.layer(), REACHABLE, layer, file, low, high, activation));
        RuleResult fail = result(false, null, null, h.layer(), UNREACHABLE, layer, file, low, high, activation, Arg.text("range", r.text()));
        return List.of(unreachable(e.original()) ? fail.asPreExisting() : fail);
    }

    /** Whether the original has the same mistake: CSV regression targets its own output cannot reach. */
    private static boolean unreachable(dev.modelgate.report.ModelReport m) {
        DataSummary d = m.data();
        OutputLossRule.Head h = OutputLossRule.Head.of(m);
        if (d == null || d.classification() || h == null) return false;
        Range r = Range.of(h.activation());
        return r != null && !r.contains(d.labelMin(), d.labelMax());
    }
}
