package dev.modelgate.rule;

import dev.modelgate.report.Severity;
import dev.modelgate.report.TimingReport;

/** Inference latency may grow at most by half; optionally an absolute limit. */
public final class InferenceLatencyRule extends TimingRule {
    public static final RuleMetadata METADATA = new RuleMetadata("inference-latency",
            "inference latency, modified / original (median of interleaved pairs)",
            "Interview: inference time beyond 1.5x the original's (+50%) suggests the model is too complex or inefficient.",
            Severity.ERROR, properties(1.5, "inference-latency", "inference call"), true);

    public InferenceLatencyRule(RuleSettings s) { super(METADATA, s); }

    @Override TimingReport.Measurement measurement(TimingReport t) { return t.inference(); }

    @Override boolean trainingPass() { return false; }
}
