package dev.modelgate.render;

import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;

import java.util.List;
import java.util.function.Function;

/**
 * GitHub-flavoured Markdown for a pull-request comment: the verdict on the first line, the rules with failures and
 * warnings first, timing when the models were timed, and the layer diff folded away in a {@code <details>} block.
 * Every cell is escaped, so a layer name or message cannot break the table or inject HTML.
 */
public final class MarkdownRenderer implements Renderer {

    @Override public String format() { return "markdown"; }

    @Override
    public String render(CheckReport r) {
        StringBuilder sb = new StringBuilder();
        sb.append("**modelgate: ").append(r.verdict().name()).append("** - ").append(counts(r)).append("\n\n");
        sb.append(code(r.original().source())).append(" -> ").append(code(r.modified().source())).append(": ")
                .append(escape(mode(r))).append(", parameters ")
                .append(Numbers.pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams())))
                .append(", MACs per example ")
                .append(Numbers.pair(Numbers.compact(r.original().totalMacs()), Numbers.compact(r.modified().totalMacs()))).append("\n\n");
        for (ModelReport m : List.of(r.original(), r.modified())) {
            for (String note : m.notes()) sb.append("> **Note** (").append(code(m.source())).append("): ").append(escape(note)).append("\n\n");
        }
        sb.append(rules(r));

        if (r.timing() != null) sb.append('\n').append(timing(r.timing()));

        sb.append("\n<details><summary>Layer diff (original -> modified)</summary>\n\n");
        MdTable layers = new MdTable("change", "layer", "type", "output", "params:", "MACs:", "what changed");
        for (LayerChange c : r.diff()) {
            LayerInfo a = c.original() == null ? null : r.original().layer(c.original()).orElse(null);
            LayerInfo b = c.modified() == null ? null : r.modified().layer(c.modified()).orElse(null);
            layers.add(change(c.kind()), escape(c.name()), escape(c.type()),
                    escape(pair(a, b, LayerInfo::outputShape)),
                    escape(pair(a, b, l -> Numbers.count(l.params()))),
                    escape(pair(a, b, l -> Numbers.compact(l.macs()))),
                    escape(String.join("; ", c.details())));
        }
        layers.add("**total**", "", "", "",
                escape(Numbers.pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams()))),
                escape(Numbers.pair(Numbers.compact(r.original().totalMacs()), Numbers.compact(r.modified().totalMacs()))), "");
        sb.append(layers.render()).append("\n</details>\n\n");

        StringBuilder phases = new StringBuilder();
        r.phases().forEach((k, v) -> phases.append(phases.length() == 0 ? "" : ", ").append(k).append(' ').append(Numbers.seconds(v)));
        sb.append("<sub>").append(environment(r.environment()));
        if (phases.length() > 0) sb.append("; time: ").append(escape(phases.toString()));
        sb.append("</sub>\n");
        return sb.toString();
    }

    @Override
    public String renderAudit(AuditReport a) {
        StringBuilder sb = new StringBuilder();
        long errors = a.count(Verdict.ERROR);
        sb.append("**modelgate audit: ").append(a.verdict().name()).append("** - ").append(a.checks().size())
                .append(a.checks().size() == 1 ? " config" : " configs").append(" in ").append(code(a.folder())).append(": ")
                .append(a.count(Verdict.FAIL)).append(" failed, ").append(errors).append(errors == 1 ? " error, " : " errors, ")
                .append(a.count(Verdict.PASS)).append(" passed\n\n");

        MdTable summary = new MdTable("verdict", "config", "baseline", "failed rules", "warnings", "details");
        for (AuditEntry e : a.checks()) {
            CheckReport r = e.report();
            if (r == null) {
                summary.add(verdict(e.verdict()), escape(e.config()), escape(e.baseline() == null ? "-" : e.baseline()), "", "",
                        escape(e.error() == null ? "the check could not run" : e.error()));
                continue;
            }
            String first = r.results().stream().filter(x -> x.status() == Status.FAIL).map(RuleResult::message).findFirst().orElse("");
            summary.add(verdict(e.verdict()), escape(e.config()), escape(e.baseline() == null ? "-" : e.baseline()),
                    escape(ruleIds(r, Status.FAIL)), escape(ruleIds(r, Status.WARN)), escape(first));
        }
        sb.append(summary.render());

        for (AuditEntry e : a.checks()) {
            sb.append("\n<details><summary>").append(e.verdict().name()).append(": ").append(html(e.config()));
            if (e.report() != null) sb.append(" - ").append(html(counts(e.report())));
            sb.append("</summary>\n\n");
            if (e.report() == null) {
                sb.append("The check could not run: ").append(escape(e.error() == null ? "no reason given" : e.error())).append("\n\n");
                sb.append("Baseline: ").append(e.baseline() == null ? "none found" : code(e.baseline())).append('\n');
            } else {
                sb.append(code(e.baseline() == null ? "-" : e.baseline())).append(" -> ").append(code(e.config())).append(": ")
                        .append(escape(mode(e.report()))).append("\n\n");
                sb.append(rules(e.report()));
            }
            sb.append("\n</details>\n");
        }
        sb.append("\n<sub>").append(environment(a.environment())).append("</sub>\n");
        return sb.toString();
    }

    private static String rules(CheckReport r) {
        MdTable t = new MdTable("status", "rule", "measured:", "limit:", "details");
        r.results().stream()
                .sorted(Labels.WORST_FIRST)
                .forEach(x -> t.add(status(x.status()), escape(x.rule()), escape(Numbers.value(x.measured())),
                        escape(Numbers.value(x.threshold())), escape(x.message()) + (x.preExisting() ? " *(pre-existing)*" : "")));
        return t.render();
    }

    private static String timing(TimingReport t) {
        StringBuilder sb = new StringBuilder();
        sb.append("Timing (OMP_NUM_THREADS=").append(escape(t.threads()))
                .append("; interleaved pairs; ratio = median of per-pair ratios, 95% bootstrap CI)\n\n");
        MdTable table = new MdTable("operation", "batch:", "original ms (IQR):", "modified ms (IQR):", "ratio:", "95% CI:", "pairs:", "note");
        for (TimingReport.Measurement m : List.of(t.training(), t.inference())) {
            table.add(escape(m.operation()), Integer.toString(m.batchSize()), escape(ms(m.original())), escape(ms(m.modified())),
                    Numbers.ratio(m.ratio()) + "x", Numbers.ratio(m.ratioLow()) + "-" + Numbers.ratio(m.ratioHigh()) + "x",
                    Integer.toString(m.pairs()), m.borderline() ? "borderline: the interval still contains the limit" : "");
        }
        return sb.append(table.render()).toString();
    }

    private static String counts(CheckReport r) {
        long fails = r.count(Status.FAIL), errors = r.count(Status.ERROR), warns = r.count(Status.WARN);
        return fails + " failed, " + (errors > 0 ? errors + (errors == 1 ? " error, " : " errors, ") : "")
                + warns + " warning" + (warns == 1 ? "" : "s") + ", " + r.count(Status.PASS) + " passed, "
                + r.count(Status.SKIP) + " skipped";
    }

    private static String mode(CheckReport r) {
        return r.mode().equals("static") ? "structure only (--static)"
                : r.timing() == null ? "models built and trained, not timed" : "models built, trained and timed";
    }

    private static String ruleIds(CheckReport r, Status s) {
        return r.results().stream().filter(x -> x.status() == s).map(RuleResult::rule).distinct()
                .reduce((x, y) -> x + ", " + y).orElse("-");
    }

    private static String environment(Environment e) {
        String libraries = TextRenderer.librariesLine(e);
        return escape("environment: " + TextRenderer.environmentLine(e) + (libraries == null ? "" : "; " + libraries));
    }

    private static String status(Status s) {
        return s == Status.FAIL || s == Status.ERROR ? "**" + s.name() + "**" : s.name();
    }

    private static String verdict(Verdict v) {
        return v == Verdict.PASS ? v.name() : "**" + v.name() + "**";
    }

    private static String change(LayerChange.Kind k) {
        return k == LayerChange.Kind.UNCHANGED ? "=" : k.label();
    }

    private static String ms(TimingReport.Summary s) {
        return Numbers.sci(s.medianMs()) + " (" + Numbers.sci(s.q1Ms()) + "-" + Numbers.sci(s.q3Ms()) + ")";
    }

    private static String pair(LayerInfo a, LayerInfo b, Function<LayerInfo, String> f) {
        return Numbers.pair(a == null ? null : f.apply(a), b == null ? null : f.apply(b));
    }

    /**
     * Text in a table cell or a line of Markdown: backslash-escapes the characters Markdown would read as syntax
     * ({@code | \ ` * _ [ ] ~}), turns {@code < &} into entities (no HTML gets through) and line breaks into
     * {@code <br>}. {@code >} is left alone: inside a line it is plain text, and {@code ->} stays readable.
     */
    static String escape(String s) {
        if (s == null) return "";
        StringBuilder sb = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '|', '\\', '`', '*', '_', '[', ']', '~' -> sb.append('\\').append(c);
                case '<' -> sb.append("&lt;");
                case '&' -> sb.append("&amp;");
                case '\r' -> { if (i + 1 < s.length() && s.charAt(i + 1) == '\n') i++; sb.append("<br>"); }
                case '\n' -> sb.append("<br>");
                default -> sb.append(c < 0x20 ? ' ' : c);
            }
        }
        return sb.toString();
    }

    /** A code span outside tables (file paths): long enough a fence that backticks inside cannot close it. */
    private static String code(String s) {
        String t = s == null ? "" : s.replaceAll("[\\r\\n]+", " ");
        String fence = "`";
        while (t.contains(fence)) fence += "`";
        boolean pad = t.startsWith("`") || t.endsWith("`");
        return fence + (pad ? " " + t + " " : t) + fence;
    }

    /** Text inside an HTML element such as {@code <summary>}: Markdown is not read there; {@code & <} become entities. */
    private static String html(String s) {
        return s == null ? "" : s.replace("&", "&amp;").replace("<", "&lt;").replaceAll("[\\r\\n]+", " ");
    }

    /** A GitHub-flavoured Markdown table; a header ending in ':' is a right-aligned (numeric) column. Cells come escaped. */
    private static final class MdTable {
        private final String[] header;
        private final boolean[] right;
        private final List<String[]> rows = new java.util.ArrayList<>();

        MdTable(String... header) {
            this.header = new String[header.length];
            this.right = new boolean[header.length];
            for (int i = 0; i < header.length; i++) {
                right[i] = header[i].endsWith(":");
                this.header[i] = right[i] ? header[i].substring(0, header[i].length() - 1) : header[i];
            }
        }

        void add(String... cells) {
            rows.add(cells);
        }

        String render() {
            StringBuilder sb = new StringBuilder();
            line(sb, header);
            String[] rule = new String[header.length];
            for (int i = 0; i < header.length; i++) rule[i] = right[i] ? "---:" : "---";
            line(sb, rule);
            for (String[] r : rows) line(sb, r);
            return sb.toString();
        }

        private static void line(StringBuilder sb, String[] cells) {
            sb.append('|');
            for (String c : cells) sb.append(' ').append(c).append(" |");
            sb.append('\n');
        }
    }
}
