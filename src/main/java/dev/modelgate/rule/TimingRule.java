package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.TimingReport;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Numbers;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;

/** The two timing rules: the median ratio of interleaved pairs against a limit, plus optional absolute limits. */
abstract class TimingRule extends RuntimeRule {
    private static final String RATIO_TEXT = "{operation} {from} ms -> {to} ms ({measured}x, " + TimingReport.INTERVAL + " {low}-{high}x over {pairs} pairs, max allowed {limit}x)";
    private static final String[] RATIO_ARGS = {"operation", "from", "to", "low", "high", "pairs"};
    static final Template RATIO = Template.of(RATIO_TEXT, RATIO_ARGS);
    static final Template BORDERLINE_RATIO = Template.of(RATIO_TEXT + "; borderline: the interval still contains the limit where sampling ended", RATIO_ARGS);
    /** Sampling stopped at a close call (TimingReport.CLOSE_CALL): the interval contains the limit and lies within 5% of it. */
    static final Template CLOSE_RATIO = Template.of(RATIO_TEXT + "; borderline: the interval contains the limit and lies within "
            + Math.round(TimingReport.CLOSE_CALL * 100) + "% of it, closer than two runs of a pair agree, so sampling stopped", RATIO_ARGS);
    /** The budget ended sampling before the protocol's minimum (docs/timing.md, "The time budget"); {why} is a CUT_ template. */
    static final Template CUT_RATIO = Template.of(RATIO_TEXT + "; borderline: the time budget of {budget} s cut sampling short ({why})",
            with(RATIO_ARGS, "budget", "why"));
    static final Template BELOW_FLOOR = Template.of(RATIO_TEXT + ", but {increase} ms more per call is below the absolute floor of {floor} ms: "
            + "not a regression", with(RATIO_ARGS, "increase", "floor"));
    static final Template CUT_PAIRS = Template.of("{pairs} of the {min} pairs wanted", "pairs", "min");
    static final Template CUT_WARMUP = Template.of("warm-up stopped before the calls were steady");
    static final Template CUT_BOTH = Template.of("{pairs} of the {min} pairs wanted, and warm-up stopped before the calls were steady", "pairs", "min");
    /** A failing or borderline result names the layers that account for most of the change: the above and "; {where}". */
    static final Template RATIO_WHERE = where(RATIO), BORDERLINE_WHERE = where(BORDERLINE_RATIO), CUT_WHERE = where(CUT_RATIO),
            CLOSE_WHERE = where(CLOSE_RATIO);
    static final Template WHERE_ONE = Template.of("{layer} accounts for {share} of the added time", "layer", "share");
    static final Template WHERE_MANY = Template.of("{layers} account for {share} of the added time ({shares})", "layers", "share", "shares");
    /** Layers named: the largest shares until they account for this much of the added time, at most MAX_NAMED. */
    static final double ENOUGH_SHARE = 0.6;
    static final int MAX_NAMED = 3;
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

    /** Whether this rule's per-layer figures are the training pass's (else the inference pass's). */
    abstract boolean trainingPass();

    /** "conv2 accounts for 78% of the added time", from the report's shares; null where no layer added time. */
    private String where(TimingReport.LayerTimes layers) {
        if (layers == null) return null;
        List<TimingReport.LayerTime> main = layers.mainContributors(trainingPass(), ENOUGH_SHARE, MAX_NAMED);
        if (main.isEmpty()) return null;
        java.util.function.ToDoubleFunction<TimingReport.LayerTime> share = trainingPass() ? TimingReport.LayerTime::share : TimingReport.LayerTime::inferenceShare;
        if (main.size() == 1) return WHERE_ONE.fill(null, null, Arg.text("layer", main.get(0).layer()), Arg.text("share", Numbers.percent(share.applyAsDouble(main.get(0)))));
        double total = main.stream().mapToDouble(share).sum();
        return WHERE_MANY.fill(null, null, Arg.list("layers", main.stream().map(TimingReport.LayerTime::layer).toList()),
                Arg.text("share", Numbers.percent(total)), Arg.list("shares", main.stream().map(l -> Numbers.percent(share.applyAsDouble(l))).toList()));
    }

    private static Template where(Template t) {
        return Template.of(t.pattern() + "; {where}", with(t.arguments().toArray(String[]::new), "where"));
    }

    private static String[] with(String[] args, String... more) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of(more));
        return all.toArray(String[]::new);
    }

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
        double increase = m.modified().medianMs() - m.original().medianMs(), floor = settings.get("min-increase-ms");
        // Per call only: where the batch sizes differ the columns are milliseconds per example, and a floor per call
        // says nothing about them.
        boolean perCall = !m.perExample();
        if (m.ratio() > max && perCall && increase < floor) {
            out.add(result(true, m.ratio(), max, null, BELOW_FLOOR, Arg.text("operation", m.operation()), Arg.value("from", m.original().medianMs()),
                    Arg.value("to", m.modified().medianMs()), Arg.value("low", m.ratioLow()), Arg.value("high", m.ratioHigh()),
                    Arg.integer("pairs", m.pairs()), Arg.value("increase", increase), Arg.value("floor", floor)));
            addAbsolute(out, m);
            return out;
        }
        boolean ok = m.ratio() <= max;
        List<Arg> args = new ArrayList<>(List.of(Arg.text("operation", m.operation()), Arg.value("from", m.original().medianMs()),
                Arg.value("to", m.modified().medianMs()), Arg.value("low", m.ratioLow()), Arg.value("high", m.ratioHigh()), Arg.integer("pairs", m.pairs())));
        TimingReport.BudgetCut cut = m.budgetCut();
        if (cut != null) {
            args.add(Arg.value("budget", cut.budgetSeconds()));
            Template why = m.pairs() >= cut.minPairs() ? CUT_WARMUP : cut.warmUpCut() ? CUT_BOTH : CUT_PAIRS;
            args.add(Arg.text("why", why == CUT_WARMUP ? why.fill(null, null)
                    : why.fill(null, null, Arg.integer("pairs", m.pairs()), Arg.integer("min", cut.minPairs()))));
        }
        // Near the limit: failing, or borderline with the interval reaching past the limit (not a pass the budget cut short).
        boolean near = !ok || (m.borderline() && m.ratioHigh() > max);
        String where = near ? where(e.timing().layers()) : null;
        Template message = cut != null ? CUT_RATIO : !m.borderline() ? RATIO
                : TimingReport.closeCall(m.ratioLow(), m.ratioHigh(), max) ? CLOSE_RATIO : BORDERLINE_RATIO;
        if (where != null) {
            args.add(Arg.text("where", where));
            message = message == CUT_RATIO ? CUT_WHERE : message == BORDERLINE_RATIO ? BORDERLINE_WHERE : message == CLOSE_RATIO ? CLOSE_WHERE : RATIO_WHERE;
        }
        out.add(result(ok, m.ratio(), max, null, message, args.toArray(Arg[]::new)));
        addAbsolute(out, m);
        return out;
    }

    /** The optional absolute limit (max-ms) on the modified model's median call. */
    private void addAbsolute(List<RuleResult> out, TimingReport.Measurement m) {
        OptionalDouble maxMs = settings.optional("max-ms");
        if (maxMs.isPresent()) {
            double ms = m.modified().medianMs();
            out.add(result(ms <= maxMs.getAsDouble(), ms, maxMs.getAsDouble(), null, ABSOLUTE,
                    Arg.text("operation", m.operation()), Arg.integer("batch", m.batchSize())));
        }
    }
}
