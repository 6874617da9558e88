package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.List;

/** Dense units may at most halve per change. */
public final class DenseShrinkRule extends WidthRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("dense-shrink",
            "dense, embedding and recurrent units, matched layer modified / original",
            "Interview: reduce fully connected layers by no more than half per change (1024 -> 512) to keep expressive power.",
            Severity.WARNING, List.of(Property.ratioBelowOne("min-ratio", 0.5, "smallest allowed ratio of a dense layer's units")), false);

    public DenseShrinkRule(RuleSettings s) { super(METADATA, s, false, "dense", "units"); }
}
