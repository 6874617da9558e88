package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;

/**
 * A rule that judges measurements taken by running the models: timing, activations, gradients. Where those
 * measurements are absent (--static) it reports SKIP with the reason, never PASS.
 */
public abstract class RuntimeRule extends Rule {
    private static final Template AT_INITIALIZATION = Template.of("at initialization");
    private static final Template AFTER_TRAINING = Template.of("after {iterations} training iterations", "iterations");

    protected RuntimeRule(RuleMetadata metadata, RuleSettings settings) {
        super(metadata, settings);
    }

    /** True for rules about one model alone; their violations are also looked for in the original (pre-existing). */
    public boolean judgesOneModel() { return true; }

    /** Whether the evidence holds what the rule judges; by default the modified model's health (activations, gradients). */
    protected boolean measured(Evidence e) { return e.modified().health() != null; }

    protected abstract List<RuleResult> judge(Evidence e);

    @Override
    public final List<RuleResult> evaluate(Evidence e) {
        if (!measured(e)) {
            String why = e.runtimeSkipReason() != null ? e.runtimeSkipReason() : "not measured";
            return List.of(RuleResult.skip(id(), settings.severity() == Severity.OFF ? metadata().defaultSeverity() : settings.severity(), why));
        }
        return judge(e);
    }

    /** "at initialization" or "after 5 training iterations", as the argument {@code {name}}. */
    static Arg when(String name, boolean trained, int iterations) {
        return Arg.text(name, trained ? AFTER_TRAINING.fill(null, null, Arg.integer("iterations", iterations)) : AT_INITIALIZATION.fill(null, null));
    }
}
