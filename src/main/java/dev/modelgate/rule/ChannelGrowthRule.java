package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.List;

/** Conv output channels may at most double per change. */
public final class ChannelGrowthRule extends WidthRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("channel-growth",
            "conv output channels, matched layer modified / original (and an added conv layer's out / in)",
            "Interview: increase conv channels by no more than 2x per change (64 -> 128, not 64 -> 256) so complexity grows gradually.",
            Severity.ERROR, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed growth of a conv layer's output channels")), false);

    public ChannelGrowthRule(RuleSettings s) { super(METADATA, s, true, "conv", "output channels"); }
}
