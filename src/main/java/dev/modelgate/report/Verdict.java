package dev.modelgate.report;

import java.util.List;

/** The overall answer of a check. */
public enum Verdict {
    PASS, FAIL, ERROR;

    /** FAIL when any rule of severity error failed; ERROR when any could not be evaluated; else PASS. */
    public static Verdict of(List<RuleResult> results) {
        if (results.stream().anyMatch(r -> r.status() == Status.FAIL)) return FAIL;
        if (results.stream().anyMatch(r -> r.status() == Status.ERROR && r.severity() == Severity.ERROR)) return ERROR;
        return PASS;
    }

    /** The worst of several verdicts, by the same order as {@link #of}: FAIL, then ERROR, then PASS. */
    public static Verdict worst(java.util.Collection<Verdict> verdicts) {
        if (verdicts.contains(FAIL)) return FAIL;
        if (verdicts.contains(ERROR)) return ERROR;
        return PASS;
    }
}
