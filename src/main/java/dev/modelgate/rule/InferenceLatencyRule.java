package dev.modelgate.rule;

import dev.modelgate.report.Severity;
import dev.modelgate.report.TimingReport;

import java.util.List;

/** Inference latency may grow at most by half; optionally an absolute limit. */
public final class InferenceLatencyRule extends TimingRule {
    public static final RuleMetadata METADATA = new RuleMetadata("inference-latency",
            "inference latency, modified / original (median of interleaved pairs)",
            "Interview: inference time beyond 1.5x the original's (+50%) suggests the model is too complex or inefficient.",
            Severity.ERROR, List.of(
                    Property.ratioAboveOne("max-ratio", 1.5, "largest allowed inference-latency ratio"),
                    Property.optionalPositive("max-ms", "largest allowed milliseconds per inference call of the modified model")), true);

    public InferenceLatencyRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override TimingReport.Measurement measurement(TimingReport t) { return t.inference(); }
}
