package dev.modelgate.rule;

import dev.modelgate.report.Severity;

import java.util.List;

/** Conv output channels may at most halve per change. */
public final class ChannelShrinkRule extends WidthRatioRule {
    public static final RuleMetadata METADATA = new RuleMetadata("channel-shrink",
            "conv output channels, matched layer modified / original (and an added conv layer's out / in)",
            "Interview: reduce conv channels by no more than half per change (128 -> 64, not 128 -> 32) to keep expressive power.",
            Severity.WARNING, List.of(Property.ratioBelowOne("min-ratio", 0.5, "smallest allowed ratio of a conv layer's output channels")), false);

    public ChannelShrinkRule(RuleSettings s) { super(METADATA, s, false, "conv", "output channels"); }
}
