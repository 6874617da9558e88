package dev.modelgate.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Interleaved timing of the original and the modified model: one training iteration and one inference call.
 *
 * @param threads the OMP_NUM_THREADS setting the timing ran with
 * @param layers  where the time goes, layer by layer; null where not measured (reports written before it was)
 */
public record TimingReport(Measurement training, Measurement inference, String threads, LayerTimes layers) {

    /**
     * The level of a timing ratio's interval: 1 - 0.05 / 5, so that the protocol's five looks at it together err at
     * most 5% of the time (docs/timing.md, "The protocol").
     */
    public static final double INTERVAL_LEVEL = 0.99;
    /** What reports call that interval (check.mustache and report.js spell it out: keep them in step). */
    public static final String INTERVAL = "99% CI";
    /**
     * The close-call band, relative: an interval that contains the limit and lies within 5% of it on both sides ends
     * sampling, borderline (docs/timing.md, "The protocol"). Two runs of the same pair agree no closer than that
     * (A/A ratios 0.935-1.060 over ten runs of a family; the LeNet pair's inference 1.465-1.549 over five runs whose
     * own intervals were 2-3% wide), so sampling on to the last look bought a narrower interval and no more
     * reproducible verdict: the LeNet pair's inference, at its limit, took 640 pairs in 4 of 5 runs.
     */
    public static final double CLOSE_CALL = 0.05;

    /** Whether {@code [low, high]} contains {@code limit} and lies within {@link #CLOSE_CALL} of it on both sides. */
    public static boolean closeCall(double low, double high, double limit) {
        return low <= limit && high > limit && low >= limit / (1 + CLOSE_CALL) && high <= limit * (1 + CLOSE_CALL);
    }

    public TimingReport(Measurement training, Measurement inference, String threads) {
        this(training, inference, threads, null);
    }

    public TimingReport withLayers(LayerTimes layers) {
        return new TimingReport(training, inference, threads, layers);
    }

    /**
     * One operation timed on both models.
     *
     * @param batchSize     examples per call
     * @param original      milliseconds per call of the original, per sample
     * @param ratio         median of the per-block ratios modified / original (each ABBA block: the faster of the
     *                      modified model's two calls over the faster of the original's)
     * @param ratioLow,ratioHigh bootstrap confidence interval of that median at {@link #INTERVAL_LEVEL}
     * @param pairs         interleaved pairs used
     * @param warmupCalls   calls made to each model before measuring
     * @param borderline    the interval still contained the threshold at the protocol's last look
     * @param budgetCut     how the time budget cut sampling short (fewer pairs than the minimum, warm-up not steady);
     *                      null when it did not
     * @param healthPairs   of the pairs, those that were the health probes' own training iterations, taking turns
     *                      (0 for inference, and where the health probes did not take turns)
     */
    public record Measurement(String operation, int batchSize, Summary original, Summary modified, double ratio,
                              double ratioLow, double ratioHigh, int pairs, int warmupCalls, boolean borderline, BudgetCut budgetCut,
                              int healthPairs) {

        public Measurement(String operation, int batchSize, Summary original, Summary modified, double ratio,
                           double ratioLow, double ratioHigh, int pairs, int warmupCalls, boolean borderline) {
            this(operation, batchSize, original, modified, ratio, ratioLow, ratioHigh, pairs, warmupCalls, borderline, null, 0);
        }

        /**
         * How the operation of a training measurement per example begins (the two models train at different batch
         * sizes: the columns are milliseconds per example, the ratio per example); the rest names the batches.
         */
        public static final String PER_EXAMPLE = "training time per example";

        /** Whether the summaries and the ratio are per example rather than per call (the operation says so, in JSON too). */
        public boolean perExample() {
            return operation.startsWith(PER_EXAMPLE);
        }
    }

    /**
     * The time budget ended an operation's sampling before the protocol had its minimum.
     *
     * @param budgetSeconds the operation's share of {@code --time-budget}
     * @param minPairs      the pairs the protocol wants before its interval may decide
     * @param warmUpCut     a model's warm-up was stopped before its call time was steady
     */
    public record BudgetCut(double budgetSeconds, int minPairs, boolean warmUpCut) {}

    /**
     * Milliseconds per call: median and interquartile range, and examples per second at the median.
     *
     * @param cpuMedianMs the median of the calls' thread CPU ms (NaN where not measured): with one native thread, the
     *                    work itself, without the waits a loaded machine adds to the wall time
     */
    public record Summary(double medianMs, double q1Ms, double q3Ms, double examplesPerSecond, double cpuMedianMs) {
        public Summary(double medianMs, double q1Ms, double q3Ms, double examplesPerSecond) {
            this(medianMs, q1Ms, q3Ms, examplesPerSecond, Double.NaN);
        }
    }

    /**
     * Per-layer time of both models (docs/timing.md, "Where the time goes"), from passes a layer at a time timed in
     * their own interleaved pairs, and how the per-layer sum compares with the whole call.
     *
     * @param training  the training pass (forward and, where measured, backward per layer) against the training iteration
     * @param inference the inference forward pass against the inference call
     * @param layers    the layers of both models in the order of the layer diff, each with its shares of the change
     * @param elapsedMs what measuring them took (the per-layer passes of both operations, warm-up passes included)
     */
    public record LayerTimes(LayerSum training, LayerSum inference, List<LayerTime> layers, long elapsedMs) {
        public LayerTimes {
            layers = List.copyOf(layers);
        }

        /**
         * The layers accounting for most of the added time of one operation: largest share first, until they
         * account for at least {@code enough} of it, at most {@code max} layers; empty when no time was added.
         */
        public List<LayerTime> mainContributors(boolean trainingPass, double enough, int max) {
            Function<LayerTime, Double> share = trainingPass ? LayerTime::share : LayerTime::inferenceShare;
            List<LayerTime> sorted = new ArrayList<>(layers.stream().filter(l -> share.apply(l) != null && share.apply(l) > 0).toList());
            sorted.sort(Comparator.comparing(share).reversed());
            List<LayerTime> out = new ArrayList<>();
            double sum = 0;
            for (LayerTime l : sorted) {
                if (out.size() >= max || sum >= enough) break;
                out.add(l);
                sum += share.apply(l);
            }
            return out;
        }

        /** The layers by added training time, most first: what the reports' "Time per layer" table lists. */
        public List<LayerTime> byAddedTime() {
            List<LayerTime> sorted = new ArrayList<>(layers);
            sorted.sort(Comparator.comparingDouble(LayerTime::addedMs).reversed());
            return sorted;
        }
    }

    /**
     * One pass's per-layer sum against the whole call, in milliseconds per call (per example where the whole-call
     * measurement is per example). The gap is what the layers' own time leaves out: DL4J's loss and score, the
     * optimizer's update, workspace handling; negative where the layer-by-layer pass is slower than DL4J's own.
     *
     * @param pass    what was timed per layer, e.g. "forward + backward in training mode, batch 32"
     * @param pairs   interleaved pairs of per-layer passes measured
     * @param originalMs,modifiedMs the sum of each model's per-layer times (each the fastest of its passes)
     * @param wholeOriginalMs,wholeModifiedMs the whole call's median from the interleaved timing, on the per-layer
     *                      times' clock: thread CPU where the pass says so (the wall medians are in the measurement)
     */
    public record LayerSum(String pass, int pairs, double originalMs, double modifiedMs, double wholeOriginalMs, double wholeModifiedMs) {
        public double originalGapMs() { return wholeOriginalMs - originalMs; }

        public double modifiedGapMs() { return wholeModifiedMs - modifiedMs; }
    }

    /**
     * One layer's time in both models, the fastest of its passes (LayerTimingProbe). Times are null where a model lacks
     * the layer (an added layer has no original time), and ratio and share where they have no meaning.
     *
     * @param change              the layer diff's kind: unchanged, changed, added, removed
     * @param originalMs,modifiedMs the training pass: forward, plus backward where measured
     * @param ratio               modified / original
     * @param share               this layer's part of the change of the per-layer sum (0.78: 78% of the added time)
     * @param originalBackwardMs,modifiedBackwardMs the backward part of originalMs and modifiedMs; null where not measured
     * @param inferenceOriginalMs,inferenceModifiedMs,inferenceRatio,inferenceShare the same for the inference pass
     */
    public record LayerTime(String layer, String change, Double originalMs, Double modifiedMs, Double ratio, Double share,
                            Double originalBackwardMs, Double modifiedBackwardMs,
                            Double inferenceOriginalMs, Double inferenceModifiedMs, Double inferenceRatio, Double inferenceShare) {
        /** Training-pass milliseconds the change added at this layer (negative: saved). */
        public double addedMs() {
            return (modifiedMs == null ? 0 : modifiedMs) - (originalMs == null ? 0 : originalMs);
        }
    }
}
