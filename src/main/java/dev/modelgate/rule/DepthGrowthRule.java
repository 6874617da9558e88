package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Few weight layers should be added in one change. */
public final class DepthGrowthRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("depth-growth",
            "weight layers (conv, dense, lstm) added by the change",
            "Interview: add layers gradually and find the depth by experiment; many layers at once risk vanishing or exploding gradients.",
            Severity.WARNING, List.of(Property.count("max-added-layers", 3, "most weight layers one change may add")), false);

    private static final Set<String> WEIGHT_FAMILIES = Set.of("conv", "dense", "recurrent");

    public DepthGrowthRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        double max = settings.get("max-added-layers");
        List<String> added = new ArrayList<>();
        for (LayerChange c : e.diff()) {
            if (c.kind() != LayerChange.Kind.ADDED) continue;
            LayerInfo l = e.modified().layer(c.modified()).orElse(null);
            if (l != null && WEIGHT_FAMILIES.contains(l.family())) added.add(l.name());
        }
        int n = added.size();
        String which = n == 0 ? "" : " (" + String.join(", ", added) + ")";
        return List.of(result(n <= max, (double) n, max, null, n + " weight layer" + (n == 1 ? "" : "s") + " added" + which
                + ", max allowed " + (long) max));
    }
}
