package dev.modelgate.rule;

import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.ArrayList;
import java.util.List;

/** No layer's per-example gradient statistic above 100 at any training iteration. */
public final class GradientExplosionRule extends GradientRule {
    public static final RuleMetadata METADATA = new RuleMetadata("gradient-explosion",
            "per-layer, per-example gradient statistic of the modified model at every training iteration",
            "Interview: a gradient value above 100 during training is usually considered gradient explosion.",
            Severity.ERROR, List.of(Property.positive("max", 100, "largest allowed per-layer gradient statistic"), statisticProperty()), true);

    public GradientExplosionRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        double max = settings.get("max");
        List<RuleResult> out = new ArrayList<>();
        String bestLayer = null;
        double best = -1;
        int bestIteration = 0;
        for (LayerGradients g : h.gradients()) {
            List<Double> v = allParams(g);
            double worst = -1;
            int at = 0;
            for (int i = 0; i < v.size(); i++) {
                double x = v.get(i);
                if (!Double.isNaN(x) && x > worst) {
                    worst = x;
                    at = i + 1;
                }
            }
            if (worst > max) {
                out.add(result(false, worst, max, g.layer(), g.layer() + ": " + statisticName() + " " + value(worst)
                        + " at training iteration " + at + " (max allowed " + value(max) + ")"));
            }
            if (worst > best) {
                best = worst;
                bestLayer = g.layer();
                bestIteration = at;
            }
        }
        if (!out.isEmpty()) return out;
        if (bestLayer == null) return List.of(result(true, null, max, null, "no finite gradients to judge"));
        return List.of(result(true, best, max, bestLayer, bestLayer + ": largest " + statisticName() + " " + value(best)
                + " at training iteration " + bestIteration + " (max allowed " + value(max) + ")"));
    }
}
