package dev.modelgate.rule;

import dev.modelgate.report.EvaluationReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.stats.Statistics;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A rule about the held-out evaluation: both models trained once per seed on the same training rows and evaluated on
 * the same held-out rows. It judges the per-seed differences (modified minus original, oriented so that positive is
 * worse) by a change threshold in TFMA's sense and their paired 95% t interval ({@link #status}): FAIL only where
 * the seeds establish a change beyond the threshold, borderline (WARN, never a silent PASS) where they do not decide.
 */
abstract class HeldOutRule extends RuntimeRule {
    static final double LEVEL = 0.95;
    static final Template NO_DATA = Template.of("not judged: neither model has data to hold out (a data: section, or --data)");
    static final Template ONE_HAS_DATA = Template.of("not judged: only the {which} model has data (give both the same data: section, or --data)", "which");
    static final Template DIFFERENT_DATA = Template.of("not judged: the models were evaluated on different data ({original} and {modified}); "
            + "a paired comparison needs the same rows", "original", "modified");
    static final Template DIFFERENT_SEEDS = Template.of("not judged: the models were evaluated with different seeds or seed counts");
    static final Template DIFFERENT_OUTPUTS = Template.of("not judged: the outputs have {original} and {modified} units, so their losses "
            + "are over different labels (accuracy-drop compares them)", "original", "modified");

    HeldOutRule(RuleMetadata metadata, RuleSettings settings) {
        super(metadata, settings);
    }

    @Override public boolean judgesOneModel() { return false; }

    /** Measured where health ran; the absence of data is said by {@link #judge}, with the reason. */
    @Override
    protected boolean measured(Evidence e) {
        return e.modified().health() != null && e.original().health() != null;
    }

    /** Whether this rule judges the evaluation (accuracy-drop: classification only); the reason otherwise. */
    abstract String applies(EvaluationReport original, EvaluationReport modified);

    /** One seed's value, oriented so that the modified model is worse where it is larger. */
    abstract double value(EvaluationReport.SeedRun run);

    /** The largest allowed mean difference. */
    abstract double limit(double[] original);

    /** The result with the measured mean difference, the limit and the interval. */
    abstract RuleResult result(Status status, double[] mean, double limit, double[] original, double[] modified, EvaluationReport o, EvaluationReport m);

    @Override
    protected List<RuleResult> judge(Evidence e) {
        EvaluationReport o = e.original().evaluation(), m = e.modified().evaluation();
        if (o == null && m == null) return skip(NO_DATA.fill(null, null));
        if (o == null || m == null) return skip(ONE_HAS_DATA.fill(null, null, Arg.text("which", o == null ? "modified" : "original")));
        if (m.skipped() != null) return skip("not judged: " + m.skipped());
        if (o.skipped() != null) return skip("not judged: " + o.skipped());
        if (!o.data().equals(m.data())) return skip(DIFFERENT_DATA.fill(null, null, Arg.text("original", o.data()), Arg.text("modified", m.data())));
        if (!seeds(o).equals(seeds(m))) return skip(DIFFERENT_SEEDS.fill(null, null));
        String why = applies(o, m);
        if (why != null) return skip(why);
        int n = o.seeds().size();
        double[] ov = new double[n], mv = new double[n], diff = new double[n];
        for (int i = 0; i < n; i++) {
            ov[i] = value(o.seeds().get(i));
            mv[i] = value(m.seeds().get(i));
            diff[i] = mv[i] - ov[i];
        }
        double[] interval = Statistics.meanInterval(diff, LEVEL);
        double limit = limit(ov);
        return List.of(result(status(interval, limit), interval, limit, ov, mv, o, m));
    }

    /**
     * FAIL where the whole interval lies beyond the limit (worse by more than allowed, beyond noise); PASS where the
     * whole interval lies within it, or where the mean is within it and nothing shows a change at all (the interval
     * reaches below 0: an unchanged model's spread); borderline otherwise: a mean beyond the limit that the seeds do
     * not establish, a real drop whose size they do not bound within the limit, or one seed that differs.
     */
    Status status(double[] interval, double limit) {
        double mean = interval[0], low = interval[1], high = interval[2];
        if (low > limit) return violated();
        if (high <= limit) return Status.PASS;
        boolean bounded = Double.isFinite(low) && Double.isFinite(high);
        return bounded && mean <= limit && low <= 0 ? Status.PASS : Status.WARN;
    }

    private List<RuleResult> skip(String why) {
        return List.of(RuleResult.skip(id(), settings.severity(), why));
    }

    private static List<Long> seeds(EvaluationReport r) {
        return r.seeds().stream().map(EvaluationReport.SeedRun::seed).toList();
    }

    static double mean(double[] v) {
        return java.util.Arrays.stream(v).average().orElse(Double.NaN);
    }

    /** "0.967 0.933 1" : the per-seed values as a report shows them. */
    static String perSeed(double[] v) {
        List<String> out = new ArrayList<>();
        for (double x : v) out.add(dev.modelgate.text.Numbers.value(x));
        return out.stream().collect(Collectors.joining(" "));
    }

    /** "how far the interval reaches", in the message's words, for each status. */
    static String verdict(Status status) {
        return switch (status) {
            case PASS -> "within the limit";
            case WARN -> "borderline: the seeds do not decide (more seeds in data: {seeds: N} do)";
            default -> "beyond the limit";
        };
    }

    /** The result: {@code status} as decided, whatever the rule's severity makes a plain violation. */
    RuleResult result(Status status, double measured, double limit, String message) {
        return new RuleResult(id(), status, settings.severity(), measured, limit, null, message);
    }
}
