package dev.modelgate.rule;

import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.stats.Statistics;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/** No layer's per-example weight-gradient statistic stays below 1e-5 (median over the training iterations). */
public final class GradientVanishingRule extends GradientRule {
    public static final RuleMetadata METADATA = new RuleMetadata("gradient-vanishing",
            "per-layer, per-example weight-gradient statistic of the modified model, median over the training iterations",
            "Interview: a gradient value below 1e-5 is usually considered gradient vanishing.",
            Severity.ERROR, List.of(Property.positive("min", 1e-5, "smallest allowed per-layer weight-gradient statistic"), statisticProperty()), true);

    static final Template BELOW = Template.of("{layer}: weight {statistic} {measured} (median over {iterations} training iterations; min allowed {limit})",
            "layer", "statistic", "iterations");
    static final Template SMALLEST = Template.of("{layer}: smallest weight {statistic} {measured} (median over the training iterations; min allowed {limit})",
            "layer", "statistic");
    static final Template NONE = Template.of("no layer with weights to judge");

    public GradientVanishingRule(RuleSettings s) { super(METADATA, s); }

    @Override String limitName() { return "min"; }

    @Override boolean beyond(double value, double limit) { return value < limit; }

    /** The median over the finite iterations of the layer's weight gradient; layers without weights or with NaN/Inf are not judged. */
    @Override
    Judged judge(LayerGradients g, String statistic) {
        if (g.weightL2().isEmpty()) return null; // no weights (e.g. batch norm only has scale and shift)
        if (g.nonFinite() > 0) return null;      // NaN/Inf gradients: the non-finite rule reports the layer
        List<Double> v = statistic.equals(L2) ? g.weightL2() : g.weightMaxAbs();
        double[] finite = v.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x) && !Double.isInfinite(x)).toArray();
        if (finite.length == 0) return null; // all NaN/Inf: the non-finite rule reports it
        return new Judged(g.layer(), Statistics.median(finite), Arg.integer("iterations", finite.length));
    }

    @Override
    RuleResult violation(Judged j, double limit) {
        return result(false, j.value(), limit, j.layer(), BELOW, Arg.text("layer", j.layer()), statisticName(), j.where());
    }

    @Override
    RuleResult closest(Judged j, double limit) {
        return result(true, j.value(), limit, j.layer(), SMALLEST, Arg.text("layer", j.layer()), statisticName());
    }

    @Override RuleResult nothing(double limit) { return result(true, null, limit, null, NONE); }
}
