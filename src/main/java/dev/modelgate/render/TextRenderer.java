package dev.modelgate.render;

import dev.modelgate.report.CheckReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;

import java.util.Comparator;
import java.util.List;

/** The default report: verdict first, then each rule's result with measured value and limit, then the layer diff. */
public final class TextRenderer implements Renderer {
    private static final List<Status> ORDER = List.of(Status.FAIL, Status.ERROR, Status.WARN, Status.PASS, Status.SKIP);
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
                .sorted(Comparator.comparingInt((RuleResult x) -> ORDER.indexOf(x.status())))
                .forEach(x -> rules.add(status(x.status()), x.rule(), Numbers.value(x.measured()), Numbers.value(x.threshold()), x.message()));
        sb.append(rules.render("  ")).append('\n');

        sb.append(style.bold("Layers")).append(" (original -> modified)\n");
        Table layers = new Table("change", "layer", "type", "output", "params", "MACs", "what changed");
        for (LayerChange c : r.diff()) {
            LayerInfo a = c.original() == null ? null : r.original().layer(c.original()).orElse(null);
            LayerInfo b = c.modified() == null ? null : r.modified().layer(c.modified()).orElse(null);
            layers.add(change(c.kind()), c.name(), c.type(),
                    pair(a == null ? null : a.outputShape(), b == null ? null : b.outputShape()),
                    pair(a == null ? null : Numbers.count(a.params()), b == null ? null : Numbers.count(b.params())),
                    pair(a == null ? null : Numbers.compact(a.macs()), b == null ? null : Numbers.compact(b.macs())),
                    String.join("; ", c.details()));
        }
        layers.add("total", "", "", "", pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams())),
                pair(Numbers.compact(r.original().totalMacs()), Numbers.compact(r.modified().totalMacs())), "");
        sb.append(layers.render("  "));
        sb.append('\n').append(style.dim("environment: backend " + r.environment().backend() + ", threads " + r.environment().threads()
                + ", java " + r.environment().java() + ", modelgate " + r.environment().modelgate())).append('\n');
        return sb.toString();
    }

    @Override
    public String renderModel(ModelReport m) {
        StringBuilder sb = new StringBuilder();
        sb.append(style.bold(m.name())).append("  ").append(m.source()).append(" (").append(formatLabel(m.format())).append(")\n");
        sb.append("input ").append(m.inputShape()).append(", ").append(Numbers.count(m.totalParams())).append(" parameters, ")
                .append(Numbers.compact(m.totalMacs())).append(" MACs per example\n\n");
        Table t = new Table("layer", "type", "inputs", "input shape", "output shape", "params", "MACs", "settings");
        for (LayerInfo l : m.layers()) {
            t.add(l.name(), l.type(), String.join(",", l.inputs()), String.join(" + ", l.inputShapes()), l.outputShape(),
                    Numbers.count(l.params()), Numbers.compact(l.macs()), l.summary());
        }
        t.add("total", "", "", "", "", Numbers.count(m.totalParams()), Numbers.compact(m.totalMacs()), "");
        sb.append(t.render("  "));
        if (m.smoke() != null) {
            sb.append("\nran once on a synthetic batch of ").append(m.smoke().batchSize()).append(": loss ")
                    .append(Numbers.value(m.smoke().loss())).append(", DL4J counts ").append(Numbers.count(m.smoke().parameters())).append(" parameters\n");
        }
        return sb.toString();
    }

    private String verdictLine(CheckReport r) {
        String v = switch (r.verdict()) {
            case PASS -> style.green("PASS");
            case FAIL -> style.red("FAIL");
            case ERROR -> style.red("ERROR");
        };
        long fails = r.count(Status.FAIL), warns = r.count(Status.WARN), passes = r.count(Status.PASS), skips = r.count(Status.SKIP);
        String counts = fails + " failed, " + warns + " warning" + (warns == 1 ? "" : "s") + ", " + passes + " passed, " + skips + " skipped";
        String mode = r.mode().equals("static") ? "structure only (--static)" : "models built and run once";
        return style.bold("modelgate check: ") + v + "  " + counts + (r.verdict() == Verdict.PASS ? "" : "") + "  [" + mode + "]";
    }

    private String modelLine(String role, ModelReport m) {
        return String.format("  %-9s %s  (%s, input %s, %s params, %s MACs)%n", role, m.source(), formatLabel(m.format()), m.inputShape(),
                Numbers.count(m.totalParams()), Numbers.compact(m.totalMacs()));
    }

    private static String formatLabel(String id) {
        return switch (id) {
            case "modelgate-spec" -> "modelgate spec";
            case "dl4j-multilayer" -> "DL4J MultiLayerConfiguration";
            case "dl4j-graph" -> "DL4J ComputationGraphConfiguration";
            default -> id;
        };
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

    private static String pair(String a, String b) {
        if (a == null) return b;
        if (b == null) return a;
        return a.equals(b) ? a : a + " -> " + b;
    }
}
