package dev.modelgate.rule;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.ArrayList;
import java.util.List;

/** Every intermediate layer output stays within [-1e3, 1e3], at initialization and after training. */
public final class ActivationRangeRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("activation-range",
            "every intermediate layer output of the modified model, at initialization and after the training iterations",
            "Interview: intermediate outputs should stay within [-1e3, 1e3]; beyond it risks overflow and numerical instability.",
            Severity.ERROR, List.of(Property.any("min", -1e3, "lowest allowed activation value"),
                                     Property.any("max", 1e3, "highest allowed activation value")), true);

    public ActivationRangeRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override protected boolean measured(Evidence e) { return e.modified().health() != null; }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        double lo = settings.get("min"), hi = settings.get("max");
        String allowed = "allowed [" + value(lo) + ", " + value(hi) + "]";
        String outputLayer = e.modified().layers().get(e.modified().layers().size() - 1).name();
        List<RuleResult> out = new ArrayList<>();
        String bestLayer = null, bestWhen = null;
        double best = 0;
        for (ActivationStats init : h.initial()) {
            if (init.layer().equals(outputLayer)) continue; // the output is a prediction, not an intermediate value
            ActivationStats trained = h.trained().stream().filter(t -> t.layer().equals(init.layer())).findFirst().orElse(null);
            double worst = 0;
            String when = null;
            for (ActivationStats s : trained == null ? List.of(init) : List.of(init, trained)) {
                for (double v : new double[] {s.min(), s.max()}) {
                    if (Double.isNaN(v)) continue;
                    double excess = v > hi ? v - hi : v < lo ? lo - v : 0;
                    double size = Math.abs(v);
                    if (excess > 0 && (when == null || size > Math.abs(worst))) {
                        worst = v;
                        when = RuntimeRule.when(s == trained, h.iterations());
                    }
                    if (size > Math.abs(best)) {
                        best = v;
                        bestLayer = s.layer();
                        bestWhen = RuntimeRule.when(s == trained, h.iterations());
                    }
                }
            }
            if (when != null) {
                out.add(result(false, worst, worst > hi ? hi : lo, init.layer(),
                        init.layer() + ": activations reach " + value(worst) + " " + when + " (" + allowed + ")"));
            }
        }
        if (!out.isEmpty()) return out;
        if (bestLayer == null) return List.of(result(true, null, hi, null, "no intermediate layer to judge"));
        return List.of(result(true, best, best < 0 ? lo : hi, bestLayer,
                bestLayer + ": largest activation " + value(best) + " " + bestWhen + " (" + allowed + ")"));
    }
}
