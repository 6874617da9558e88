package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.TimingReport;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The two timing rules: the median ratio of interleaved pairs against a limit, plus optional absolute limits. */
abstract class TimingRule extends RuntimeRule {
    static final Template RATIO = Template.of("{operation} {from} ms -> {to} ms ({measured}x, 95% CI {low}-{high}x over {pairs} pairs, max allowed {limit}x)",
            "operation", "from", "to", "low", "high", "pairs");
    static final Template BORDERLINE_RATIO = Template.of("{operation} {from} ms -> {to} ms ({measured}x, 95% CI {low}-{high}x over {pairs} pairs, "
            + "max allowed {limit}x); borderline: the interval still contains the limit after the time budget",
            "operation", "from", "to", "low", "high", "pairs");
    static final Template BELOW_FLOOR = Template.of("{operation} {from} ms -> {to} ms ({measured}x, 95% CI {low}-{high}x over {pairs} pairs, "
            + "max allowed {limit}x), but {increase} ms more per call is below the absolute floor of {floor} ms: not a regression",
            "operation", "from", "to", "low", "high", "pairs", "increase", "floor");
    static final Template ABSOLUTE = Template.of("{operation} of the modified model {measured} ms at batch {batch} (max allowed {limit} ms)",
            "operation", "batch");

    TimingRule(RuleMetadata metadata, RuleSettings settings) {
        super(metadata, settings);
    }

    /** The properties of a timing rule: its ratio limit, an optional absolute limit in ms, and any more. */
    static List<Property> properties(double maxRatio, String operation, String call, Property... more) {
        List<Property> p = new ArrayList<>(List.of(
                Property.ratioAboveOne("max-ratio", maxRatio, "largest allowed " + operation + " ratio"),
                Property.optionalPositive("max-ms", "largest allowed milliseconds per " + call + " of the modified model"),
                Property.nonNegative("min-increase-ms", 0.05, "an increase of less than this many milliseconds per " + call
                        + " is not a regression, whatever the ratio (0: none)")));
        p.addAll(List.of(more));
        return p;
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
        Arg[] args = {Arg.text("operation", m.operation()), Arg.value("from", m.original().medianMs()), Arg.value("to", m.modified().medianMs()),
                Arg.value("low", m.ratioLow()), Arg.value("high", m.ratioHigh()), Arg.integer("pairs", m.pairs())};
        double increase = m.modified().medianMs() - m.original().medianMs(), floor = settings.get("min-increase-ms");
        // Per call only: where the batch sizes differ the columns are milliseconds per example, and a floor per call
        // says nothing about them (TimingProbe.training names that operation "... per example ...").
        boolean perCall = !m.operation().contains("per example");
        if (m.ratio() > max && perCall && increase < floor) {
            out.add(result(true, m.ratio(), max, null, BELOW_FLOOR, with(args, Arg.value("increase", increase), Arg.value("floor", floor))));
        } else {
            out.add(result(m.ratio() <= max, m.ratio(), max, null, m.borderline() ? BORDERLINE_RATIO : RATIO, args));
        }
        OptionalDouble maxMs = settings.optional("max-ms");
        if (maxMs.isPresent()) {
            double ms = m.modified().medianMs();
            out.add(result(ms <= maxMs.getAsDouble(), ms, maxMs.getAsDouble(), null, ABSOLUTE,
                    Arg.text("operation", m.operation()), Arg.integer("batch", m.batchSize())));
        }
        return out;
    }
}
