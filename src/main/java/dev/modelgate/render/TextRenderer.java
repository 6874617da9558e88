package dev.modelgate.render;

import dev.modelgate.report.Environment;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * The default report: verdict first, then each rule's result with measured value and limit, then timing, the layer
 * diff and the per-layer health of both models. Lays out a {@link CheckView}; computes nothing.
 */
public final class TextRenderer extends ViewRenderer {
    private final Style style;

    public TextRenderer(Style style) {
        this.style = style;
    }

    @Override public String format() { return "text"; }

    @Override
    String render(CheckView r) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("modelgate check: ")).append(verdict(r.verdict())).append("  ").append(r.counts().text())
                .append("  [").append(r.modeLabel()).append("]\n");
        if (r.primaryHeadline() != null) sb.append("  against ").append(r.primaryHeadline()).append('\n');
        for (CheckView.ComparisonView c : r.comparisons()) sb.append("  and ").append(c.headline()).append('\n');
        sb.append('\n');
        sb.append(modelLine(r.original())).append(modelLine(r.modified())).append('\n');

        sb.append(style.bold("Rules")).append('\n');
        sb.append(rulesTable(r.rules())).append('\n');
        if (r.ratios() != null) sb.append(comparisons(r)).append('\n');

        if (r.timing() != null) sb.append(timing(r.timing())).append('\n');

        sb.append(style.bold("Layers")).append(" (original -> modified)\n");
        boolean memory = r.layerMemory();
        Table layers = memory ? new Table("change", "layer", "type", "output", "params", "MACs", "param mem", "act mem", "what changed")
                : new Table("change", "layer", "type", "output", "params", "MACs", "what changed");
        for (CheckView.LayerRow l : r.layers()) {
            if (memory) layers.add(change(l.kind(), l.change()), l.layer(), l.type(), l.output(), l.params(), l.macs(), l.paramMemory(), l.activationMemory(), l.details());
            else layers.add(change(l.kind(), l.change()), l.layer(), l.type(), l.output(), l.params(), l.macs(), l.details());
        }
        if (memory) layers.add("total", "", "", "", r.totalParams(), r.totalMacs(), "", "", "");
        else layers.add("total", "", "", "", r.totalParams(), r.totalMacs(), "");
        sb.append(layers.render("  "));

        if (r.health() != null) sb.append('\n').append(health(r.health()));
        if (r.evaluation() != null) sb.append('\n').append(evaluation(r.evaluation()));
        environment(sb, r.environment());
        sb.append(style.dim("time: " + r.phasesText())).append('\n');
        return sb.toString();
    }

    @Override public boolean rendersModels() { return true; }

    @Override
    String render(AuditView a) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("modelgate audit: ")).append(verdict(a.verdict())).append("  ").append(a.configsText()).append(" in ")
                .append(a.folder()).append(": ").append(a.countsText()).append("\n\n");
        Table t = new Table("verdict", "config", "baseline", "failed", "warnings", "details");
        for (AuditView.Entry e : a.entries()) {
            t.add(verdict(e.verdict()), e.config(), e.baseline(), e.failedRules(), e.warnedRules(), e.detail());
        }
        sb.append(t.render("  "));
        environment(sb, a.environment());
        return sb.toString();
    }

    @Override
    public String renderModel(ModelReport model, Environment environment) {
        ModelView v = ModelView.of(model, environment);
        CheckView.ModelLine m = v.model();
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold(m.name())).append("  ").append(m.source()).append(" (").append(m.format()).append(")\n");
        sb.append("input ").append(m.input()).append(", ").append(m.params()).append(" parameters, ").append(m.macs()).append(" MACs per example\n");
        for (String note : m.notes()) sb.append(style.dim("note: " + note)).append('\n');
        sb.append('\n');
        Table t = new Table("layer", "type", "inputs", "input shape", "output shape", "params", "MACs", "settings");
        for (ModelView.Layer l : v.layers()) t.add(l.name(), l.type(), l.inputs(), l.inputShapes(), l.output(), l.params(), l.macs(), l.settings());
        t.add("total", "", "", "", "", m.params(), m.macs(), "");
        sb.append(t.render("  "));
        ModelView.Health h = v.health();
        if (h != null) {
            sb.append('\n').append(style.bold("Health")).append(" (").append(h.iterations()).append(" training iterations, batch ")
                    .append(h.batch()).append(", gradients per example; loss ").append(h.loss()).append(")\n");
            Table ht = new Table("layer", "activations at init", "after training", "zeros", "saturated", "peak grad L2", "median weight grad L2", "NaN/Inf");
            for (ModelView.HealthRow x : h.rows()) ht.add(x.layer(), x.initial(), x.trained(), x.zeros(), x.saturated(), x.peak(), x.median(), x.nonFinite());
            sb.append(ht.render("  "));
            sb.append("\nDL4J counts ").append(h.dl4jParams()).append(" parameters");
            if (h.nonFiniteParams() != null) sb.append("; ").append(h.nonFiniteParams()).append(" are NaN/Inf after training");
            sb.append('\n');
        }
        if (v.environment() != null) environment(sb, v.environment());
        return sb.toString();
    }

    /** Rule rows as the report's table: status, rule, measured, limit, details (pre-existing marked). */
    private String rulesTable(List<CheckView.RuleRow> rows) {
        Table t = new Table("status", "rule", "measured", "limit", "details");
        for (CheckView.RuleRow x : rows) {
            t.add(status(x.status()), x.rule(), x.measured(), x.limit(),
                    x.message() + (x.preExisting() ? style.dim(" (" + CheckView.RuleRow.PRE_EXISTING + ")") : ""));
        }
        return t.render("  ");
    }

    /** The ratios of every comparison side by side, then each further comparison's failures and warnings. */
    private String comparisons(CheckView r) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Ratios")).append(" (modified / each baseline; the first is the primary comparison)\n");
        List<String> head = new ArrayList<>(List.of("rule"));
        head.addAll(r.ratios().baselines());
        Table ratios = new Table(head.toArray(String[]::new));
        for (CheckView.RatioRow row : r.ratios().rows()) {
            List<String> cells = new ArrayList<>(List.of(row.rule()));
            for (int i = 0; i < row.cells().size(); i++) {
                Status s = row.statuses().get(i);
                cells.add(s == null ? row.cells().get(i) : colour(s, row.cells().get(i)));
            }
            ratios.add(cells.toArray(String[]::new));
        }
        sb.append(ratios.render("  "));
        for (CheckView.ComparisonView c : r.comparisons()) {
            sb.append('\n').append(style.bold("Compared " + c.id())).append(" (").append(c.source()).append("): ")
                    .append(verdict(c.verdict())).append("  ").append(c.counts().text()).append('\n');
            if (c.notPassing().isEmpty()) {
                sb.append("  no failures or warnings\n");
            } else {
                sb.append(rulesTable(c.notPassing()));
            }
            if (c.timing() != null) sb.append(timing(c.timing()));
        }
        return sb.toString();
    }

    private String timing(CheckView.TimingView t) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Timing")).append(" (OMP_NUM_THREADS=").append(t.threads())
                .append("; interleaved ABBA pairs; ratio = median over blocks of faster call / faster call, " + TimingReport.INTERVAL + " by bootstrap)\n");
        Table table = new Table("operation", "batch", "original ms (IQR)", "modified ms (IQR)", "ratio", TimingReport.INTERVAL, "pairs", "warm-up calls", "");
        for (CheckView.TimingRow m : t.rows()) {
            table.add(m.operation(), m.batch(), m.original(), m.modified(), m.ratio(), m.ci(), m.pairs(), m.warmup(),
                    m.borderline() ? style.yellow("borderline") : "");
        }
        sb.append(table.render("  "));
        if (t.layers() != null) sb.append(layerTimes(t.layers()));
        return sb.toString();
    }

    private String layerTimes(CheckView.LayerTimesView l) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Time per layer")).append(" (ms, the fastest of the passes; most added training time first; training: ").append(l.trainingPass())
                .append("; inference: ").append(l.inferencePass()).append(")\n");
        Table table = new Table("layer", "change", "training original", "modified", "ratio", "share of added", "inference");
        for (CheckView.LayerTimeRow x : l.rows()) table.add(x.layer(), x.change(), x.original(), x.modified(), x.ratio(), x.share(), x.inference());
        sb.append(table.render("  "));
        if (l.more() != null) sb.append(style.dim("  " + l.more())).append('\n');
        sb.append(style.dim("  training: " + l.training())).append('\n');
        sb.append(style.dim("  inference: " + l.inference() + "; the per-layer passes took " + l.elapsed())).append('\n');
        return sb.toString();
    }

    private String health(CheckView.HealthView h) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Health")).append(" (original -> modified; ").append(h.iterations()).append(" training iterations, batch ")
                .append(h.batch()).append("; gradients per example)\n");
        sb.append("  loss: original ").append(h.lossOriginal()).append("; modified ").append(h.lossModified()).append('\n');
        Table t = new Table("layer", "activations at init", "after training", "zeros", "peak grad L2", "median weight grad L2");
        for (CheckView.HealthRow x : h.rows()) t.add(x.layer(), x.initial(), x.trained(), x.zeros(), x.peak(), x.median());
        sb.append(t.render("  "));
        if (h.gradientNote() != null) sb.append(style.dim("  " + h.gradientNote())).append('\n');
        return sb.toString();
    }

    private String evaluation(CheckView.EvaluationView e) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold("Held-out evaluation")).append(" (original -> modified; ").append(e.summary()).append(")\n");
        if (e.note() != null) sb.append(style.dim("  " + e.note())).append('\n');
        if (e.rows().isEmpty()) return sb.toString();
        boolean regression = !e.rows().get(0).mae().isEmpty();
        Table t = regression ? new Table("seed", e.metric(), "MAE", "loss", "epochs") : new Table("seed", e.metric(), "loss", "epochs");
        for (CheckView.EvaluationRow x : e.rows()) {
            if (regression) t.add(x.seed(), x.metric(), x.mae(), x.loss(), x.epochs());
            else t.add(x.seed(), x.metric(), x.loss(), x.epochs());
        }
        return sb.append(t.render("  ")).toString();
    }

    private String modelLine(CheckView.ModelLine m) {
        StringBuilder sb = new StringBuilder(String.format("  %-9s %s  (%s, input %s, %s params, %s MACs)%n", m.role(), m.source(),
                m.format(), m.input(), m.params(), m.macs()));
        for (String note : m.notes()) sb.append(String.format("  %-9s %s%n", "", style.dim("note: " + note)));
        return sb.toString();
    }

    private String verdict(Verdict v) {
        return v == Verdict.PASS ? style.green(v.name()) : style.red(v.name());
    }

    private String status(Status s) {
        return colour(s, s.name());
    }

    private String colour(Status s, String text) {
        return switch (s) {
            case FAIL, ERROR -> style.red(text);
            case WARN -> style.yellow(text);
            case PASS -> style.green(text);
            case SKIP -> style.dim(text);
        };
    }

    private String change(LayerChange.Kind k, String label) {
        return switch (k) {
            case UNCHANGED -> style.dim(label);
            case CHANGED -> style.yellow(label);
            case ADDED -> style.green(label);
            case REMOVED -> style.red(label);
        };
    }

    private void environment(StringBuilder sb, CheckView.EnvironmentView e) {
        sb.append('\n').append(style.dim("environment: " + e.line())).append('\n');
        if (e.librariesLine() != null) sb.append(style.dim(e.librariesLine())).append('\n');
    }
}
