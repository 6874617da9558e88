package dev.modelgate.render;

import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;

import java.util.List;

/**
 * GitHub-flavoured Markdown for a pull-request comment: the verdict on the first line, the rules with failures and
 * warnings first, timing when the models were timed, and the layer diff folded away in a {@code <details>} block.
 * Every cell is escaped, so a layer name or message cannot break the table or inject HTML. An audit longer than a
 * pull-request comment may be is cut to fit ({@link #COMMENT_LIMIT}), worst configs kept. Lays out a
 * {@link CheckView}; computes nothing.
 */
public final class MarkdownRenderer extends ViewRenderer {

    @Override public String format() { return "markdown"; }

    @Override
    String render(CheckView r) {
        StringBuilder sb = new StringBuilder();
        sb.append("**modelgate: ").append(r.verdict().name()).append("** - ").append(r.counts().text()).append("\n\n");
        if (r.primaryHeadline() != null) sb.append("Against ").append(escape(r.primaryHeadline())).append("<br>\n");
        for (CheckView.ComparisonView c : r.comparisons()) sb.append("and ").append(escape(c.headline())).append("\n\n");
        sb.append(code(r.original().source())).append(" -> ").append(code(r.modified().source())).append(": ")
                .append(escape(r.modeLabel())).append(", parameters ").append(r.totalParams())
                .append(", MACs per example ").append(r.totalMacs()).append("\n\n");
        for (CheckView.ModelLine m : r.models()) {
            for (String note : m.notes()) sb.append("> **Note** (").append(code(m.source())).append("): ").append(escape(note)).append("\n\n");
        }
        sb.append(rules(r.rules()));
        if (r.ratios() != null) sb.append('\n').append(comparisons(r));

        if (r.timing() != null) sb.append('\n').append(timing(r.timing()));

        sb.append("\n<details><summary>Layer diff (original -> modified)</summary>\n\n");
        boolean memory = r.layerMemory();
        MdTable layers = memory ? new MdTable("change", "layer", "type", "output", "params:", "MACs:", "param mem:", "act mem:", "what changed")
                : new MdTable("change", "layer", "type", "output", "params:", "MACs:", "what changed");
        for (CheckView.LayerRow l : r.layers()) {
            if (memory) {
                layers.add(l.change(), escape(l.layer()), escape(l.type()), escape(l.output()), escape(l.params()), escape(l.macs()),
                        escape(l.paramMemory()), escape(l.activationMemory()), escape(l.details()));
            } else {
                layers.add(l.change(), escape(l.layer()), escape(l.type()), escape(l.output()),
                        escape(l.params()), escape(l.macs()), escape(l.details()));
            }
        }
        if (memory) layers.add("**total**", "", "", "", escape(r.totalParams()), escape(r.totalMacs()), "", "", "");
        else layers.add("**total**", "", "", "", escape(r.totalParams()), escape(r.totalMacs()), "");
        sb.append(layers.render()).append("\n</details>\n\n");

        sb.append("<sub>").append(environment(r.environment()));
        if (!r.phases().isEmpty()) sb.append("; time: ").append(escape(r.phasesText()));
        sb.append("</sub>\n");
        return sb.toString();
    }

    /**
     * The most characters a GitHub pull-request or issue comment may hold: a longer body is refused (HTTP 422), so an
     * audit's comment is cut to fit.
     */
    static final int COMMENT_LIMIT = 65_536;

    /** Room kept for the note that says what was cut. */
    private static final int NOTE_ROOM = 400;

    @Override
    String render(AuditView a) {
        String head = "**modelgate audit: " + a.verdict().name() + "** - " + a.configsText() + " in " + code(a.folder()) + ": "
                + a.countsText() + "\n\n";
        MdTable summary = new MdTable("verdict", "config", "baseline", "failed rules", "warnings", "details");
        List<String> details = new java.util.ArrayList<>();
        for (AuditView.Entry e : a.entries()) {
            summary.add(verdict(e.verdict()), escape(e.config()), escape(e.baseline()), escape(e.failedRules()), escape(e.warnedRules()),
                    escape(e.detail()));
            details.add(details(e));
        }
        String foot = "\n<sub>" + environment(a.environment()) + "</sub>\n";
        String full = head + summary.render() + String.join("", details) + foot;
        return full.length() <= COMMENT_LIMIT ? full : cut(a, head, summary, details, foot);
    }

    /**
     * The audit cut to {@link #COMMENT_LIMIT}: whole rows from the end, then whole details blocks from the end. The
     * entries come worst first, so the verdict line and the failing configs stay; a note says how many configs are
     * left out and where the whole report is.
     */
    private static String cut(AuditView a, String head, MdTable summary, List<String> details, String foot) {
        int budget = COMMENT_LIMIT - head.length() - foot.length() - NOTE_ROOM;
        int rows = 0;
        for (int length = summary.render(0).length(); rows < summary.rows() && length + summary.row(rows).length() <= budget; rows++) {
            length += summary.row(rows).length();
        }
        String table = summary.render(rows);
        StringBuilder shown = new StringBuilder();
        int blocks = 0;
        for (int i = 0; i < rows && table.length() + shown.length() + details.get(i).length() <= budget; i++, blocks++) shown.append(details.get(i));
        int configs = a.entries().size();
        String rest = rows < configs ? (configs - rows) + " more configs" : "the details of the other " + (configs - blocks);
        String note = "\n> **Cut to fit a pull-request comment** (" + COMMENT_LIMIT + " characters): the table lists " + rows + " of " + configs
                + " configs (worst first), with details for " + blocks + ". " + rest + ": see the full report "
                + "(`--report html=PATH` or `--report markdown=PATH`).\n";
        return head + table + shown + note + foot;
    }

    private static String details(AuditView.Entry e) {
        StringBuilder sb = new StringBuilder();
        sb.append("\n<details><summary>").append(e.verdict().name()).append(": ").append(html(e.config()));
        if (e.report() != null) sb.append(" - ").append(html(e.report().counts().text()));
        sb.append("</summary>\n\n");
        if (e.report() == null) {
            sb.append("The check could not run: ").append(escape(e.error())).append("\n\n");
            sb.append("Baseline: ").append(e.baselineFound() ? code(e.baseline()) : "none found").append('\n');
        } else {
            sb.append(code(e.baseline())).append(" -> ").append(code(e.config())).append(": ")
                    .append(escape(e.report().modeLabel())).append("\n\n");
            sb.append(rules(e.report().rules()));
        }
        return sb.append("\n</details>\n").toString();
    }

    /** The ratios of every comparison side by side, then each further comparison's failures and warnings. */
    private static String comparisons(CheckView r) {
        StringBuilder sb = new StringBuilder("**Ratios** (modified / each baseline; the first is the primary comparison)\n\n");
        List<String> head = new java.util.ArrayList<>(List.of("rule"));
        r.ratios().baselines().forEach(b -> head.add(escape(b) + ":"));
        MdTable ratios = new MdTable(head.toArray(String[]::new));
        for (CheckView.RatioRow row : r.ratios().rows()) {
            List<String> cells = new java.util.ArrayList<>(List.of(escape(row.rule())));
            for (int i = 0; i < row.cells().size(); i++) {
                Status s = row.statuses().get(i);
                cells.add(s == Status.FAIL || s == Status.ERROR ? "**" + escape(row.cells().get(i)) + "**" : escape(row.cells().get(i)));
            }
            ratios.add(cells.toArray(String[]::new));
        }
        sb.append(ratios.render());
        for (CheckView.ComparisonView c : r.comparisons()) {
            sb.append("\n**Compared ").append(escape(c.id())).append("** (").append(code(c.source())).append("): **")
                    .append(c.verdict().name()).append("** - ").append(escape(c.counts().text())).append("\n\n");
            if (c.notPassing().isEmpty()) sb.append("No failures or warnings.\n");
            else sb.append(rules(c.notPassing()));
            if (c.timing() != null) sb.append('\n').append(timing(c.timing()));
        }
        return sb.toString();
    }

    private static String rules(List<CheckView.RuleRow> rows) {
        MdTable t = new MdTable("status", "rule", "measured:", "limit:", "details");
        for (CheckView.RuleRow x : rows) {
            t.add(status(x.status()), escape(x.rule()), escape(x.measured()), escape(x.limit()),
                    escape(x.message()) + (x.preExisting() ? " *(pre-existing)*" : ""));
        }
        return t.render();
    }

    private static String timing(CheckView.TimingView t) {
        StringBuilder sb = new StringBuilder();
        sb.append("Timing (OMP_NUM_THREADS=").append(escape(t.threads()))
                .append("; interleaved pairs; ratio = median over ABBA blocks of faster call / faster call, " + TimingReport.INTERVAL + " by bootstrap)\n\n");
        MdTable table = new MdTable("operation", "batch:", "original ms (IQR):", "modified ms (IQR):", "ratio:", TimingReport.INTERVAL + ":", "pairs:", "note");
        for (CheckView.TimingRow m : t.rows()) {
            table.add(escape(m.operation()), m.batch(), escape(m.original()), escape(m.modified()), m.ratio(), m.ci(), m.pairs(),
                    m.borderline() ? "borderline: the interval still contains the limit, or the time budget cut sampling short" : "");
        }
        sb.append(table.render());
        if (t.layers() != null) sb.append('\n').append(layerTimes(t.layers()));
        return sb.toString();
    }

    private static String layerTimes(CheckView.LayerTimesView l) {
        StringBuilder sb = new StringBuilder();
        sb.append("Time per layer (ms, the fastest of the passes; most added training time first; training: ").append(escape(l.trainingPass()))
                .append("; inference: ").append(escape(l.inferencePass())).append(")\n\n");
        MdTable table = new MdTable("layer", "change", "training original:", "modified:", "ratio:", "share of added:", "inference:");
        for (CheckView.LayerTimeRow x : l.rows()) {
            table.add(escape(x.layer()), x.change(), x.original(), x.modified(), x.ratio(), x.share(), escape(x.inference()));
        }
        sb.append(table.render());
        if (l.more() != null) sb.append('\n').append(escape(l.more())).append('\n');
        sb.append('\n').append(escape("training: " + l.training() + "; inference: " + l.inference() + "; the per-layer passes took " + l.elapsed())).append('\n');
        return sb.toString();
    }

    private static String environment(CheckView.EnvironmentView e) {
        return escape("environment: " + e.line() + (e.librariesLine() == null ? "" : "; " + e.librariesLine()));
    }

    private static String status(Status s) {
        return s == Status.FAIL || s == Status.ERROR ? "**" + s.name() + "**" : s.name();
    }

    private static String verdict(Verdict v) {
        return v == Verdict.PASS ? v.name() : "**" + v.name() + "**";
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

        int rows() {
            return rows.size();
        }

        String render() {
            return render(rows.size());
        }

        /** Row {@code i} as one line of the table. */
        String row(int i) {
            StringBuilder sb = new StringBuilder();
            line(sb, rows.get(i));
            return sb.toString();
        }

        /** The header and the first {@code n} rows. */
        String render(int n) {
            StringBuilder sb = new StringBuilder();
            line(sb, header);
            String[] rule = new String[header.length];
            for (int i = 0; i < header.length; i++) rule[i] = right[i] ? "---:" : "---";
            line(sb, rule);
            for (String[] r : rows.subList(0, n)) line(sb, r);
            return sb.toString();
        }

        private static void line(StringBuilder sb, String[] cells) {
            sb.append('|');
            for (String c : cells) sb.append(' ').append(c).append(" |");
            sb.append('\n');
        }
    }
}
