package dev.modelgate.cli;

/** The contract's exit codes. */
public final class ExitCodes {
    /** No rule of severity error failed. */
    public static final int PASS = 0;
    /** At least one rule of severity error failed. */
    public static final int FAIL = 1;
    /** Bad input or usage: a file missing or unreadable, a config invalid, an unknown option. */
    public static final int BAD_INPUT = 2;
    /** A bug in modelgate, or a failure of the JVM itself. */
    public static final int INTERNAL = 3;
    /**
     * Could not finish: a limit (--timeout, running out of memory) stopped the measurement; the report shows what was
     * measured (the structural rules) and marks the runtime rules ERROR. A structural failure still exits 1.
     */
    public static final int INCOMPLETE = 4;

    private ExitCodes() {}

    /**
     * The exit code of a failure, the one place it is chosen: bad input of every kind (a model file, a thresholds
     * config, the command line, a model DL4J cannot run, a limit) is 2; anything else is a failure of modelgate or
     * the JVM itself, 3 (never 1, which means FAIL).
     */
    static int of(Throwable e) {
        return e instanceof dev.modelgate.error.BadInputException ? BAD_INPUT : INTERNAL;
    }

    /** The exit code of a check's verdict: PASS 0, FAIL 1, ERROR (a rule could not be measured: the check could not finish) 4. */
    static int of(dev.modelgate.report.Verdict v) {
        return switch (v) {
            case PASS -> PASS;
            case FAIL -> FAIL;
            case ERROR -> INCOMPLETE;
        };
    }

    /**
     * The exit code of an audit or a merge: 2 when any config could not be checked at all (bad input), else 1 when
     * any failed, else 4 when any could not finish, else 0.
     */
    static int of(dev.modelgate.report.AuditReport a) {
        if (a.checks().stream().anyMatch(e -> e.error() != null)) return BAD_INPUT;
        if (a.checks().stream().anyMatch(e -> e.verdict() == dev.modelgate.report.Verdict.FAIL)) return FAIL;
        if (a.checks().stream().anyMatch(e -> e.verdict() == dev.modelgate.report.Verdict.ERROR)) return INCOMPLETE;
        return PASS;
    }
}
