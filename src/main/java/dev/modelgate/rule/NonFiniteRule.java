package dev.modelgate.rule;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;

/** No NaN or Inf in activations, gradients, loss or parameters. */
public final class NonFiniteRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("non-finite",
            "NaN or Inf in activations, gradients, loss or parameters of the modified model",
            "A NaN or Inf means training has already broken down (overflow, invalid operations); nothing after it is meaningful.",
            Severity.ERROR, List.of(), true);

    static final Template LOSS = Template.of("loss is {loss} at training iteration {iteration}", "loss", "iteration");
    static final Template ACTIVATIONS = Template.of("{layer}: {nan} NaN and {inf} Inf activation values {when} (the first layer with any)",
            "layer", "nan", "inf", "when");
    static final Template ACTIVATIONS_DL4J_TOO = Template.of("{layer}: {nan} NaN and {inf} Inf activation values {when} (the first layer with any); "
            + "DL4J's own forward pass of the same batch gives {dl4j} NaN/Inf output values too", "layer", "nan", "inf", "when", "dl4j");
    static final Template ACTIVATIONS_PROBE_ONLY = Template.of("{layer}: {nan} NaN and {inf} Inf activation values {when} (the first layer with any); "
            + "DL4J's own forward pass of the same batch is finite, so they come from modelgate's layer-by-layer pass, not the model: "
            + "please report this as a modelgate bug", "layer", "nan", "inf", "when");
    static final Template GRADIENTS = Template.of("{layer}: {count} NaN/Inf gradient values over {iterations} training iterations",
            "layer", "count", "iterations");
    static final Template PARAMETERS = Template.of("{count} parameters are NaN/Inf after {iterations} training iterations", "count", "iterations");
    static final Template NONE = Template.of("no NaN or Inf in activations, gradients, loss or parameters over {iterations} training iterations",
            "iterations");

    public NonFiniteRule(RuleSettings s) { super(METADATA, s); }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport h = e.modified().health();
        Arg iterations = Arg.integer("iterations", h.iterations());
        List<RuleResult> out = new ArrayList<>();
        for (int i = 0; i < h.losses().size(); i++) {
            double loss = h.losses().get(i);
            if (Double.isNaN(loss) || Double.isInfinite(loss)) {
                out.add(result(false, null, null, null, LOSS, Arg.value("loss", loss), Arg.integer("iteration", i + 1)));
                break;
            }
        }
        firstBad(out, h.initial(), when("when", false, h.iterations()), h.dl4jOutputNonFinite());
        firstBad(out, h.trained(), when("when", true, h.iterations()), -1);
        for (LayerGradients g : h.gradients()) {
            if (g.nonFinite() > 0) {
                out.add(result(false, (double) g.nonFinite(), null, g.layer(), GRADIENTS, Arg.text("layer", g.layer()),
                        Arg.count("count", g.nonFinite()), iterations));
                break;
            }
        }
        if (h.nonFiniteParams() > 0) {
            out.add(result(false, (double) h.nonFiniteParams(), null, null, PARAMETERS, Arg.count("count", h.nonFiniteParams()), iterations));
        }
        if (!out.isEmpty()) return out;
        return List.of(result(true, 0.0, null, null, NONE, iterations));
    }

    /** The first layer with NaN/Inf values in one phase: later layers inherit them and add nothing. */
    /** @param dl4j NaN/Inf values in DL4J's own forward pass of the same batch; -1 where it was not consulted */
    private void firstBad(List<RuleResult> out, List<ActivationStats> stats, Arg when, long dl4j) {
        for (ActivationStats s : stats) {
            if (!s.finite()) {
                Arg layer = Arg.text("layer", s.layer()), nan = Arg.count("nan", s.nan()), inf = Arg.count("inf", s.inf());
                double measured = s.nan() + s.inf();
                if (dl4j > 0) out.add(result(false, measured, null, s.layer(), ACTIVATIONS_DL4J_TOO, layer, nan, inf, when, Arg.count("dl4j", dl4j)));
                else if (dl4j == 0) out.add(result(false, measured, null, s.layer(), ACTIVATIONS_PROBE_ONLY, layer, nan, inf, when));
                else out.add(result(false, measured, null, s.layer(), ACTIVATIONS, layer, nan, inf, when));
                return;
            }
        }
    }
}
