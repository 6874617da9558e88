package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The shared logic of the width rules: for every layer of one family that both models have, the ratio of its width
 * (conv output channels, dense units) modified / original must stay within a limit. Optionally also judges an added
 * layer by its own output / input width, since a new layer is a change of width too.
 */
abstract class WidthRatioRule extends Rule {
    static final Template MATCHED = Template.of("{layer}: {what} {from} -> {to} ({measured}x, {bound} allowed {limit}x)",
            "layer", "what", "from", "to", "bound");
    static final Template ADDED = Template.of("{layer} (added): {what} {to} from {from} input {inputs} ({measured}x, {bound} allowed {limit}x)",
            "layer", "what", "to", "from", "inputs", "bound");
    static final Template REPEATED = Template.of("{layer} (added): {what} {to} from {from} input {inputs}, as the original's {like} has "
            + "{theirs} from {from} ({measured}x of it, {bound} allowed {limit}x)", "layer", "what", "to", "from", "inputs", "like", "theirs", "bound");
    static final Template NOTHING = Template.of("no {family} layer to compare", "family");

    private final boolean growth;
    private final String family;
    private final String what;

    WidthRatioRule(RuleMetadata metadata, RuleSettings settings, boolean growth, String family, String what) {
        super(metadata, settings);
        this.growth = growth;
        this.family = family;
        this.what = what;
    }

    private String limitName() { return growth ? "max-ratio" : "min-ratio"; }

    private boolean within(double r, double limit) { return growth ? r <= limit : r >= limit; }

    private record Candidate(String layer, double ratio, Template message, Arg... args) {}

    @Override
    public List<RuleResult> evaluate(Evidence e) {
        double limit = settings.get(limitName());
        Arg bound = Arg.text("bound", growth ? "max" : "min");
        List<Candidate> candidates = new ArrayList<>();
        for (LayerChange c : e.diff()) {
            if (c.original() != null && c.modified() != null) {
                Optional<LayerInfo> a = e.original().layer(c.original()), b = e.modified().layer(c.modified());
                if (a.isEmpty() || b.isEmpty() || !inFamily(a.get()) || !a.get().family().equals(b.get().family())) continue;
                if (a.get().width() == null || b.get().width() == null) continue;
                double r = (double) b.get().width() / a.get().width();
                candidates.add(new Candidate(c.modified(), r, MATCHED, Arg.text("layer", c.modified()), Arg.text("what", what),
                        Arg.integer("from", a.get().width()), Arg.integer("to", b.get().width()), bound));
            } else if (c.kind() == LayerChange.Kind.ADDED) {
                LayerInfo l = e.modified().layer(c.modified()).orElse(null);
                if (l == null || !inFamily(l) || l.width() == null || l.inWidth() == null || !comparableInput(e.modified(), l)) continue;
                // A new layer that repeats a transition the original already makes (one more ResNet bottleneck, one more
                // SqueezeNet fire module: the same input and output widths) widens nothing: judged against the original's
                // own layer, it is 1.0x. Any other new layer is judged by its output / input width.
                Optional<LayerInfo> like = e.original().layers().stream()
                        .filter(o -> inFamily(o) && o.family().equals(l.family()) && l.inWidth().equals(o.inWidth()) && l.width().equals(o.width()))
                        .findFirst();
                if (like.isPresent()) {
                    double r = (double) l.width() / like.get().width();
                    candidates.add(new Candidate(l.name(), r, REPEATED, Arg.text("layer", l.name()), Arg.text("what", what),
                            Arg.integer("to", l.width()), Arg.integer("from", l.inWidth()), Arg.text("inputs", family.equals("conv") ? "channels" : "units"),
                            Arg.text("like", like.get().name()), Arg.integer("theirs", like.get().width()), bound));
                    continue;
                }
                double r = (double) l.width() / l.inWidth();
                candidates.add(new Candidate(l.name(), r, ADDED, Arg.text("layer", l.name()), Arg.text("what", what),
                        Arg.integer("to", l.width()), Arg.integer("from", l.inWidth()),
                        Arg.text("inputs", family.equals("conv") ? "channels" : "units"), bound));
            }
        }
        List<RuleResult> out = new ArrayList<>();
        for (Candidate c : candidates) {
            if (!within(c.ratio, limit)) out.add(result(false, c.ratio, limit, c.layer, c.message, c.args));
        }
        if (!out.isEmpty()) return out;
        Optional<Candidate> extreme = candidates.stream()
                .max((x, y) -> growth ? Double.compare(x.ratio, y.ratio) : Double.compare(y.ratio, x.ratio));
        if (extreme.isEmpty()) return List.of(result(true, null, limit, null, NOTHING, Arg.text("family", family)));
        Candidate c = extreme.get();
        return List.of(result(true, c.ratio, limit, c.layer, c.message, c.args));
    }

    /** Units-bearing families for the dense rules (dense, embedding, recurrent); conv for the channel rules. */
    private static final java.util.Set<String> UNIT_FAMILIES = java.util.Set.of("dense", "embedding", "recurrent");

    private boolean inFamily(LayerInfo l) {
        return family.equals("dense") ? UNIT_FAMILIES.contains(l.family()) : l.family().equals(family);
    }

    /**
     * Whether an added layer's output / input width is a change of width: a conv is compared with the channels it
     * reads, unless it reads the raw input; a dense layer only with the units of a dense layer before it (after a
     * flatten, 1,600 values into 128 units is no shrink).
     */
    private boolean comparableInput(ModelReport model, LayerInfo l) {
        if (family.equals("conv")) return !fedByModelInput(model, l);
        if (l.inputs().size() != 1) return false;
        return model.layer(l.inputs().get(0)).map(this::inFamily).orElse(false);
    }

    /**
     * A layer reading the raw input (directly or through a reshape) turns pixels into features: its width ratio
     * to the 1 or 3 image channels says nothing about growth.
     */
    static boolean fedByModelInput(ModelReport model, LayerInfo layer) {
        LayerInfo l = layer;
        while (l.inputs().size() == 1) {
            Optional<LayerInfo> src = model.layer(l.inputs().get(0));
            if (src.isEmpty()) return true;
            if (!src.get().type().equals("reshape")) return false;
            l = src.get();
        }
        return false;
    }
}
