package dev.modelgate.rule;

import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/** No layer's per-example gradient statistic above 100 at any training iteration. */
public final class GradientExplosionRule extends GradientRule {
    public static final RuleMetadata METADATA = new RuleMetadata("gradient-explosion",
            "per-layer, per-example gradient statistic of the modified model at every training iteration",
            "Interview: a gradient value above 100 during training is usually considered gradient explosion.",
            Severity.ERROR, List.of(Property.positive("max", 100, "largest allowed per-layer gradient statistic"), statisticProperty()), true);

    static final Template ABOVE = Template.of("{layer}: {statistic} {measured} at training iteration {iteration} (max allowed {limit})",
            "layer", "statistic", "iteration");
    static final Template LARGEST = Template.of("{layer}: largest {statistic} {measured} at training iteration {iteration} (max allowed {limit})",
            "layer", "statistic", "iteration");
    static final Template NONE = Template.of("no finite gradients to judge");

    public GradientExplosionRule(RuleSettings s) { super(METADATA, s); }

    @Override String limitName() { return "max"; }

    @Override boolean beyond(double value, double limit) { return value > limit; }

    /** The layer's largest value over the iterations (over all its parameters), and the iteration it was seen at. */
    @Override
    Judged judge(LayerGradients g, String statistic) {
        List<Double> v = statistic.equals(L2) ? g.allL2() : g.maxAbs();
        double worst = -1;
        int at = 0;
        for (int i = 0; i < v.size(); i++) {
            double x = v.get(i);
            if (!Double.isNaN(x) && x > worst) {
                worst = x;
                at = i + 1;
            }
        }
        return at == 0 ? null : new Judged(g.layer(), worst, Arg.integer("iteration", at));
    }

    @Override
    RuleResult violation(Judged j, double limit) {
        return result(false, j.value(), limit, j.layer(), ABOVE, Arg.text("layer", j.layer()), statisticName(), j.where());
    }

    @Override
    RuleResult closest(Judged j, double limit) {
        return result(true, j.value(), limit, j.layer(), LARGEST, Arg.text("layer", j.layer()), statisticName(), j.where());
    }

    @Override RuleResult nothing(double limit) { return result(true, null, limit, null, NONE); }
}
