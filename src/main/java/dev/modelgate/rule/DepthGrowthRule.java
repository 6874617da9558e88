package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Few weight layers should be added in one change. */
public final class DepthGrowthRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("depth-growth",
            "weight layers (conv, dense, lstm) added by the change",
            "Interview: add layers gradually and find the depth by experiment; many layers at once risk vanishing or exploding gradients.",
            Severity.WARNING, List.of(Property.count("max-added-layers", 3, "most weight layers one change may add")), false);

    static final Template NONE = Template.of("0 weight layers added, max allowed {limit}");
    static final Template ONE = Template.of("1 weight layer added ({layers}), max allowed {limit}", "layers");
    static final Template MANY = Template.of("{added} weight layers added ({layers}), max allowed {limit}", "added", "layers");

    private static final Set<String> WEIGHT_FAMILIES = Set.of("conv", "dense", "recurrent");

    public DepthGrowthRule(RuleSettings s) { super(METADATA, s); }

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
        boolean ok = n <= max;
        if (n == 0) return List.of(result(ok, 0.0, max, null, NONE));
        if (n == 1) return List.of(result(ok, 1.0, max, null, ONE, Arg.list("layers", added)));
        return List.of(result(ok, (double) n, max, null, MANY, Arg.integer("added", n), Arg.list("layers", added)));
    }
}
