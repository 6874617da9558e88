package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.TimingReport;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** Per-iteration training time may at most double; optionally an absolute limit per iteration and per epoch. */
public final class TrainingTimeRule extends TimingRule {
    public static final RuleMetadata METADATA = new RuleMetadata("training-time",
            "per-iteration training time, modified / original (median of interleaved pairs)",
            "Interview: training time beyond twice the original's (+100%) is abnormal and needs investigation.",
            Severity.ERROR, List.of(
                    Property.ratioAboveOne("max-ratio", 2.0, "largest allowed training-time ratio"),
                    Property.optionalPositive("max-ms", "largest allowed milliseconds per training iteration of the modified model"),
                    Property.optionalPositive("epoch-size", "training iterations per epoch, to estimate epoch time"),
                    Property.optionalPositive("max-epoch-minutes", "largest allowed estimated epoch time in minutes (needs epoch-size)")), true);

    public TrainingTimeRule(RuleSettings s) { super(s); }

    @Override public RuleMetadata metadata() { return METADATA; }

    @Override TimingReport.Measurement measurement(TimingReport t) { return t.training(); }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        List<RuleResult> out = new ArrayList<>(super.judge(e));
        OptionalDouble epochSize = settings.optional("epoch-size"), maxMinutes = settings.optional("max-epoch-minutes");
        if (epochSize.isPresent()) {
            TimingReport.Measurement m = measurement(e.timing());
            double a = m.original().medianMs() * epochSize.getAsDouble() / 60_000, b = m.modified().medianMs() * epochSize.getAsDouble() / 60_000;
            String msg = "estimated epoch of " + (long) epochSize.getAsDouble() + " iterations: " + value(a) + " min -> " + value(b) + " min";
            if (maxMinutes.isPresent()) {
                out.add(result(b <= maxMinutes.getAsDouble(), b, maxMinutes.getAsDouble(), null, msg + " (max allowed " + value(maxMinutes.getAsDouble()) + " min)"));
            } else {
                out.add(result(true, b, null, null, msg));
            }
        }
        return out;
    }
}
