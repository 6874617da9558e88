package dev.modelgate.render;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;

import java.util.List;
import java.util.function.Function;

/**
 * The default report: verdict first, then each rule's result with measured value and limit, then timing, the layer
 * diff and the per-layer health of both models.
 */
public final class TextRenderer implements Renderer {
    private final Style style;

    public TextRenderer(Style style) {
        this.style = style;
    }

    @Override public String format() { return "text"; }

    @Override
    public String render(CheckReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append(verdictLine(r)).append("\n\n");
        sb.append(modelLine("original", r.original())).append(modelLine("modified", r.modified())).append('\n');

        sb.append(style.bold("Rules")).append('\n');
        Table rules = new Table("status", "rule", "measured", "limit", "details");
        r.results().stream()
                .sorted(Labels.WORST_FIRST)
                .forEach(x -> rules.add(status(x.status()), x.rule(), Numbers.value(x.measured()), Numbers.value(x.threshold()),
                        x.message() + (x.preExisting() ? style.dim(" (pre-existing: the original has it too)") : "")));
        sb.append(rules.render("  ")).append('\n');

        if (r.timing() != null) sb.append(timing(r.timing())).append('\n');

        sb.append(style.bold("Layers")).append(" (original -> modified)\n");
        Table layers = new Table("change", "layer", "type", "output", "params", "MACs", "what changed");
        for (LayerChange c : r.diff()) {
            LayerInfo a = c.original() == null ? null : r.original().layer(c.original()).orElse(null);
            LayerInfo b = c.modified() == null ? null : r.modified().layer(c.modified()).orElse(null);
            layers.add(change(c.kind()), c.name(), c.type(),
                    pair(a, b, LayerInfo::outputShape),
                    pair(a, b, l -> Numbers.count(l.params())),
                    pair(a, b, l -> Numbers.compact(l.macs())),
                    String.join("; ", c.details()));
        }
        layers.add("total", "", "", "", Numbers.pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams())),
                Numbers.pair(Numbers.compact(r.original().totalMacs()), Numbers.compact(r.modified().totalMacs())), "");
        sb.append(layers.render("  "));

        if (r.original().health() != null && r.modified().health() != null) {
            sb.append('\n').append(health(r));
        }
        environment(sb, r.environment());
        StringBuilder phases = new StringBuilder();
        r.phases().forEach((k, v) -> phases.append(phases.length() == 0 ? "" : ", ").append(k).append(' ').append(Numbers.seconds(v)));
        sb.append(style.dim("time: " + phases)).append('\n');
        return sb.toString();
    }

    @Override public boolean rendersModels() { return true; }

    @Override
    public String renderAudit(AuditReport a) {
        StringBuilder sb = new StringBuilder();
        String v = switch (a.verdict()) {
            case PASS -> style.green("PASS");
            case FAIL -> style.red("FAIL");
            case ERROR -> style.red("ERROR");
        };
        sb.append(style.bold("modelgate audit: ")).append(v).append("  ").append(a.checks().size()).append(" configs in ").append(a.folder())
                .append(": ").append(a.count(Verdict.FAIL)).append(" failed, ").append(a.count(Verdict.ERROR)).append(" errors, ")
                .append(a.count(Verdict.PASS)).append(" passed\n\n");
        Table t = new Table("verdict", "config", "baseline", "failed", "warnings", "details");
        for (AuditEntry e : a.checks()) {
            String verdict = switch (e.verdict()) {
                case PASS -> style.green("PASS");
                case FAIL -> style.red("FAIL");
                case ERROR -> style.red("ERROR");
            };
            if (e.report() == null) {
                t.add(verdict, e.config(), e.baseline() == null ? "-" : e.baseline(), "", "", e.error());
                continue;
            }
            CheckReport r = e.report();
            String failed = r.results().stream().filter(x -> x.status() == Status.FAIL).map(RuleResult::rule).distinct().reduce((x, y) -> x + ", " + y).orElse("-");
            String warned = r.results().stream().filter(x -> x.status() == Status.WARN).map(RuleResult::rule).distinct().reduce((x, y) -> x + ", " + y).orElse("-");
            String first = r.results().stream().filter(x -> x.status() == Status.FAIL).map(RuleResult::message).findFirst().orElse("");
            t.add(verdict, e.config(), e.baseline(), failed, warned, first);
        }
        sb.append(t.render("  "));
        environment(sb, a.environment());
        return sb.toString();
    }

    @Override
    public String renderModel(ModelReport m, Environment environment) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold(m.name())).append("  ").append(m.source()).append(" (").append(Labels.format(m.format())).append(")\n");
        sb.append("input ").append(m.inputShape()).append(", ").append(Numbers.count(m.totalParams())).append(" parameters, ")
                .append(Numbers.compact(m.totalMacs())).append(" MACs per example\n");
        for (String note : m.notes()) sb.append(style.dim("note: " + note)).append('\n');
        sb.append('\n');
        Table t = new Table("layer", "type", "inputs", "input shape", "output shape", "params", "MACs", "settings");
        for (LayerInfo l : m.layers()) {
            t.add(l.name(), l.type(), String.join(",", l.inputs()), String.join(" + ", l.inputShapes()), l.outputShape(),
                    Numbers.count(l.params()), Numbers.compact(l.macs()), l.summary());
        }
        t.add("total", "", "", "", "", Numbers.count(m.totalParams()), Numbers.compact(m.totalMacs()), "");
        sb.append(t.render("  "));
        HealthReport h = m.health();
        if (h != null) {
            sb.append('\n').append(style.bold("Health")).append(" (").append(h.iterations()).append(" training iterations, batch ")
                    .append(h.batchSize()).append(", gradients per example; ").append(lossLine(h)).append(")\n");
            Table ht = new Table("layer", "activations at init", "after training", "zeros", "saturated", "peak grad L2", "median weight grad L2", "NaN/Inf");
            for (LayerInfo l : m.layers()) {
                ActivationStats i = h.initial(l.name()).orElse(null), tr = h.trained(l.name()).orElse(null);
                LayerGradients g = h.gradients(l.name()).orElse(null);
                ht.add(l.name(), range(i), range(tr), tr == null ? "" : Numbers.percent(tr.zeroFraction()),
                        tr == null || tr.saturatedFraction() == null ? "" : Numbers.percent(tr.saturatedFraction()),
                        g == null ? "" : Numbers.sci(g.peakL2()), g == null ? "" : Numbers.medianWeightGradient(g),
                        nonFinite(i, tr, g));
            }
            sb.append(ht.render("  "));
            sb.append("\nDL4J counts ").append(Numbers.count(h.dl4jParams())).append(" parameters");
            if (h.nonFiniteParams() > 0) sb.append("; ").append(Numbers.count(h.nonFiniteParams())).append(" are NaN/Inf after training");
            sb.append('\n');
        }
        if (environment != null) environment(sb, environment);
        return sb.toString();
    }

    private String timing(TimingReport t) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Timing")).append(" (OMP_NUM_THREADS=").append(t.threads())
                .append("; interleaved ABBA pairs; ratio = median of per-pair ratios, 95% bootstrap CI)\n");
        Table table = new Table("operation", "batch", "original ms (IQR)", "modified ms (IQR)", "ratio", "95% CI", "pairs", "warm-up calls", "");
        for (TimingReport.Measurement m : List.of(t.training(), t.inference())) {
            table.add(m.operation(), Integer.toString(m.batchSize()), ms(m.original()), ms(m.modified()), Numbers.ratio(m.ratio()) + "x",
                    Numbers.ratio(m.ratioLow()) + "-" + Numbers.ratio(m.ratioHigh()) + "x", Integer.toString(m.pairs()),
                    Integer.toString(m.warmupCalls()), m.borderline() ? style.yellow("borderline") : "");
        }
        return sb.append(table.render("  ")).toString();
    }

    private String health(CheckReport r) {
        HealthReport ho = r.original().health(), hm = r.modified().health();
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Health")).append(" (original -> modified; ").append(hm.iterations()).append(" training iterations; gradients per example)\n");
        sb.append("  loss: original ").append(lossLine(ho)).append("; modified ").append(lossLine(hm)).append('\n');
        Table t = new Table("layer", "activations at init", "after training", "zeros", "peak grad L2", "median weight grad L2");
        for (LayerChange c : r.diff()) {
            String a = c.original(), b = c.modified();
            t.add(c.name(),
                    Numbers.pair(a == null ? null : range(ho.initial(a).orElse(null)), b == null ? null : range(hm.initial(b).orElse(null))),
                    Numbers.pair(a == null ? null : range(ho.trained(a).orElse(null)), b == null ? null : range(hm.trained(b).orElse(null))),
                    Numbers.pair(a == null ? null : ho.trained(a).map(s -> Numbers.percent(s.zeroFraction())).orElse(""),
                            b == null ? null : hm.trained(b).map(s -> Numbers.percent(s.zeroFraction())).orElse("")),
                    Numbers.pair(a == null ? null : ho.gradients(a).map(g -> Numbers.sci(g.peakL2())).orElse(""),
                            b == null ? null : hm.gradients(b).map(g -> Numbers.sci(g.peakL2())).orElse("")),
                    Numbers.pair(a == null ? null : ho.gradients(a).map(Numbers::medianWeightGradient).orElse(""),
                            b == null ? null : hm.gradients(b).map(Numbers::medianWeightGradient).orElse("")));
        }
        return sb.append(t.render("  ")).toString();
    }

    private static String lossLine(HealthReport h) {
        if (h.losses().isEmpty()) return "no loss";
        return "loss " + Numbers.sci(h.losses().get(0)) + " -> " + Numbers.sci(h.losses().get(h.losses().size() - 1));
    }

    private static String range(ActivationStats s) {
        if (s == null) return "";
        if (Double.isNaN(s.min())) return "no finite values";
        return "[" + Numbers.sci(s.min()) + ", " + Numbers.sci(s.max()) + "]";
    }

    private static String nonFinite(ActivationStats i, ActivationStats t, LayerGradients g) {
        long n = (i == null ? 0 : i.nan() + i.inf()) + (t == null ? 0 : t.nan() + t.inf()) + (g == null ? 0 : g.nonFinite());
        return n == 0 ? "" : Numbers.count(n);
    }

    private static String ms(TimingReport.Summary s) {
        return Numbers.sci(s.medianMs()) + " (" + Numbers.sci(s.q1Ms()) + "-" + Numbers.sci(s.q3Ms()) + ")";
    }

    private String verdictLine(CheckReport r) {
        String v = switch (r.verdict()) {
            case PASS -> style.green("PASS");
            case FAIL -> style.red("FAIL");
            case ERROR -> style.red("ERROR");
        };
        long fails = r.count(Status.FAIL), warns = r.count(Status.WARN), passes = r.count(Status.PASS), skips = r.count(Status.SKIP);
        String counts = fails + " failed, " + warns + " warning" + (warns == 1 ? "" : "s") + ", " + passes + " passed, " + skips + " skipped";
        String mode = r.mode().equals("static") ? "structure only (--static)"
                : r.timing() == null ? "models built and trained, not timed" : "models built, trained and timed";
        return style.bold("modelgate check: ") + v + "  " + counts + "  [" + mode + "]";
    }

    private String modelLine(String role, ModelReport m) {
        StringBuilder sb = new StringBuilder(String.format("  %-9s %s  (%s, input %s, %s params, %s MACs)%n", role, m.source(),
                Labels.format(m.format()), m.inputShape(), Numbers.count(m.totalParams()), Numbers.compact(m.totalMacs())));
        for (String note : m.notes()) sb.append(String.format("  %-9s %s%n", "", style.dim("note: " + note)));
        return sb.toString();
    }


    private String status(Status s) {
        return switch (s) {
            case FAIL, ERROR -> style.red(s.name());
            case WARN -> style.yellow(s.name());
            case PASS -> style.green(s.name());
            case SKIP -> style.dim(s.name());
        };
    }

    private String change(LayerChange.Kind k) {
        return switch (k) {
            case UNCHANGED -> style.dim("=");
            case CHANGED -> style.yellow("changed");
            case ADDED -> style.green("added");
            case REMOVED -> style.red("removed");
        };
    }

    private static String pair(LayerInfo a, LayerInfo b, Function<LayerInfo, String> f) {
        return Numbers.pair(a == null ? null : f.apply(a), b == null ? null : f.apply(b));
    }

    private void environment(StringBuilder sb, Environment e) {
        sb.append('\n').append(style.dim("environment: " + environmentLine(e))).append('\n');
        String libraries = librariesLine(e);
        if (libraries != null) sb.append(style.dim(libraries)).append('\n');
    }

    /** "backend cpu, device DEVICE, threads 1, java 17.0.2, modelgate 0.1.0" (no device in reports written before it was recorded). */
    static String environmentLine(Environment e) {
        return "backend " + e.backend() + (e.device() == null || e.device().isBlank() ? "" : ", device " + e.device()) + ", threads " + e.threads()
                + ", java " + e.java() + ", modelgate " + e.modelgate();
    }

    /** "libraries: deeplearning4j 1.0.0-M2.1, ...", or null when the report names none. */
    static String librariesLine(Environment e) {
        return e.libraries().isEmpty() ? null : "libraries: " + e.librariesText();
    }
}
