package dev.modelgate.report;

/**
 * One config of an audit: checked against its baseline, or not, with the reason.
 *
 * @param config   the experiment config, as found under the audited folder
 * @param baseline the baseline it was compared with, or null when none could be determined
 * @param report   the check's report, or null when the check could not run (then {@code error} says why)
 * @param error    one line: why the check could not run (an invalid config, a model DL4J cannot run); null otherwise
 */
public record AuditEntry(String config, String baseline, CheckReport report, String error) {
    public AuditEntry {
        if ((report == null) == (error == null)) throw new IllegalArgumentException("an audit entry has a report or an error, not both or neither");
    }

    public static AuditEntry checked(String config, String baseline, CheckReport report) {
        return new AuditEntry(config, baseline, report, null);
    }

    public static AuditEntry error(String config, String baseline, String error) {
        return new AuditEntry(config, baseline, null, error);
    }

    /** The check's verdict; ERROR when it could not run. */
    public Verdict verdict() { return report == null ? Verdict.ERROR : report.verdict(); }
}
