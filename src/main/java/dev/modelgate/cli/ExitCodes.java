package dev.modelgate.cli;

/** The contract's exit codes. */
public final class ExitCodes {
    /** No rule of severity error failed. */
    public static final int PASS = 0;
    /** At least one rule of severity error failed. */
    public static final int FAIL = 1;
    /** Bad input or usage: a file missing or unreadable, a config invalid, an unknown option. */
    public static final int BAD_INPUT = 2;
    /** A bug in modelgate. */
    public static final int INTERNAL = 3;

    private ExitCodes() {}

    /**
     * The exit code of a failure, the one place it is chosen: bad input of every kind (a model file, a thresholds
     * config, the command line, a model DL4J cannot run, a limit) is 2; anything else is a failure of modelgate or
     * the JVM itself, 3 (never 1, which means FAIL).
     */
    static int of(Throwable e) {
        return e instanceof dev.modelgate.error.BadInputException ? BAD_INPUT : INTERNAL;
    }

    /** The exit code of a verdict: PASS 0, FAIL 1, ERROR (a config could not be checked) 2. */
    static int of(dev.modelgate.report.Verdict v) {
        return switch (v) {
            case PASS -> PASS;
            case FAIL -> FAIL;
            case ERROR -> BAD_INPUT;
        };
    }
}
