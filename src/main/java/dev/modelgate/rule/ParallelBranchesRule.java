package dev.modelgate.rule;

import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;

/** At most two parallel branches should join in one place. */
public final class ParallelBranchesRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("parallel-branches",
            "number of branches joined by one add/concat/... node in the modified model",
            "Interview: adding more than 2 parallel branches is not recommended; complexity, cost and gradient computation all grow.",
            Severity.WARNING, List.of(Property.wholeAtLeastOne("max-branches", 2, "most branches one join may take")), false);

    static final Template TOO_MANY = Template.of("{layer}: joins {branches} branches ({type} of {inputs}), max allowed {limit}",
            "layer", "branches", "type", "inputs");
    static final Template WIDEST = Template.of("{layer}: joins {branches} branches, max allowed {limit}", "layer", "branches");
    static final Template NONE = Template.of("no branches join in the modified model");

    public ParallelBranchesRule(RuleSettings s) { super(METADATA, s); }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        double max = settings.get("max-branches");
        List<RuleResult> out = new ArrayList<>();
        LayerInfo widest = null;
        for (LayerInfo l : e.modified().layers()) {
            if (!l.family().equals("merge")) continue;
            int n = l.inputs().size();
            if (n > max) {
                out.add(result(false, (double) n, max, l.name(), TOO_MANY, Arg.text("layer", l.name()), Arg.integer("branches", n),
                        Arg.text("type", l.type()), Arg.list("inputs", l.inputs())));
            }
            if (widest == null || n > widest.inputs().size()) widest = l;
        }
        if (!out.isEmpty()) return out;
        if (widest == null) return List.of(result(true, 0.0, max, null, NONE));
        return List.of(result(true, (double) widest.inputs().size(), max, widest.name(), WIDEST,
                Arg.text("layer", widest.name()), Arg.integer("branches", widest.inputs().size())));
    }
}
