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
    static final Template ABSOLUTE = Template.of("{operation} of the modified model {measured} ms at batch {batch} (max allowed {limit} ms)",
            "operation", "batch");

    TimingRule(RuleMetadata metadata, RuleSettings settings) {
        super(metadata, settings);
    }

    /** The properties of a timing rule: its ratio limit, an optional absolute limit in ms, and any more. */
    static List<Property> properties(double maxRatio, String operation, String call, Property... more) {
        List<Property> p = new ArrayList<>(List.of(
                Property.ratioAboveOne("max-ratio", maxRatio, "largest allowed " + operation + " ratio"),
                Property.optionalPositive("max-ms", "largest allowed milliseconds per " + call + " of the modified model")));
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
        out.add(result(m.ratio() <= max, m.ratio(), max, null, m.borderline() ? BORDERLINE_RATIO : RATIO,
                Arg.text("operation", m.operation()), Arg.value("from", m.original().medianMs()), Arg.value("to", m.modified().medianMs()),
                Arg.value("low", m.ratioLow()), Arg.value("high", m.ratioHigh()), Arg.integer("pairs", m.pairs())));
        OptionalDouble maxMs = settings.optional("max-ms");
        if (maxMs.isPresent()) {
            double ms = m.modified().medianMs();
            out.add(result(ms <= maxMs.getAsDouble(), ms, maxMs.getAsDouble(), null, ABSOLUTE,
                    Arg.text("operation", m.operation()), Arg.integer("batch", m.batchSize())));
        }
        return out;
    }
}
