package dev.modelgate.report;

/**
 * One config of an audit: checked against its baseline, or not, with the reason.
 *
 * @param config   the experiment config, as found under the audited folder
 * @param baseline the baseline it was compared with, or null when none could be determined
 * @param report   the check's report, or null when the check could not run (then {@code error} says why)
 * @param error    one line: why the check could not run (an invalid config, a model DL4J cannot run); null otherwise
 */
public record AuditEntry(String config, String baseline, Verdict verdict, CheckReport report, String error) {
    public static AuditEntry checked(String config, String baseline, CheckReport report) {
        return new AuditEntry(config, baseline, report.verdict(), report, null);
    }

    public static AuditEntry error(String config, String baseline, String error) {
        return new AuditEntry(config, baseline, Verdict.ERROR, null, error);
    }
}
