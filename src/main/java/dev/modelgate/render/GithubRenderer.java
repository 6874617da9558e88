package dev.modelgate.render;

import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;

/**
 * GitHub Actions workflow commands: an {@code ::error} annotation on the modified config for every failed (or
 * unevaluable) rule, a {@code ::warning} for every warning, nothing for passed and skipped rules, and a closing
 * {@code ::notice} with the verdict. Printed on stdout in a workflow step, they show on the run and the pull request.
 * Values are escaped as the Actions toolkit does ({@code escapeData} / {@code escapeProperty}).
 */
public final class GithubRenderer implements Renderer {

    @Override public String format() { return "github"; }

    @Override
    public String render(CheckReport r) {
        StringBuilder sb = new StringBuilder();
        annotations(sb, r, r.modified().source());
        notice(sb, "verdict " + r.verdict().name() + " - " + counts(r) + " (" + r.original().source() + " -> " + r.modified().source() + ")");
        return sb.toString();
    }

    @Override
    public String renderAudit(AuditReport a) {
        StringBuilder sb = new StringBuilder();
        for (AuditEntry e : a.checks()) {
            if (e.report() == null) {
                command(sb, "error", e.config(), "modelgate", e.error() == null ? "the check could not run" : e.error());
            } else {
                annotations(sb, e.report(), e.config());
            }
        }
        long errors = a.count(Verdict.ERROR);
        notice(sb, "verdict " + a.verdict().name() + " - " + a.checks().size() + (a.checks().size() == 1 ? " config" : " configs")
                + " in " + a.folder() + ": " + a.count(Verdict.FAIL) + " failed, " + errors + (errors == 1 ? " error, " : " errors, ")
                + a.count(Verdict.PASS) + " passed");
        return sb.toString();
    }

    private static void annotations(StringBuilder sb, CheckReport r, String file) {
        for (RuleResult x : r.results()) {
            String level = switch (x.status()) {
                case FAIL, ERROR -> "error";
                case WARN -> "warning";
                case PASS, SKIP -> null;
            };
            if (level == null) continue;
            String title = "modelgate " + x.rule() + (x.status() == Status.ERROR ? " (could not be evaluated)" : "");
            command(sb, level, file, title, message(x));
        }
    }

    private static String message(RuleResult x) {
        String evidence = x.measured() == null && x.threshold() == null ? ""
                : " [measured " + Numbers.value(x.measured()) + ", limit " + Numbers.value(x.threshold()) + "]";
        return x.message() + evidence + (x.preExisting() ? " (pre-existing: the original has it too)" : "");
    }

    private static String counts(CheckReport r) {
        long errors = r.count(Status.ERROR), warns = r.count(Status.WARN);
        return r.count(Status.FAIL) + " failed, " + (errors > 0 ? errors + (errors == 1 ? " error, " : " errors, ") : "")
                + warns + " warning" + (warns == 1 ? "" : "s") + ", " + r.count(Status.PASS) + " passed, " + r.count(Status.SKIP) + " skipped";
    }

    private static void command(StringBuilder sb, String level, String file, String title, String message) {
        sb.append("::").append(level).append(' ');
        if (file != null && !file.isEmpty()) sb.append("file=").append(property(file)).append(',');
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
