package dev.modelgate.report;

/** The outcome of one rule on one place in the model. */
public enum Status {
    /** Within the limit. */
    PASS,
    /** Beyond the limit, severity error. */
    FAIL,
    /** Beyond the limit, severity warning. */
    WARN,
    /** Not evaluated (nothing to measure, turned off, or --static); the message says why. */
    SKIP,
    /** Could not be evaluated because measuring failed. */
    ERROR
}
