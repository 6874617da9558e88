package dev.modelgate.rule;

import dev.modelgate.report.ModelReport;
import dev.modelgate.report.Severity;

import java.util.List;

public final class ParamGrowthRule extends TotalRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("param-growth",
            "total parameters, modified / original",
            "Interview: redundant parameters waste compute and invite overfitting; more than 2x the parameters is rarely one gradual step.",
            Severity.WARNING, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed growth of the parameter count")), false);

    public ParamGrowthRule(RuleSettings s) { super(METADATA, s, "parameters", ModelReport::totalParams); }
}
