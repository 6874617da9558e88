package dev.modelgate.rule;

import dev.modelgate.stats.Statistics;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.ArrayList;
import java.util.List;

/** No layer's per-example weight-gradient statistic stays below 1e-5 (median over the training iterations). */
public final class GradientVanishingRule extends GradientRule {
    public static final RuleMetadata METADATA = new RuleMetadata("gradient-vanishing",
            "per-layer, per-example weight-gradient statistic of the modified model, median over the training iterations",
            "Interview: a gradient value below 1e-5 is usually considered gradient vanishing.",
            Severity.ERROR, List.of(Property.positive("min", 1e-5, "smallest allowed per-layer weight-gradient statistic"), statisticProperty()), true);

    public GradientVanishingRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        double min = settings.get("min");
        List<RuleResult> out = new ArrayList<>();
        String lowestLayer = null;
        double lowest = Double.POSITIVE_INFINITY;
        for (LayerGradients g : h.gradients()) {
            List<Double> v = statistic().equals(L2) ? g.weightL2() : g.weightMaxAbs();
            if (g.weightL2().isEmpty()) continue; // no weights (e.g. batch norm only has scale and shift)
            if (g.nonFinite() > 0) continue;      // NaN/Inf gradients: the non-finite rule reports the layer
            double[] finite = v.stream().mapToDouble(Double::doubleValue).filter(x -> !Double.isNaN(x) && !Double.isInfinite(x)).toArray();
            if (finite.length == 0) continue; // all NaN/Inf: the non-finite rule reports it
            double median = Statistics.median(finite);
            if (median < min) {
                out.add(result(false, median, min, g.layer(), g.layer() + ": weight " + statisticName() + " " + value(median)
                        + " (median over " + finite.length + " training iterations; min allowed " + value(min) + ")"));
            }
            if (median < lowest) {
                lowest = median;
                lowestLayer = g.layer();
            }
        }
        if (!out.isEmpty()) return out;
        if (lowestLayer == null) return List.of(result(true, null, min, null, "no layer with weights to judge"));
        return List.of(result(true, lowest, min, lowestLayer, lowestLayer + ": smallest weight " + statisticName() + " "
                + value(lowest) + " (median over the training iterations; min allowed " + value(min) + ")"));
    }
}
