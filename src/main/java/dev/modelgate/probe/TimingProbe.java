package dev.modelgate.probe;

import dev.modelgate.model.Network;
import dev.modelgate.report.TimingReport;
import dev.modelgate.stats.PlannedLooks;
import dev.modelgate.stats.Statistics;

import java.util.ArrayList;
import java.util.List;

/**
 * Times the same operation on two models in one process, so that only the models differ (docs/timing.md):
 * <ol>
 *   <li>warm up each model until its call time is steady (JIT compilation, workspace growth);</li>
 *   <li>interleave the two in ABBA blocks, so slow drift (frequency scaling, a noisy neighbour) hits both alike;</li>
 *   <li>take one ratio per block, the faster of the modified model's two calls over the faster of the original's
 *       (interference only ever adds time, and adds the same milliseconds to both models, which pulls a ratio of
 *       medians toward 1), and the median of those ratios with a bootstrap interval;</li>
 *   <li>look at the interval only at planned pair counts (the minimum, then doubling, {@value #LOOKS} looks at most,
 *       {@link PlannedLooks}), so that stopping at the first look whose interval is clear of the limit keeps the
 *       overall error at 5%; undecided after the last look, or at a look whose interval lies within
 *       {@link TimingReport#CLOSE_CALL} of the limit on both sides (closer than runs repeat), the result is borderline.</li>
 * </ol>
 * The limit is an input to the protocol (how long to sample), never a verdict: rules decide.
 */
public final class TimingProbe {
    static final int BOOTSTRAP_RESAMPLES = 4000;
    /** Looks at the interval a measurement may take: at the minimum pairs, then at twice as many each time. */
    public static final int LOOKS = 5;

    static final long BOOTSTRAP_SEED = 20261123L;

    /**
     * @param minPairs   pairs at the first look: the interval is looked at after these, then after twice as many, ...
     * @param maxPairs   pairs after which sampling stops whatever the interval says (at most the last look's)
     * @param warmupMinSeconds, warmupMaxSeconds time each model is warmed up: at least the first, at most the second
     * @param warmupWindow calls in each of the two windows whose medians must agree for the calls to be steady (at
     *                     least twice as many calls are made)
     * @param sameCallsBefore this JVM has just made the same calls ({@link #afterTheSameCalls})
     */
    public record Settings(int minPairs, int maxPairs, double budgetSeconds, double warmupMinSeconds, double warmupMaxSeconds, int warmupWindow,
                           boolean sameCallsBefore) {
        public static final Settings TRAINING = new Settings(8, 8 << (LOOKS - 1), 40, 0.5, 5);
        public static final Settings INFERENCE = new Settings(40, 40 << (LOOKS - 1), 20, 0.5, 3);

        public Settings(int minPairs, int maxPairs, double budgetSeconds, double warmupMinSeconds, double warmupMaxSeconds) {
            this(minPairs, maxPairs, budgetSeconds, warmupMinSeconds, warmupMaxSeconds, 5, false);
        }

        public Settings withBudget(double seconds) {
            return new Settings(minPairs, maxPairs, seconds, warmupMinSeconds, warmupMaxSeconds, warmupWindow, sameCallsBefore);
        }

        /**
         * For calls this JVM has already made on models of the same shapes (the health probe trains both models at
         * the timing batch just before): where a call takes {@value #SHORT_WARMUP_MIN_MS} ms or more, only the fresh
         * networks' workspaces are still to be sized, by their first call, so steadiness is judged call by call (two
         * calls in a row within 10%, at least 2 calls) after a quarter of a second, instead of on windows of 5 after
         * half a second. A LeNet iteration (about 90 ms) then warms up in 3 calls per model instead of 6. Shorter calls
         * keep the full warm-up, which costs them only its half second: the health probe's 10 calls compile little of
         * the Java side of a millisecond iteration (with the short warm-up for every call, the MLP sample's A/A
         * training ratio read 0.941 and the timing base's 0.934, 2026-12-02).
         */
        public Settings afterTheSameCalls() {
            return new Settings(minPairs, maxPairs, budgetSeconds, warmupMinSeconds, warmupMaxSeconds, warmupWindow, true);
        }
    }

    /** The least call time for which {@link Settings#afterTheSameCalls} shortens the warm-up. */
    static final double SHORT_WARMUP_MIN_MS = 20;

    /** One timed call of one model. */
    @FunctionalInterface
    public interface Call {
        void run();
    }

    private TimingProbe() {}

    public static TimingReport.Measurement training(Network a, SyntheticData.Batch batchA, Network b, SyntheticData.Batch batchB,
                                                    int batchSize, double limit, Settings settings) {
        return training(a, batchA, b, batchB, batchSize, limit, settings, Progress.NONE);
    }

    public static TimingReport.Measurement training(Network a, SyntheticData.Batch batchA, Network b, SyntheticData.Batch batchB,
                                                    int batchSize, double limit, Settings settings, Progress progress) {
        return training(a, batchA, b, batchB, batchSize, limit, settings, progress, null);
    }

    /** @param earlier pairs of the same training iterations timed before (the health probes' turns), or null */
    public static TimingReport.Measurement training(Network a, SyntheticData.Batch batchA, Network b, SyntheticData.Batch batchB,
                                                    int batchSize, double limit, Settings settings, Progress progress, Earlier earlier) {
        int original = (int) batchA.feature().size(0), modified = (int) batchB.feature().size(0);
        if (original == modified) {
            return measure("training iteration", batchSize, () -> a.fit(batchA.features(), batchA.labels()),
                    () -> b.fit(batchB.features(), batchB.labels()), limit, settings, progress, earlier);
        }
        // Batches of different sizes (a spec's own training.batch-size): an iteration of 500 examples against one of 32
        // says nothing about speed; the time per example does (a fix that trains at batch 500 measured 13.1x per
        // iteration while faster per example).
        TimingReport.Measurement m = measure(TimingReport.Measurement.PER_EXAMPLE + " (batch " + original + " -> " + modified + ")", modified,
                () -> a.fit(batchA.features(), batchA.labels()), () -> b.fit(batchB.features(), batchB.labels()), limit * modified / original, settings, progress,
                earlier);
        double perExample = (double) original / modified;
        TimingReport.Summary o = m.original(), n = m.modified();
        return new TimingReport.Measurement(m.operation(), modified, perExampleOf(o, original), perExampleOf(n, modified),
                m.ratio() * perExample, m.ratioLow() * perExample, m.ratioHigh() * perExample, m.pairs(), m.warmupCalls(), m.borderline(), m.budgetCut(),
                m.healthPairs());
    }

    /** A per-call summary as milliseconds per example. */
    private static TimingReport.Summary perExampleOf(TimingReport.Summary s, int batch) {
        return new TimingReport.Summary(s.medianMs() / batch, s.q1Ms() / batch, s.q3Ms() / batch, s.examplesPerSecond(), s.cpuMedianMs() / batch);
    }

    public static TimingReport.Measurement inference(Network a, SyntheticData.Batch batchA, Network b, SyntheticData.Batch batchB,
                                                     int batchSize, double limit, Settings settings) {
        return inference(a, batchA, b, batchB, batchSize, limit, settings, Progress.NONE);
    }

    public static TimingReport.Measurement inference(Network a, SyntheticData.Batch batchA, Network b, SyntheticData.Batch batchB,
                                                     int batchSize, double limit, Settings settings, Progress progress) {
        return measure("inference", batchSize, () -> a.output(batchA.features()), () -> b.output(batchB.features()), limit, settings, progress);
    }

    public static TimingReport.Measurement measure(String operation, int batchSize, Call original, Call modified, double limit, Settings s) {
        return measure(operation, batchSize, original, modified, limit, s, Progress.NONE);
    }

    public static TimingReport.Measurement measure(String operation, int batchSize, Call original, Call modified, double limit, Settings s,
                                                   Progress progress) {
        return measure(operation, batchSize, original, modified, limit, s, progress, null);
    }

    /**
     * @param earlier pairs of the same calls timed before, in ABBA order, after their own warm-up (the health probes'
     *                training iterations, {@link Earlier#of}): they are the first pairs, and where they are
     *                enough for a look that stops, nothing more is called (no warm-up either); null: none
     */
    public static TimingReport.Measurement measure(String operation, int batchSize, Call original, Call modified, double limit, Settings s,
                                                   Progress progress, Earlier earlier) {
        // The budget bounds the whole operation, warm-up included (docs/timing.md, "The time budget"): a call is started
        // only while it is expected to end within the budget, judged by the same model's last call. Each warm-up may use
        // at most a quarter of it, so that pairs are left; at least one warm-up call of each model and one pair are made,
        // unless earlier pairs were enough.
        long budget = (long) (s.budgetSeconds() * 1e9), deadline = System.nanoTime() + budget;
        List<Double> a = new ArrayList<>(), b = new ArrayList<>(), cpuA = new ArrayList<>(), cpuB = new ArrayList<>();
        List<Double> blocks = new ArrayList<>(); // one ratio per ABBA block
        // Looks at pair counts, planned once the minimum pairs show what a pair costs (PlannedLooks counts pairs, two
        // per block): the first where both the minimum and MIN_SAMPLE_SECONDS of pairs are in, then doubling.
        PlannedLooks looks = null;
        int pairs = 0, judged = -1; // judged: the blocks the last look saw
        double earlierSeconds = 0;
        boolean stopped = false;
        if (earlier != null) {
            a.addAll(earlier.a()); b.addAll(earlier.b()); cpuA.addAll(earlier.cpuA()); cpuB.addAll(earlier.cpuB());
            pairs = a.size();
            for (int i = 0; i + 1 < pairs; i += 2) blocks.add(block(a.get(i), a.get(i + 1), b.get(i), b.get(i + 1)));
            for (int i = 0; i < pairs; i++) earlierSeconds += (a.get(i) + b.get(i)) / 1000;
            if (pairs >= s.minPairs()) {
                looks = plan(s, pairs, earlierSeconds, limit);
                if (looks.due(pairs)) {
                    judged = blocks.size();
                    stopped = looks.look(Statistics.array(blocks));
                }
            }
        }
        long maxPairs = looks == null ? s.maxPairs() : Math.min(s.maxPairs(), looks.last());
        WarmUp wa = WarmUp.NONE, wb = WarmUp.NONE;
        if (!stopped && pairs < maxPairs) {
            wa = warmUp(original, s, System.nanoTime() + budget / 4);
            wb = warmUp(modified, s, System.nanoTime() + budget / 4);
        }
        double lastA = wa.lastMs(), lastB = wb.lastMs();
        long sampling = System.nanoTime() - (long) (earlierSeconds * 1e9);
        while (!stopped && pairs < maxPairs) {
            if (pairs > 0 && !fits(lastA + lastB, deadline)) break;
            // ABBA: each pair's two calls sit side by side, and the order alternates so neither model always goes first.
            double a1 = time(original, cpuA), b1 = time(modified, cpuB);
            a.add(a1); b.add(b1); pairs++;
            lastA = a1; lastB = b1;
            if (!fits(a1 + b1, deadline)) {
                if (blocks.isEmpty()) blocks.add(b1 / a1); // a budget shorter than one block: the one pair there is
                break;
            }
            double b2 = time(modified, cpuB), a2 = time(original, cpuA);
            a.add(a2); b.add(b2); pairs++;
            lastA = a2; lastB = b2;
            blocks.add(block(a1, a2, b1, b2));
            progress.step(operation + ": " + pairs + " pairs");
            if (looks == null && pairs >= s.minPairs()) {
                looks = plan(s, pairs, (System.nanoTime() - sampling) / 1e9, limit);
                maxPairs = Math.min(s.maxPairs(), looks.last());
            }
            if (looks != null && looks.due(pairs)) {
                judged = blocks.size();
                if (looks.look(Statistics.array(blocks))) break;
            }
        }
        int earlierPairs = earlier == null ? 0 : earlier.a().size();
        // Sampling ended between planned looks (the budget, or maxPairs): a look now spends the next planned one.
        if (looks == null) looks = plan(s, s.minPairs(), 0, limit);
        if (judged != blocks.size() && !blocks.isEmpty()) looks.look(Statistics.array(blocks));
        double[] r = Statistics.array(blocks), interval = looks.interval();
        boolean cutShort = pairs < s.minPairs() || wa.cut() || wb.cut();
        TimingReport.BudgetCut cut = cutShort ? new TimingReport.BudgetCut(s.budgetSeconds(), s.minPairs(), wa.cut() || wb.cut()) : null;
        int warmupCalls = Math.max(wa.calls(), wb.calls()) + (earlier == null ? 0 : earlier.warmupCalls());
        return new TimingReport.Measurement(operation, batchSize, summary(a, cpuA, batchSize), summary(b, cpuB, batchSize),
                r.length == 0 ? Double.NaN : Statistics.median(r), interval[0], interval[1], pairs, warmupCalls,
                !looks.decided() || cut != null, cut, earlierPairs);
    }

    /** An ABBA block's ratio: the faster of the modified model's two calls over the faster of the original's. */
    static double block(double a1, double a2, double b1, double b2) {
        return Math.min(b1, b2) / Math.min(a1, a2);
    }

    /**
     * Pairs of one operation's calls timed before the timing phase, in ABBA order and whole blocks: the health probes'
     * training iterations, interleaved on one thread ({@link InterleavedHealth}), which are the training timing's
     * calls on the same batch at the same threads, made as it makes them (DL4J's time alone: the health probe's
     * gradient recording is left out).
     *
     * @param warmupCalls the calls of each model left out at the start, as its warm-up
     */
    public record Earlier(List<Double> a, List<Double> cpuA, List<Double> b, List<Double> cpuB, int warmupCalls) {
        public Earlier {
            a = List.copyOf(a); cpuA = List.copyOf(cpuA); b = List.copyOf(b); cpuB = List.copyOf(cpuB);
        }

        /**
         * The pairs of interleaved calls that follow their warm-up, from every call's times
         * ({@code [side][0: wall, 1: CPU][call]}, {@link InterleavedHealth.Result#times}; the first {@code alone} calls
         * of each model made alone, the rest interleaved in ABBA order): each model's warm-up is its leading calls
         * slower by more than 10% than the median of the calls after them, and the pairs begin at the first whole
         * block after both warm-ups and the calls made alone. Warm-up only ever makes a call slower, and here every
         * later call is known, so the warm-up is judged against what the calls settled to, not call by call: a LeNet
         * pair's first calls took 130-170 ms and 92-111 ms, and then 78-88 and 99-126 ms (2026-12-02), and the
         * second original call, 10% slower than the third, had cost a block judged call by call. None where a call
         * takes under {@value #SHORT_WARMUP_MIN_MS} ms (the health probe's few calls do not warm such calls up) or
         * fewer than a block of pairs is left.
         */
        public static java.util.Optional<Earlier> of(double[][][] times, int alone) {
            double[] wa = times[0][0], wb = times[1][0];
            int n = Math.min(wa.length, wb.length);
            if (n < 2 || wa[1] < SHORT_WARMUP_MIN_MS || wb[1] < SHORT_WARMUP_MIN_MS) return java.util.Optional.empty();
            int pair = Math.max(0, Math.max(steadyAfter(wa), steadyAfter(wb)) - alone);
            pair += pair % 2; // whole ABBA blocks: a block starts at an even pair
            int from = alone + pair;
            if (n - from < 2) return java.util.Optional.empty();
            int to = from + (n - from) / 2 * 2;
            return java.util.Optional.of(new Earlier(list(wa, from, to), list(times[0][1], from, to), list(wb, from, to),
                    list(times[1][1], from, to), from));
        }

        /** The calls of a warm-up: the leading calls more than 10% slower than the median of those after them. */
        static int steadyAfter(double[] ms) {
            int i = 0;
            while (i < ms.length - 1 && ms[i] > 1.10 * Statistics.median(java.util.Arrays.copyOfRange(ms, i + 1, ms.length))) i++;
            return i;
        }

        private static List<Double> list(double[] v, int from, int to) {
            List<Double> out = new ArrayList<>();
            for (int i = from; i < to; i++) out.add(v[i]);
            return out;
        }
    }

    /** The least warm-up time after the same calls ({@link Settings#afterTheSameCalls}). */
    static final double SHORT_WARMUP_MIN_SECONDS = 0.25;

    /**
     * The least sampling time before the first look. Where pairs are cheap, the minimum pairs are over in
     * milliseconds (16 pairs of a small MLP's 1 ms iterations), and their few blocks leave an A/A ratio scattered by
     * +-7% on a loaded machine (0.929-1.039 in 5 runs); half a second of pairs steadied that, and still left the
     * residual-graph sample's inference A/A at 0.935-1.060 over 5 idle runs (some 25 blocks at its first look), so the
     * first look waits for a second of pairs: it costs half a second more where a result is clear at once.
     */
    static final double MIN_SAMPLE_SECONDS = 1.0;

    /**
     * How precise a ratio must be before a look that decides may stop sampling: its interval at most this wide,
     * relative (the highest over the lowest, 1.10: within about 5% either way). A look at the first few blocks of
     * quiet calls (a LeNet iteration's vary by 2-3%) decides and is that precise; noisier calls sample on to the next
     * look. It keeps an A/A ratio within [0.95, 1.05] where the first look is small (docs/timing.md).
     */
    static final double PRECISION = 0.10;

    /** The looks, once {@code pairs} pairs took {@code seconds}: the first at the minimum or at MIN_SAMPLE_SECONDS of pairs. */
    private static PlannedLooks plan(Settings s, int pairs, double seconds, double limit) {
        double perPair = pairs == 0 ? 0 : seconds / pairs;
        long wanted = perPair <= 0 ? s.minPairs() : 2 * (long) Math.ceil(MIN_SAMPLE_SECONDS / perPair / 2);
        int first = (int) Math.min(s.maxPairs(), Math.max(s.minPairs(), wanted));
        return new PlannedLooks(first, LOOKS, 0.05, limit, BOOTSTRAP_RESAMPLES, BOOTSTRAP_SEED, TimingReport.CLOSE_CALL, PRECISION);
    }

    /** Whether a call expected to take {@code ms} ends by the deadline if started now. */
    static boolean fits(double ms, long deadline) {
        return System.nanoTime() + (long) (ms * 1e6) <= deadline;
    }

    /**
     * @param lastMs the last warm-up call's time: what the next call of the model is expected to take
     * @param cut    the deadline ended the warm-up before the calls were steady
     */
    record WarmUp(int calls, double lastMs, boolean cut) {
        /** No warm-up was needed: earlier pairs were enough. */
        static final WarmUp NONE = new WarmUp(0, 0, false);
    }

    /**
     * Calls until steady: at least the minimum time, then until the median of the last window of calls (5; 1 after
     * the same calls ran in this JVM, for calls of SHORT_WARMUP_MIN_MS or more) is within 10% of the window before; or
     * until the next call would end after the deadline (cut short; at least one call is made). One model after the
     * other, each for its own minimum. Alternating the two and sharing the minimum was tried (half a second less on
     * the LeNet pair): the wide near-limit case's inference (0.25 and 0.42 ms calls) read 1.695-1.742 in 5 checks
     * where one after the other read 1.635-1.703, though 10 more checks one after the other then read 1.666-1.792, so
     * the difference may be noise; the measured protocol was kept (2026-12-02).
     */
    static WarmUp warmUp(Call call, Settings s, long deadline) {
        long start = System.nanoTime();
        List<Double> times = new ArrayList<>();
        int w = s.warmupWindow();
        double minSeconds = s.warmupMinSeconds();
        while (true) {
            double last = time(call);
            times.add(last);
            // The first call sizes the workspaces; the second says how long a call takes.
            if (times.size() == 2 && s.sameCallsBefore() && last >= SHORT_WARMUP_MIN_MS) {
                w = 1;
                minSeconds = Math.min(minSeconds, SHORT_WARMUP_MIN_SECONDS);
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= s.warmupMaxSeconds()) break;
            if (elapsed >= minSeconds && times.size() >= 2 * w) {
                int n = times.size();
                double recent = Statistics.median(Statistics.array(times.subList(n - w, n)));
                double before = Statistics.median(Statistics.array(times.subList(n - 2 * w, n - w)));
                if (Math.abs(recent - before) <= 0.10 * before) break;
            }
            if (!fits(last, deadline)) return new WarmUp(times.size(), last, true);
        }
        return new WarmUp(times.size(), times.get(times.size() - 1), false);
    }

    static double time(Call call) {
        long t0 = System.nanoTime();
        call.run();
        return (System.nanoTime() - t0) / 1e6;
    }

    private static final java.lang.management.ThreadMXBean THREADS = java.lang.management.ManagementFactory.getThreadMXBean();

    /**
     * {@link #time(Call)}, and the call's thread CPU ms added to {@code cpu} (NaN where the JVM has no thread CPU
     * clock): what the per-layer sums, timed on that clock, are compared with (docs/timing.md, "Where the time goes").
     * The CPU clock is read outside the wall clock's interval.
     */
    static double time(Call call, List<Double> cpu) {
        boolean cpuClock = THREADS.isCurrentThreadCpuTimeSupported();
        long c0 = cpuClock ? THREADS.getCurrentThreadCpuTime() : 0;
        double wall = time(call);
        cpu.add(cpuClock ? (THREADS.getCurrentThreadCpuTime() - c0) / 1e6 : Double.NaN);
        return wall;
    }

    static TimingReport.Summary summary(List<Double> ms, List<Double> cpu, int batchSize) {
        TimingReport.Summary s = summary(ms, batchSize);
        return new TimingReport.Summary(s.medianMs(), s.q1Ms(), s.q3Ms(), s.examplesPerSecond(), Statistics.median(Statistics.array(cpu)));
    }

    static TimingReport.Summary summary(List<Double> ms, int batchSize) {
        double[] v = Statistics.array(ms);
        double median = Statistics.median(v);
        return new TimingReport.Summary(median, Statistics.quantile(v, 0.25), Statistics.quantile(v, 0.75), batchSize / (median / 1000.0));
    }
}
