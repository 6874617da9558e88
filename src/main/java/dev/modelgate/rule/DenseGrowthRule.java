package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.List;

/** Dense units may at most double per change. */
public final class DenseGrowthRule extends WidthRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("dense-growth",
            "dense, embedding and recurrent units, matched layer modified / original (the output layer is fixed by the task and not judged)",
            "Interview: increase fully connected layers by 1.5x to 2x per change (512 -> 768 or 1024).",
            Severity.WARNING, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed growth of a dense layer's units")), false);

    public DenseGrowthRule(RuleSettings s) { super(METADATA, s, true, "dense", "units"); }
}
