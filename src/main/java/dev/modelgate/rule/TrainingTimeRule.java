package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.TimingReport;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Per-iteration training time may at most double; optionally an absolute limit per iteration and per epoch. */
public final class TrainingTimeRule extends TimingRule {
    public static final RuleMetadata METADATA = new RuleMetadata("training-time",
            "per-iteration training time, modified / original (median of interleaved pairs)",
            "Interview: training time beyond twice the original's (+100%) is abnormal and needs investigation.",
            Severity.ERROR, properties(2.0, "training-time", "training iteration",
                    Property.optionalPositive("epoch-size", "training iterations per epoch, to estimate epoch time"),
                    Property.optionalPositive("max-epoch-minutes", "largest allowed estimated epoch time in minutes (needs epoch-size)")), true);

    static final Template EPOCH = Template.of("estimated epoch of {iterations} iterations: {from} min -> {measured} min", "iterations", "from");
    static final Template EPOCH_LIMITED = Template.of("estimated epoch of {iterations} iterations: {from} min -> {measured} min (max allowed {limit} min)",
            "iterations", "from");

    public TrainingTimeRule(RuleSettings s) { super(METADATA, s); }

    @Override TimingReport.Measurement measurement(TimingReport t) { return t.training(); }

    @Override boolean trainingPass() { return true; }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        List<RuleResult> out = new ArrayList<>(super.judge(e));
        OptionalDouble epochSize = settings.optional("epoch-size"), maxMinutes = settings.optional("max-epoch-minutes");
        if (epochSize.isPresent()) {
            TimingReport.Measurement m = measurement(e.timing());
            double a = m.original().medianMs() * epochSize.getAsDouble() / 60_000, b = m.modified().medianMs() * epochSize.getAsDouble() / 60_000;
            Arg iterations = Arg.integer("iterations", (long) epochSize.getAsDouble()), from = Arg.value("from", a);
            if (maxMinutes.isPresent()) {
                out.add(result(b <= maxMinutes.getAsDouble(), b, maxMinutes.getAsDouble(), null, EPOCH_LIMITED, iterations, from));
            } else {
                out.add(result(true, b, null, null, EPOCH, iterations, from));
            }
        }
        return out;
    }
}
