package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.TimingReport;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalDouble;

/** The two timing rules: the median ratio of interleaved pairs against a limit, plus optional absolute limits. */
abstract class TimingRule extends RuntimeRule {
    TimingRule(RuleSettings settings) {
        super(settings);
    }

    abstract TimingReport.Measurement measurement(TimingReport t);

    @Override public boolean judgesOneModel() { return false; }

    @Override
    protected boolean measured(Evidence e) {
        return e.timing() != null && measurement(e.timing()) != null;
    }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        TimingReport.Measurement m = measurement(e.timing());
        double max = settings.get("max-ratio");
        List<RuleResult> out = new ArrayList<>();
        String msg = String.format(Locale.ROOT, "%s %s ms -> %s ms (%sx, 95%% CI %s-%sx over %d pairs, max allowed %sx)",
                m.operation(), value(m.original().medianMs()), value(m.modified().medianMs()), ratio(m.ratio()),
                ratio(m.ratioLow()), ratio(m.ratioHigh()), m.pairs(), ratio(max));
        if (m.borderline()) msg += "; borderline: the interval still contains the limit after the time budget";
        out.add(result(m.ratio() <= max, m.ratio(), max, null, msg));
        OptionalDouble maxMs = settings.optional("max-ms");
        if (maxMs.isPresent()) {
            double ms = m.modified().medianMs();
            out.add(result(ms <= maxMs.getAsDouble(), ms, maxMs.getAsDouble(), null, m.operation() + " of the modified model "
                    + value(ms) + " ms at batch " + m.batchSize() + " (max allowed " + value(maxMs.getAsDouble()) + " ms)"));
        }
        return out;
    }
}
