package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;

import java.util.List;
import java.util.Locale;

/**
 * One check of the modified model against the original. A rule is built from validated {@link RuleSettings}
 * and turns {@link Evidence} into results: at least one, passing results included with their measured value.
 */
public abstract class Rule {
    protected final RuleSettings settings;

    protected Rule(RuleSettings settings) {
        this.settings = settings;
    }

    public abstract RuleMetadata metadata();

    public abstract List<RuleResult> evaluate(Evidence evidence);

    public String id() { return metadata().id(); }

    public Severity severity() { return settings.severity(); }

    /** PASS, or FAIL/WARN by severity. */
    protected Status violated() {
        return settings.severity() == Severity.ERROR ? Status.FAIL : Status.WARN;
    }

    protected RuleResult result(boolean ok, Double measured, Double threshold, String layer, String message) {
        return new RuleResult(id(), ok ? Status.PASS : violated(), settings.severity(), measured, threshold, layer, message);
    }

    /** Ratios as people say them: 4.0x, 1.6x, 1.25x. */
    public static String ratio(double r) {
        if (Double.isInfinite(r) || Double.isNaN(r)) return String.valueOf(r);
        String s = String.format(Locale.ROOT, "%.2f", r);
        if (s.endsWith("0")) s = s.substring(0, s.length() - 1);
        return s;
    }

    /** Counts with thousands separators: 431,080. */
    public static String count(long n) {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
