package dev.modelgate.rule;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** The one explicit list of rules, in report order. */
public final class RuleRegistry {
    private static final Map<RuleMetadata, Function<RuleSettings, Rule>> RULES = new LinkedHashMap<>();

    static {
        RULES.put(TrainingTimeRule.METADATA, TrainingTimeRule::new);
        RULES.put(InferenceLatencyRule.METADATA, InferenceLatencyRule::new);
        RULES.put(ActivationRangeRule.METADATA, ActivationRangeRule::new);
        RULES.put(NonFiniteRule.METADATA, NonFiniteRule::new);
        RULES.put(GradientExplosionRule.METADATA, GradientExplosionRule::new);
        RULES.put(GradientVanishingRule.METADATA, GradientVanishingRule::new);
        RULES.put(LearningRule.METADATA, LearningRule::new);
        RULES.put(AccuracyDropRule.METADATA, AccuracyDropRule::new);
        RULES.put(LossIncreaseRule.METADATA, LossIncreaseRule::new);
        RULES.put(MemoryGrowthRule.METADATA, MemoryGrowthRule::new);
        RULES.put(ChannelGrowthRule.METADATA, ChannelGrowthRule::new);
        RULES.put(ChannelShrinkRule.METADATA, ChannelShrinkRule::new);
        RULES.put(DenseGrowthRule.METADATA, DenseGrowthRule::new);
        RULES.put(DenseShrinkRule.METADATA, DenseShrinkRule::new);
        RULES.put(ParallelBranchesRule.METADATA, ParallelBranchesRule::new);
        RULES.put(DepthGrowthRule.METADATA, DepthGrowthRule::new);
        RULES.put(ParamGrowthRule.METADATA, ParamGrowthRule::new);
        RULES.put(FlopsGrowthRule.METADATA, FlopsGrowthRule::new);
        RULES.put(OutputLossRule.METADATA, OutputLossRule::new);
        RULES.put(NoNonlinearityRule.METADATA, NoNonlinearityRule::new);
        RULES.put(TargetRangeRule.METADATA, TargetRangeRule::new);
        RULES.put(InputScaleRule.METADATA, InputScaleRule::new);
    }

    private RuleRegistry() {}

    public static List<RuleMetadata> all() {
        return List.copyOf(RULES.keySet());
    }

    public static Optional<RuleMetadata> find(String id) {
        return RULES.keySet().stream().filter(m -> m.id().equals(id)).findFirst();
    }

    public static List<String> ids() {
        return RULES.keySet().stream().map(RuleMetadata::id).toList();
    }

    /** Builds every rule with its configured settings, in registry order. */
    public static List<Rule> build(Thresholds thresholds) {
        List<Rule> out = new ArrayList<>();
        RULES.forEach((m, make) -> out.add(make.apply(thresholds.settings(m.id()))));
        return out;
    }
}
