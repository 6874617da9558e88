package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.List;

/**
 * A rule that judges measurements taken by running the models: timing, activations, gradients. Where those
 * measurements are absent (--static, or not yet implemented) it reports SKIP with the reason, never PASS.
 */
public final class RuntimeRule extends Rule {
    public static final RuleMetadata TRAINING_TIME = new RuleMetadata("training-time",
            "per-iteration training time, modified / original",
            "Interview: training time beyond twice the original's (+100%) is abnormal and needs investigation.",
            Severity.ERROR, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed training-time ratio")), true);
    public static final RuleMetadata INFERENCE_LATENCY = new RuleMetadata("inference-latency",
            "inference latency, modified / original",
            "Interview: inference time beyond 1.5x the original's (+50%) suggests the model is too complex or inefficient.",
            Severity.ERROR, List.of(Property.ratioAboveOne("max-ratio", 1.5, "largest allowed inference-latency ratio")), true);
    public static final RuleMetadata ACTIVATION_RANGE = new RuleMetadata("activation-range",
            "every intermediate layer output of the modified model",
            "Interview: intermediate outputs should stay within [-1e3, 1e3]; beyond it risks overflow and numerical instability.",
            Severity.ERROR, List.of(Property.any("min", -1e3, "lowest allowed activation value"),
                                     Property.any("max", 1e3, "highest allowed activation value")), true);
    public static final RuleMetadata NON_FINITE = new RuleMetadata("non-finite",
            "NaN or Inf in activations, gradients, loss or parameters",
            "A NaN or Inf means training has already broken down (overflow, invalid operations); nothing after it is meaningful.",
            Severity.ERROR, List.of(), true);
    public static final RuleMetadata GRADIENT_EXPLOSION = new RuleMetadata("gradient-explosion",
            "per-layer gradient statistic of the modified model",
            "Interview: a gradient value above 100 during training is usually considered gradient explosion.",
            Severity.ERROR, List.of(Property.positive("max", 100, "largest allowed per-layer gradient statistic")), true);
    public static final RuleMetadata GRADIENT_VANISHING = new RuleMetadata("gradient-vanishing",
            "per-layer weight-gradient statistic of the modified model",
            "Interview: a gradient value below 1e-5 is usually considered gradient vanishing.",
            Severity.ERROR, List.of(Property.positive("min", 1e-5, "smallest allowed per-layer weight-gradient statistic")), true);

    private final RuleMetadata metadata;

    public RuntimeRule(RuleMetadata metadata, RuleSettings settings) {
        super(settings);
        this.metadata = metadata;
    }

    @Override public RuleMetadata metadata() { return metadata; }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        String why = e.runtimeSkipReason() != null ? e.runtimeSkipReason()
                : "not measured: this version of modelgate does not measure " + metadata.summary();
        return List.of(RuleResult.skip(id(), settings.severity() == Severity.OFF ? Severity.ERROR : settings.severity(), why));
    }
}
