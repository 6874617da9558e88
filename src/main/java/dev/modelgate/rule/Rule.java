package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * One check of the modified model against the original. A rule is built from validated {@link RuleSettings}
 * and turns {@link Evidence} into results: at least one, passing results included with their measured value.
 *
 * <p>A rule never writes a sentence: it returns its values and one of its message {@link Template}s (constants of
 * the rule class), which fills {@code {measured}} and {@code {limit}} from the result exactly as the report's
 * measured and limit columns show them.
 */
public abstract class Rule {
    private final RuleMetadata metadata;
    protected final RuleSettings settings;

    protected Rule(RuleMetadata metadata, RuleSettings settings) {
        this.metadata = metadata;
        this.settings = settings;
    }

    public final RuleMetadata metadata() { return metadata; }

    public abstract List<RuleResult> evaluate(Evidence evidence);

    public String id() { return metadata.id(); }

    public Severity severity() { return settings.severity(); }

    /** The statistic the measured values are, where a config chooses it (null: the rule has one meaning). */
    protected String statistic() { return null; }

    /** PASS, or FAIL/WARN by severity. */
    protected Status violated() {
        return settings.severity() == Severity.ERROR ? Status.FAIL : Status.WARN;
    }

    /** A result whose message is {@code message} filled with {@code args}, {@code measured} and {@code threshold}. */
    protected RuleResult result(boolean ok, Double measured, Double threshold, String layer, Template message, Arg... args) {
        return new RuleResult(id(), ok ? Status.PASS : violated(), settings.severity(), measured, threshold, layer,
                message.fill(measured, threshold, args), false, statistic());
    }

    /** A message's arguments with more appended. */
    protected static Arg[] with(Arg[] args, Arg... more) {
        Arg[] out = java.util.Arrays.copyOf(args, args.length + more.length);
        System.arraycopy(more, 0, out, args.length, more.length);
        return out;
    }
}
