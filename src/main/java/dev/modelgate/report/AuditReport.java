package dev.modelgate.report;

import java.util.Comparator;
import java.util.List;

/**
 * Everything one {@code modelgate audit} found: one entry per config, worst first (ERROR, FAIL, PASS), then by path.
 * The verdict is derived from the entries.
 */
public record AuditReport(String folder, List<AuditEntry> checks, Environment environment, List<Skipped> skipped, Shard shard) {
    public AuditReport {
        checks = checks.stream().sorted(WORST_FIRST).toList();
        skipped = skipped == null ? List.of() : List.copyOf(skipped);
    }

    /** An audit of the whole folder (no shard). */
    public AuditReport(String folder, List<AuditEntry> checks, Environment environment, List<Skipped> skipped) {
        this(folder, checks, environment, skipped, null);
    }

    /** Which share of the folder an audit checked ({@code --shard I/N}): 1-based index of total. */
    public record Shard(int index, int total) {
        @Override public String toString() { return index + "/" + total; }
    }

    /** An audit that skipped nothing. */
    public AuditReport(String folder, List<AuditEntry> checks, Environment environment) {
        this(folder, checks, environment, List.of());
    }

    /** A file under the audited folder that is not a model (a {@code params.yaml}, a {@code package.json}), and why. */
    public record Skipped(String file, String reason) {}

    public static final Comparator<AuditEntry> WORST_FIRST = Comparator
            .comparingInt((AuditEntry e) -> switch (e.verdict()) { case ERROR -> 0; case FAIL -> 1; case PASS -> 2; })
            .thenComparing(AuditEntry::config);

    public int schema() { return CheckReport.SCHEMA; }

    /** ERROR when any config could not be checked, else FAIL when any failed, else PASS. */
    public Verdict verdict() {
        if (checks.stream().anyMatch(e -> e.verdict() == Verdict.ERROR)) return Verdict.ERROR;
        if (checks.stream().anyMatch(e -> e.verdict() == Verdict.FAIL)) return Verdict.FAIL;
        return Verdict.PASS;
    }

    public long count(Verdict v) {
        return checks.stream().filter(e -> e.verdict() == v).count();
    }
}
