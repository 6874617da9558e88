package dev.modelgate.rule;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;

/** Every intermediate layer output stays within [-1e3, 1e3], at initialization and after training. */
public final class ActivationRangeRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("activation-range",
            "every intermediate layer output of the modified model, at initialization and after the training iterations",
            "Interview: intermediate outputs should stay within [-1e3, 1e3]; beyond it risks overflow and numerical instability.",
            Severity.ERROR, List.of(Property.any("min", -1e3, "lowest allowed activation value"),
                                     Property.any("max", 1e3, "highest allowed activation value")), true);

    static final Template BEYOND = Template.of("{layer}: activations reach {measured} {when} (allowed [{min}, {max}])", "layer", "when", "min", "max");
    static final Template LARGEST = Template.of("{layer}: largest activation {measured} {when} (allowed [{min}, {max}])", "layer", "when", "min", "max");
    static final Template NONE = Template.of("no intermediate layer to judge");

    public ActivationRangeRule(RuleSettings s) { super(METADATA, s); }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        double lo = settings.get("min"), hi = settings.get("max");
        Arg min = Arg.value("min", lo), max = Arg.value("max", hi);
        String outputLayer = e.modified().layers().get(e.modified().layers().size() - 1).name();
        List<RuleResult> out = new ArrayList<>();
        String bestLayer = null;
        Arg bestWhen = null;
        double best = 0;
        for (ActivationStats init : h.initial()) {
            if (init.layer().equals(outputLayer)) continue; // the output is a prediction, not an intermediate value
            ActivationStats trained = h.trained().stream().filter(t -> t.layer().equals(init.layer())).findFirst().orElse(null);
            double worst = 0;
            Arg when = null;
            for (ActivationStats s : trained == null ? List.of(init) : List.of(init, trained)) {
                for (double v : new double[] {s.min(), s.max()}) {
                    if (Double.isNaN(v)) continue;
                    double excess = v > hi ? v - hi : v < lo ? lo - v : 0;
                    double size = Math.abs(v);
                    if (excess > 0 && (when == null || size > Math.abs(worst))) {
                        worst = v;
                        when = when("when", s == trained, h.iterations());
                    }
                    if (size > Math.abs(best)) {
                        best = v;
                        bestLayer = s.layer();
                        bestWhen = when("when", s == trained, h.iterations());
                    }
                }
            }
            if (when != null) {
                out.add(result(false, worst, worst > hi ? hi : lo, init.layer(), BEYOND, Arg.text("layer", init.layer()), when, min, max));
            }
        }
        if (!out.isEmpty()) return out;
        if (bestLayer == null) return List.of(result(true, null, hi, null, NONE));
        return List.of(result(true, best, best < 0 ? lo : hi, bestLayer, LARGEST, Arg.text("layer", bestLayer), bestWhen, min, max));
    }
}
