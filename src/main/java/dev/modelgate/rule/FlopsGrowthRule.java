package dev.modelgate.rule;

import dev.modelgate.report.ModelReport;
import dev.modelgate.report.Severity;

import java.util.List;

public final class FlopsGrowthRule extends TotalRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("flops-growth",
            "multiply-accumulates per example, modified / original",
            "Interview: computational complexity far beyond need makes training and inference slow; 2x the MACs foreshadows the 2x training-time limit.",
            Severity.WARNING, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed growth of MACs per example")), false);

    public FlopsGrowthRule(RuleSettings s) { super(METADATA, s, "MACs per example", ModelReport::totalMacs); }
}
