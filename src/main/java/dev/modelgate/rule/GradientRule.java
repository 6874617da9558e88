package dev.modelgate.rule;

import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.text.Arg;

import java.util.ArrayList;
import java.util.List;

/**
 * What the gradient rules share: the statistic a config chooses (recorded in every result), its name in messages,
 * and the judging itself: one value per layer against a limit, every violating layer reported, else the layer that
 * came closest.
 */
abstract class GradientRule extends RuntimeRule {
    static final String L2 = "l2", MAX_ABS = "max-abs";

    GradientRule(RuleMetadata metadata, RuleSettings settings) {
        super(metadata, settings);
    }

    /** One layer's judged value, with what its message says about where it was seen. */
    record Judged(String layer, double value, Arg where) {}

    @Override protected String statistic() { return settings.choice("statistic"); }

    /** The statistic's name in messages, as the argument {@code {statistic}}. */
    Arg statisticName() {
        return Arg.text("statistic", statistic().equals(L2) ? "gradient L2 norm per example" : "largest gradient element per example");
    }

    static Property statisticProperty() {
        return Property.choice("statistic", L2, "l2: L2 norm of the layer's gradient; max-abs: its largest absolute element", L2, MAX_ABS);
    }

    /** The layer's value, or null when the rule does not judge the layer. */
    abstract Judged judge(LayerGradients g, String statistic);

    /** The limit's property: max or min. */
    abstract String limitName();

    /** Beyond the limit: above a max, below a min. */
    abstract boolean beyond(double value, double limit);

    abstract RuleResult violation(Judged j, double limit);

    abstract RuleResult closest(Judged j, double limit);

    abstract RuleResult nothing(double limit);

    @Override
    protected final List<RuleResult> judge(Evidence e) {
        double limit = settings.get(limitName());
        List<RuleResult> out = new ArrayList<>();
        Judged closest = null;
        for (LayerGradients g : e.modified().health().gradients()) {
            Judged j = judge(g, statistic());
            if (j == null) continue;
            if (beyond(j.value(), limit)) out.add(violation(j, limit));
            if (closest == null || beyond(j.value(), closest.value())) closest = j;
        }
        if (!out.isEmpty()) return out;
        return List.of(closest == null ? nothing(limit) : closest(closest, limit));
    }
}
