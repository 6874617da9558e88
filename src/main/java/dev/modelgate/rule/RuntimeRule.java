package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;

import java.util.List;
import java.util.Locale;

/**
 * A rule that judges measurements taken by running the models: timing, activations, gradients. Where those
 * measurements are absent (--static) it reports SKIP with the reason, never PASS.
 */
public abstract class RuntimeRule extends Rule {
    protected RuntimeRule(RuleSettings settings) {
        super(settings);
    }

    /** True for rules about one model alone; their violations are also looked for in the original (pre-existing). */
    public boolean judgesOneModel() { return true; }

    protected abstract boolean measured(Evidence e);

    protected abstract List<RuleResult> judge(Evidence e);

    @Override
    public final List<RuleResult> evaluate(Evidence e) {
        if (!measured(e)) {
            String why = e.runtimeSkipReason() != null ? e.runtimeSkipReason() : "not measured";
            return List.of(RuleResult.skip(id(), settings.severity() == Severity.OFF ? metadata().defaultSeverity() : settings.severity(), why));
        }
        return judge(e);
    }

    /** A measured value as people read it: 6.5e+03, 1.9e-11, 12.3, 0.0312. */
    public static String value(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return String.valueOf(v);
        double a = Math.abs(v);
        if (a != 0 && (a >= 1e4 || a < 1e-3)) return String.format(Locale.ROOT, "%.2g", v).replace("e+0", "e+").replace("e-0", "e-");
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains(".")) s = s.replaceAll("0+$", "").replaceAll("\\.$", "");
        return s;
    }

    static String when(boolean trained, int iterations) {
        return trained ? "after " + iterations + " training iterations" : "at initialization";
    }
}
