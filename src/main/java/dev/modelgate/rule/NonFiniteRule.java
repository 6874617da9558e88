package dev.modelgate.rule;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.ArrayList;
import java.util.List;

/** No NaN or Inf in activations, gradients, loss or parameters. */
public final class NonFiniteRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("non-finite",
            "NaN or Inf in activations, gradients, loss or parameters of the modified model",
            "A NaN or Inf means training has already broken down (overflow, invalid operations); nothing after it is meaningful.",
            Severity.ERROR, List.of(), true);

    public NonFiniteRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override protected boolean measured(Evidence e) { return e.modified().health() != null; }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        List<RuleResult> out = new ArrayList<>();
        for (int i = 0; i < h.losses().size(); i++) {
            double loss = h.losses().get(i);
            if (Double.isNaN(loss) || Double.isInfinite(loss)) {
                out.add(result(false, null, null, null, "loss is " + loss + " at training iteration " + (i + 1)));
                break;
            }
        }
        firstBad(out, h.initial(), "at initialization");
        firstBad(out, h.trained(), "after " + h.iterations() + " training iterations");
        for (LayerGradients g : h.gradients()) {
            if (g.nonFinite() > 0) {
                out.add(result(false, (double) g.nonFinite(), null, g.layer(), g.layer() + ": " + count(g.nonFinite())
                        + " NaN/Inf gradient values over " + h.iterations() + " training iterations"));
                break;
            }
        }
        if (h.nonFiniteParams() > 0) {
            out.add(result(false, (double) h.nonFiniteParams(), null, null, count(h.nonFiniteParams())
                    + " parameters are NaN/Inf after " + h.iterations() + " training iterations"));
        }
        if (!out.isEmpty()) return out;
        return List.of(result(true, 0.0, null, null, "no NaN or Inf in activations, gradients, loss or parameters over "
                + h.iterations() + " training iterations"));
    }

    /** The first layer with NaN/Inf values in one phase: later layers inherit them and add nothing. */
    private void firstBad(List<RuleResult> out, List<ActivationStats> stats, String when) {
        for (ActivationStats s : stats) {
            if (!s.finite()) {
                out.add(result(false, (double) (s.nan() + s.inf()), null, s.layer(), s.layer() + ": " + count(s.nan()) + " NaN and "
                        + count(s.inf()) + " Inf activation values " + when + " (the first layer with any)"));
                return;
            }
        }
    }
}
