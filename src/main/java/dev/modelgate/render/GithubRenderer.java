package dev.modelgate.render;

import dev.modelgate.report.Status;

/**
 * GitHub Actions workflow commands: an {@code ::error} annotation on the modified config for every failed (or
 * unevaluable) rule, a {@code ::warning} for every warning, nothing for passed and skipped rules, and a closing
 * {@code ::notice} with the verdict. An annotation is on the layer's line where the modified file gives one (a modelgate
 * spec), else on the file. Printed on stdout in a workflow step, they show on the run and the pull request.
 * Values are escaped as the Actions toolkit does ({@code escapeData} / {@code escapeProperty}).
 */
public final class GithubRenderer extends ViewRenderer {

    @Override public String format() { return "github"; }

    @Override
    String render(CheckView r) {
        StringBuilder sb = new StringBuilder();
        annotations(sb, r, r.modified().source());
        for (CheckView.ComparisonView c : r.comparisons()) annotations(sb, c.results(), r.modified().source(), " " + c.id(), " (" + c.id() + ": " + c.source() + ")");
        StringBuilder verdict = new StringBuilder("verdict " + r.verdict().name() + " - " + r.counts().text() + " (" + r.title() + ")");
        for (CheckView.ComparisonView c : r.comparisons()) verdict.append("; and ").append(c.headline());
        notice(sb, verdict.toString());
        return sb.toString();
    }

    @Override
    String render(AuditView a) {
        StringBuilder sb = new StringBuilder();
        for (AuditView.Entry e : a.entries()) {
            if (e.report() == null) command(sb, "error", e.config(), 0, "modelgate", e.error());
            else annotations(sb, e.report(), e.config());
        }
        notice(sb, "verdict " + a.verdict().name() + " - " + a.configsText() + " in " + a.folder() + ": " + a.countsText());
        return sb.toString();
    }

    private static void annotations(StringBuilder sb, CheckView r, String file) {
        annotations(sb, r.results(), file, "", "");
    }

    /** @param titleSuffix,messageSuffix what a further comparison's annotations add: which baseline they are against */
    private static void annotations(StringBuilder sb, java.util.List<CheckView.RuleRow> rows, String file, String titleSuffix, String messageSuffix) {
        for (CheckView.RuleRow x : rows) {
            String level = switch (x.status()) {
                case FAIL, ERROR -> "error";
                case WARN -> "warning";
                case PASS, SKIP -> null;
            };
            if (level == null) continue;
            String title = "modelgate " + x.rule() + titleSuffix + (x.status() == Status.ERROR ? " (could not be evaluated)" : "");
            command(sb, level, file, x.line(), title, x.headline() + messageSuffix);
        }
    }

    /** @param line the layer's line in the file, or 0 where not known (the annotation is then on the file) */
    private static void command(StringBuilder sb, String level, String file, int line, String title, String message) {
        sb.append("::").append(level).append(' ');
        if (file != null && !file.isEmpty()) {
            sb.append("file=").append(property(file)).append(',');
            if (line > 0) sb.append("line=").append(line).append(',');
        }
        sb.append("title=").append(property(title)).append("::").append(data(message)).append('\n');
    }

    private static void notice(StringBuilder sb, String message) {
        sb.append("::notice title=modelgate::").append(data(message)).append('\n');
    }

    /** A command's message, as the toolkit's {@code escapeData}: {@code % \r \n}. */
    static String data(String s) {
        if (s == null) return "";
        return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A");
    }

    /** A command's property value, as the toolkit's {@code escapeProperty}: {@code % \r \n : ,}. */
    static String property(String s) {
        return data(s).replace(":", "%3A").replace(",", "%2C");
    }
}
