package dev.modelgate.render;

import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.Verdict;

import java.util.ArrayList;
import java.util.List;

/**
 * What every human-readable renderer shows of one audit, derived and formatted once: the verdict, the counts, and one
 * entry per config (worst first) with its check's {@link CheckView}, or why it could not be checked.
 */
public record AuditView(Verdict verdict, String folder, int configs, long failed, long errors, long passed, List<Entry> entries,
                        CheckView.EnvironmentView environment, Charts charts) {

    /**
     * The audit page's charts: verdicts counted, and each timed config's training and inference ratios (as measured;
     * null where a config was not timed) with the limits they were judged against.
     */
    public record Charts(long passed, long failed, long errors, List<String> configs, List<Double> training, List<Double> inference,
                         Double trainingLimit, Double inferenceLimit, boolean timed) {}

    public static AuditView of(AuditReport a) {
        List<Entry> entries = new ArrayList<>();
        int i = 0;
        for (AuditEntry e : a.checks()) entries.add(Entry.of(++i, e));
        return new AuditView(a.verdict(), a.folder(), a.checks().size(), a.count(Verdict.FAIL), a.count(Verdict.ERROR), a.count(Verdict.PASS),
                entries, CheckView.EnvironmentView.of(a.environment()), charts(a));
    }

    private static Charts charts(AuditReport a) {
        List<String> configs = new ArrayList<>();
        List<Double> training = new ArrayList<>(), inference = new ArrayList<>();
        Double trainingLimit = null, inferenceLimit = null;
        for (AuditEntry e : a.checks()) {
            if (e.report() == null || e.report().timing() == null) continue;
            configs.add(e.config());
            training.add(finite(e.report().timing().training() == null ? null : e.report().timing().training().ratio()));
            inference.add(finite(e.report().timing().inference() == null ? null : e.report().timing().inference().ratio()));
            for (dev.modelgate.report.RuleResult r : e.report().results()) {
                if (r.threshold() == null) continue;
                if (r.rule().equals("training-time") && trainingLimit == null) trainingLimit = r.threshold();
                if (r.rule().equals("inference-latency") && inferenceLimit == null) inferenceLimit = r.threshold();
            }
        }
        return new Charts(a.count(Verdict.PASS), a.count(Verdict.FAIL), a.count(Verdict.ERROR), configs, training, inference, trainingLimit, inferenceLimit,
                !configs.isEmpty());
    }

    private static Double finite(Double v) {
        return v == null || Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    /** "2 configs", "1 config". */
    public String configsText() {
        return configs + (configs == 1 ? " config" : " configs");
    }

    /** "1 failed, 1 error, 0 passed". */
    public String countsText() {
        return failed + " failed, " + errors + (errors == 1 ? " error, " : " errors, ") + passed + " passed";
    }

    /** Test cases over all configs, as a test report counts them: a config that could not be checked is one error. */
    public long tests() {
        return entries.stream().mapToLong(e -> e.report() == null ? 1 : e.report().counts().total()).sum();
    }

    public long testFailures() {
        return entries.stream().mapToLong(e -> e.report() == null ? 0 : e.report().counts().failed()).sum();
    }

    public long testErrors() {
        return entries.stream().mapToLong(e -> e.report() == null ? 1 : e.report().counts().errors()).sum();
    }

    /** The time of every check together, seconds with three decimals. */
    public String totalSeconds() {
        return dev.modelgate.text.Numbers.decimalSeconds(entries.stream().mapToLong(e -> e.report() == null ? 0 : e.report().totalMs()).sum());
    }

    /**
     * One config of the audit.
     *
     * @param id       "config-1", ...: an anchor for the entry
     * @param baseline the baseline compared with, or "-" when none was found
     * @param open     whether a page shows the entry unfolded (everything but a pass)
     * @param detail   the first failure's message, or why the check could not run
     * @param error    why the check could not run ("the check could not run" when not said); null for a checked config
     * @param report   the check, or null when it could not run
     */
    public record Entry(String id, Verdict verdict, String config, String baseline, boolean baselineFound, boolean open,
                        String failedRules, String warnedRules, String detail, String error, CheckView report) {
        static Entry of(int index, AuditEntry e) {
            String baseline = e.baseline() == null ? "-" : e.baseline();
            if (e.report() == null) {
                String error = e.error() == null ? "the check could not run" : e.error();
                return new Entry("config-" + index, e.verdict(), e.config(), baseline, e.baseline() != null, e.verdict() != Verdict.PASS,
                        "", "", error, error, null);
            }
            CheckView v = CheckView.of(e.report());
            return new Entry("config-" + index, e.verdict(), e.config(), baseline, e.baseline() != null, e.verdict() != Verdict.PASS,
                    v.failedRules(), v.warnedRules(), v.firstFailure(), null, v);
        }
    }
}
