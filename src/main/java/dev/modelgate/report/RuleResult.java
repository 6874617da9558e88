package dev.modelgate.report;

/**
 * One rule's verdict on one place in the modified model (or the whole model when {@code layer} is null).
 * Passing results carry their measured value too, so a report shows how close each rule came to its limit.
 *
 * @param preExisting the original model violates the rule at the same place too: reported, but not introduced
 *                    by the change
 * @param statistic   which statistic the measured value is, for rules where a config chooses it (the gradient rules:
 *                    {@code l2} or {@code max-abs}); null for every other rule and in reports written before it was
 *                    recorded
 */
public record RuleResult(String rule, Status status, Severity severity, Double measured, Double threshold, String layer,
                         String message, boolean preExisting, String statistic) {

    public RuleResult(String rule, Status status, Severity severity, Double measured, Double threshold, String layer, String message) {
        this(rule, status, severity, measured, threshold, layer, message, false, null);
    }

    public RuleResult(String rule, Status status, Severity severity, Double measured, Double threshold, String layer,
                      String message, boolean preExisting) {
        this(rule, status, severity, measured, threshold, layer, message, preExisting, null);
    }

    /** How the message of a runtime rule that a stopped check never measured begins. */
    public static final String NOT_MEASURED = "not measured: ";

    /** A runtime rule the check was stopped before measuring (a timeout, the worker out of memory): why, in a message. */
    public static RuleResult notMeasured(String rule, Severity severity, String why) {
        return new RuleResult(rule, Status.ERROR, severity, null, null, null, NOT_MEASURED + why);
    }

    /** Whether this is a rule a stopped check never measured ({@link #notMeasured}). */
    public boolean isNotMeasured() {
        return status == Status.ERROR && message != null && message.startsWith(NOT_MEASURED);
    }

    public static RuleResult skip(String rule, Severity severity, String why) {
        return new RuleResult(rule, Status.SKIP, severity, null, null, null, why);
    }

    public RuleResult asPreExisting() {
        return new RuleResult(rule, status, severity, measured, threshold, layer, message, true, statistic);
    }
}
