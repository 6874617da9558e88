package dev.modelgate.rule;

import dev.modelgate.report.LayerGradients;

import java.util.List;

/** What the gradient rules share: the statistic a config chooses, and its name in messages. */
abstract class GradientRule extends RuntimeRule {
    static final String L2 = "l2", MAX_ABS = "max-abs";

    GradientRule(RuleSettings settings) {
        super(settings);
    }

    @Override protected boolean measured(Evidence e) { return e.modified().health() != null; }

    String statistic() { return settings.choice("statistic"); }

    String statisticName() {
        return statistic().equals(L2) ? "gradient L2 norm per example" : "largest gradient element per example";
    }

    static Property statisticProperty() {
        return Property.choice("statistic", L2, "l2: L2 norm of the layer's gradient; max-abs: its largest absolute element", L2, MAX_ABS);
    }

    /** One value per iteration of the chosen statistic, over all of the layer's parameters. */
    List<Double> allParams(LayerGradients g) {
        return statistic().equals(L2) ? g.allL2() : g.maxAbs();
    }
}
