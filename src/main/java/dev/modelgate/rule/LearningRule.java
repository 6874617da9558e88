package dev.modelgate.rule;

import dev.modelgate.report.HealthReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * Whether the modified model still learns: both models train on one fixed small batch (the health probe's), and a
 * model that can learn memorizes it, so its loss falls. The modified model's relative loss reduction is judged
 * against the original's: a change that stops a model from learning (an output that cannot express its labels, a
 * saturated network, a vanished signal) leaves its loss flat or rising while the original's falls.
 */
public final class LearningRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("learning",
            "relative loss reduction of the modified model on one fixed batch over the training iterations, against the original's",
            "Interview: after a modification, verify that the model's performance has not significantly decreased; a model "
                    + "that can learn memorizes a small fixed batch, so a loss that no longer falls is a model that no longer learns.",
            Severity.ERROR, List.of(
                    Property.ratioBelowOne("min-ratio", 0.1, "smallest allowed modified reduction as a fraction of the original's"),
                    Property.ratioBelowOne("min-original-reduction", 0.05, "reduction the original must reach for a comparison "
                            + "(below it the rule does not judge, unless the original's loss is flat or rising: then a modified model "
                            + "that does not learn either is marked pre-existing)")), true);

    static final Template COMPARED = Template.of("loss {from} -> {to} over {iterations} iterations on one batch (reduction {measured}); "
            + "the original's {ofrom} -> {oto} ({original}); at least {limit} required ({ratio} of the original's)",
            "from", "to", "iterations", "ofrom", "oto", "original", "ratio");
    static final Template RISES = Template.of("loss rises {from} -> {to} over {iterations} iterations on one batch (reduction {measured}); "
            + "the original's falls {ofrom} -> {oto} ({original})", "from", "to", "iterations", "ofrom", "oto", "original");
    static final Template FLAT = Template.of("loss stays at {from} over {iterations} iterations on one batch: nothing the optimizer does changes it "
            + "(an output that cannot express its labels, such as one softmax unit, or no gradient reaching the weights)", "from", "iterations");
    static final Template NEITHER = Template.of("loss {from} -> {to} over {iterations} iterations on one batch (reduction {measured}); "
            + "the original's {ofrom} -> {oto} ({original}) does not fall either: neither model learns (at least {limit} required)",
            "from", "to", "iterations", "ofrom", "oto", "original");
    static final Template ONLY_MODIFIED = Template.of("loss {from} -> {to} over {iterations} iterations on one batch (reduction {measured}); "
            + "the original's {ofrom} -> {oto} ({original}) does not fall: the modified model learns (at least {limit}) where the original did not",
            "from", "to", "iterations", "ofrom", "oto", "original");
    static final Template SLOW = Template.of("not judged: the original's loss fell by only {original} over {iterations} iterations on one batch "
            + "(at least {needed} to compare with; more --iterations give it more time)", "original", "iterations", "needed");
    static final Template NON_FINITE = Template.of("not judged: a loss is NaN or Inf (the non-finite rule reports it)");
    static final Template TOO_FEW = Template.of("not judged: {iterations} training iterations are too few to see a trend (at least 2)", "iterations");

    public LearningRule(RuleSettings s) { super(METADATA, s); }

    @Override public boolean judgesOneModel() { return false; }

    @Override
    protected boolean measured(Evidence e) {
        return e.modified().health() != null && e.original().health() != null;
    }

    /** First loss, the mean of the last (up to) three, and the reduction 1 - last / first. */
    record Curve(double first, double last, double reduction, boolean flat, boolean finite) {
        static Curve of(List<Double> losses) {
            boolean finite = losses.stream().allMatch(l -> !Double.isNaN(l) && !Double.isInfinite(l));
            double first = losses.get(0);
            int tail = Math.min(3, losses.size() - 1);
            double last = losses.subList(losses.size() - tail, losses.size()).stream().mapToDouble(Double::doubleValue).average().orElse(first);
            double max = losses.stream().mapToDouble(Double::doubleValue).max().orElse(first);
            double min = losses.stream().mapToDouble(Double::doubleValue).min().orElse(first);
            // Flat: no step moved the loss by more than float noise (1e-6 of its size, or 1e-7 absolute around 0).
            boolean flat = max - min <= Math.max(1e-7, 1e-6 * Math.abs(first));
            double reduction = first == 0 ? 0 : 1 - last / first;
            return new Curve(first, last, reduction, flat, finite);
        }
    }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        HealthReport m = e.modified().health(), o = e.original().health();
        if (m.losses().size() < 2) {
            return List.of(RuleResult.skip(id(), settings.severity(), TOO_FEW.fill(null, null, Arg.integer("iterations", m.losses().size()))));
        }
        Curve cm = Curve.of(m.losses()), co = Curve.of(o.losses());
        if (!cm.finite() || !co.finite()) return List.of(RuleResult.skip(id(), settings.severity(), NON_FINITE.fill(null, null)));
        Arg iterations = Arg.integer("iterations", m.losses().size());
        double minOriginal = settings.get("min-original-reduction"), minRatio = settings.get("min-ratio");
        if (cm.flat()) {
            RuleResult r = result(false, 0.0, null, null, FLAT, Arg.value("from", cm.first()), iterations);
            return List.of(co.flat() || co.reduction() < minOriginal ? r.asPreExisting() : r);
        }
        Arg[] curves = {Arg.value("from", cm.first()), Arg.value("to", cm.last()), iterations, Arg.value("ofrom", co.first()),
                Arg.value("oto", co.last()), Arg.value("original", co.reduction())};
        if (co.flat() || co.reduction() <= 0) {
            // The original cannot learn at all: the modified model either does, or shares the defect.
            if (cm.reduction() >= minOriginal) return List.of(result(true, cm.reduction(), minOriginal, null, ONLY_MODIFIED, curves));
            return List.of(result(false, cm.reduction(), minOriginal, null, NEITHER, curves).asPreExisting());
        }
        if (cm.reduction() < 0) return List.of(result(false, cm.reduction(), 0.0, null, RISES, curves));
        if (co.reduction() < minOriginal) {
            // The original learns, but too little in these iterations for a ratio to mean anything.
            return List.of(RuleResult.skip(id(), settings.severity(), SLOW.fill(null, null, Arg.value("original", co.reduction()),
                    iterations, Arg.value("needed", minOriginal))));
        }
        double limit = minRatio * co.reduction();
        return List.of(result(cm.reduction() >= limit, cm.reduction(), limit, null, COMPARED, with(curves, Arg.value("ratio", minRatio))));
    }
}
