package dev.modelgate.rule;

import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;
import java.util.Set;

/**
 * Hidden layers without any nonlinearity: stacked linear layers compute one linear map of the input, however many there
 * are, so the depth buys nothing (a bug people post as "my network does no better than logistic regression").
 * Judged from the structure; a layer modelgate does not know to be linear counts as nonlinear, so the rule only warns
 * about what it is sure of. A model whose original is linear too is pre-existing.
 */
public final class NoNonlinearityRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("no-nonlinearity",
            "whether the modified model's hidden layers have any nonlinearity at all (structure only)",
            "Without a nonlinear activation between them, stacked layers are one linear map: the model cannot learn what "
                    + "its depth was added for.", Severity.WARNING, List.of(), false);

    static final Template LINEAR = Template.of("no nonlinearity in the {count} hidden layers ({layers}): they compute one linear map of the "
            + "input; give the weight layers an activation (e.g. relu)", "count", "layers");
    static final Template NONLINEAR = Template.of("{layer}: {what}", "layer", "what");
    static final Template NO_HIDDEN = Template.of("no hidden weight layer to judge");

    /** Layer types that are linear whatever their settings (at inference; batch norm and dropout included). */
    static final Set<String> LINEAR_TYPES = Set.of("batch-norm", "dropout", "avg-pool", "reshape", "flatten", "zero-padding", "cropping",
            "add", "concat", "subtract", "average", "scale", "shift");
    /** Weight layers: linear exactly when their activation is. */
    static final Set<String> WEIGHT_TYPES = Set.of("dense", "conv2d", "conv1d", "separable-conv2d", "depthwise-conv2d", "deconv2d");
    static final Set<String> LINEAR_ACTIVATIONS = Set.of("identity", "linear");

    public NoNonlinearityRule(RuleSettings s) { super(METADATA, s); }

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        List<LayerInfo> hidden = hidden(e.modified());
        if (hidden.stream().noneMatch(l -> WEIGHT_TYPES.contains(l.type()))) return List.of(result(true, null, null, null, NO_HIDDEN));
        for (LayerInfo l : hidden) {
            String what = nonlinearity(l);
            if (what != null) return List.of(result(true, null, null, l.name(), NONLINEAR, Arg.text("layer", l.name()), Arg.text("what", what)));
        }
        List<String> names = hidden.stream().map(LayerInfo::name).toList();
        String shown = names.size() <= 6 ? String.join(", ", names) : String.join(", ", names.subList(0, 6)) + ", ...";
        RuleResult r = result(false, (double) hidden.size(), null, null, LINEAR, Arg.integer("count", hidden.size()), Arg.text("layers", shown));
        List<LayerInfo> before = hidden(e.original());
        boolean originalLinear = before.stream().anyMatch(l -> WEIGHT_TYPES.contains(l.type())) && before.stream().allMatch(l -> nonlinearity(l) == null);
        return List.of(originalLinear ? r.asPreExisting() : r);
    }

    /** Every layer but the output head. */
    private static List<LayerInfo> hidden(ModelReport m) {
        return m.layers().isEmpty() ? List.of() : m.layers().subList(0, m.layers().size() - 1);
    }

    /** What makes a layer nonlinear ("activation relu"), or null for a layer known to be linear. */
    static String nonlinearity(LayerInfo l) {
        if (LINEAR_TYPES.contains(l.type())) return null;
        if (WEIGHT_TYPES.contains(l.type()) || l.type().equals("activation")) {
            String act = l.attributes().get("activation");
            if (act != null && LINEAR_ACTIVATIONS.contains(act)) return null;
            return act == null ? "a layer of type " + l.type() + " (its activation is not known: counted as nonlinear)" : "activation " + act;
        }
        return "a " + l.type() + " layer";
    }
}
