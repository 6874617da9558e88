package dev.modelgate.rule;

import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Whether the output layer can learn its task at all, read from the structure (no run): the mistakes people post
 * about when a model "trains" but never learns. A softmax over one unit outputs 1 whatever its input, so its loss and
 * every gradient are 0; cross-entropy over values that are not probabilities (identity, ReLU, tanh) takes the log of
 * zero or negative numbers. Judged on the modified model; a mistake the original makes too is pre-existing.
 */
public final class OutputLossRule extends Rule {
    public static final RuleMetadata METADATA = new RuleMetadata("output-loss",
            "whether the modified model's output activation and loss fit each other (structure only)",
            "Interview: confirm after a change that the model's key performance is intact; an output that cannot express its "
                    + "labels, or a loss that does not fit the output, makes a model that runs but never learns.",
            Severity.ERROR, List.of(), false);

    static final Template SINGLE_SOFTMAX = Template.of("{layer}: softmax over one unit is 1 whatever its input, so the loss and every gradient "
            + "are 0 and the model cannot learn; for two classes use two softmax units, or one sigmoid unit with xent", "layer");
    static final Template CROSS_ENTROPY_ON_VALUES = Template.of("{layer}: loss {loss} needs probabilities, but the output activation is "
            + "{activation} (values that are not in (0, 1) or do not sum to 1: the log of them is NaN or -Inf); use {fix}",
            "layer", "loss", "activation", "fix");
    static final Template BINARY_ON_SOFTMAX = Template.of("{layer}: loss {loss} (binary cross-entropy, one yes/no per unit) over a softmax of "
            + "{classes} units (a distribution summing to 1): multi-label targets cannot be fitted, and single-label ones train "
            + "on a loss that is not theirs; use softmax with mcxent for one class per example, or sigmoid with xent for several",
            "layer", "loss", "classes");
    static final Template FITS = Template.of("{layer}: {activation} output with loss {loss}", "layer", "activation", "loss");
    static final Template NO_HEAD = Template.of("no output layer with a loss to judge");

    /** Losses that take the log of the output: they need probabilities. */
    static final Set<String> CROSS_ENTROPY = Set.of("mcxent", "negativeloglikelihood", "nll", "cross-entropy", "xent", "binary-cross-entropy");
    /** Activations whose outputs are probabilities (or, for a multi-class loss, a distribution). */
    static final Set<String> PROBABILITIES = Set.of("softmax", "sigmoid", "hardsigmoid");

    public OutputLossRule(RuleSettings s) { super(METADATA, s); }

    /** One mistake of one model's head: what it is (for matching the original's) and its result. */
    private record Finding(String kind, RuleResult result) {}

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        Head m = Head.of(e.modified());
        if (m == null) return List.of(result(true, null, null, null, NO_HEAD));
        List<Finding> found = findings(m);
        if (found.isEmpty()) {
            return List.of(result(true, null, null, m.layer(), FITS, Arg.text("layer", m.layer()), Arg.text("activation", m.activation()),
                    Arg.text("loss", m.loss())));
        }
        Head o = Head.of(e.original());
        Set<String> before = new java.util.HashSet<>();
        if (o != null) findings(o).forEach(f -> before.add(f.kind()));
        List<RuleResult> out = new ArrayList<>();
        for (Finding f : found) out.add(before.contains(f.kind()) ? f.result().asPreExisting() : f.result());
        return out;
    }

    private List<Finding> findings(Head h) {
        List<Finding> out = new ArrayList<>();
        if (h.activation().equals("softmax") && h.classes() == 1) {
            out.add(new Finding("single-softmax", result(false, 1.0, null, h.layer(), SINGLE_SOFTMAX, Arg.text("layer", h.layer()))));
        }
        if (CROSS_ENTROPY.contains(h.loss()) && !PROBABILITIES.contains(h.activation())) {
            boolean binary = h.loss().equals("xent") || h.loss().equals("binary-cross-entropy");
            String fix = binary ? "a sigmoid output with xent" : "a softmax output with mcxent";
            out.add(new Finding("cross-entropy-on-values", result(false, null, null, h.layer(), CROSS_ENTROPY_ON_VALUES, Arg.text("layer", h.layer()),
                    Arg.text("loss", h.loss()), Arg.text("activation", h.activation()), Arg.text("fix", fix))));
        }
        if (h.activation().equals("softmax") && h.classes() > 1 && (h.loss().equals("xent") || h.loss().equals("binary-cross-entropy"))) {
            // It trains (the Keras "binary_crossentropy with softmax" questions report a fine-looking accuracy), so a
            // warning whatever the rule's severity: the model is not broken, its objective is the wrong one.
            RuleResult r = result(false, null, null, h.layer(), BINARY_ON_SOFTMAX, Arg.text("layer", h.layer()), Arg.text("loss", h.loss()),
                    Arg.integer("classes", h.classes()));
            out.add(new Finding("binary-on-softmax", new RuleResult(r.rule(), Status.WARN, r.severity(), r.measured(), r.threshold(), r.layer(), r.message())));
        }
        return out;
    }

    /**
     * The head as it computes: its loss, the activation its loss sees (a loss layer without its own activation reads
     * the activation of the layer before it, as DL4J's zoo SqueezeNet does: softmax, then LossLayer), and the size
     * of the axis the activation normalizes (units, or channels of an image-shaped head).
     */
    record Head(String layer, String activation, String loss, long classes) {
        static Head of(ModelReport m) {
            if (m == null || m.layers().isEmpty()) return null;
            LayerInfo out = m.layers().get(m.layers().size() - 1);
            String loss = out.attributes().get("loss");
            if (loss == null) return null;
            String activation = out.attributes().getOrDefault("activation", "identity");
            if (activation.equals("identity") && out.params() == 0 && out.inputs().size() == 1) {
                // A loss layer (no weights) passes on what it reads: the activation before it is the output's.
                LayerInfo before = m.layers().stream().filter(l -> l.name().equals(out.inputs().get(0))).findFirst().orElse(null);
                if (before != null && before.attributes().get("activation") != null) activation = before.attributes().get("activation");
            }
            String shape = out.outputShape();
            long classes;
            try {
                classes = Long.parseLong(shape.replace("(seq)", "").split("x")[0].trim());
            } catch (NumberFormatException ex) {
                classes = -1;
            }
            return new Head(out.name(), activation, loss, classes);
        }
    }
}
