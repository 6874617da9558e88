package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.probe.HealthProbe;
import dev.modelgate.probe.HeldOutProbe;
import dev.modelgate.probe.LayerTimingProbe;
import dev.modelgate.probe.SyntheticData;
import dev.modelgate.probe.NativeThreads;
import dev.modelgate.probe.Progress;
import dev.modelgate.probe.ProbeData;
import dev.modelgate.probe.TimingProbe;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.TimingReport;
import dev.modelgate.spec.ResolvedModel;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The measure stage: runs the probes on resolved models. Probes measure and never decide; the limits they are given
 * only tell the timing probe when its interval is clear of a limit, so that it may stop sampling early.
 */
final class Measurer {
    /**
     * Structure and health are deterministic for a file's content and the options: each distinct model is measured
     * once, however many checks compare against it (a baseline shared by many modifications). Timing is never
     * reused: it is always measured fresh and interleaved.
     */
    private final Map<String, ModelReport> measured = new ConcurrentHashMap<>();
    /** Across runs: the same measurements on disk (null: none). */
    private final MeasurementCache cache;
    /** The keys whose health probe ran in this JVM (not read from the cache): their training calls are warm here. */
    private final java.util.Set<String> probedHere = ConcurrentHashMap.newKeySet();

    Measurer(MeasurementCache cache) {
        this.cache = cache;
    }

    Optional<MeasurementCache> cache() { return Optional.ofNullable(cache); }

    /**
     * The structure with the model's health (activations, gradients, losses) added: what {@code inspect} shows. No
     * held-out evaluation: it compares two models, and one model alone has nothing to be compared with.
     */
    ModelReport health(ModelReport structure, ResolvedModel model, CheckOptions options) {
        return health(structure, model, options, MeasurementKey.of(model, options), false);
    }

    /**
     * @param measurementKey {@link MeasurementKey#of} the model and options, where the caller has it already
     * @param evaluate       whether to train and evaluate on held-out data (a rule judges it), where the model has data
     */
    ModelReport health(ModelReport structure, ResolvedModel model, CheckOptions options, String measurementKey, boolean evaluate) {
        int batch = options.batchFor(model);
        boolean evaluated = evaluate && model.data() != null;
        measurementKey = evaluated ? measurementKey + "+evaluation" : measurementKey;
        // The key is the content, not the path: an A/A check of two copies (or --against a revision that did not
        // change the file) measures the model once. What names the file (source, name, notes) is this model's own.
        ModelReport measuredOnce = measured.computeIfAbsent(measurementKey, key -> {
            if (cache != null) {
                Optional<ModelReport> hit = cache.get(key);
                if (hit.isPresent()) return hit.get();
            }
            ModelReport r = structure.withHealth(onAllCores(() -> HealthProbe.measure(model, options.iterations(), options.seed(), batch, options.inferenceBatch(),
                    Progress.stderr(options.progress()))));
            if (evaluated) {
                r = r.withEvaluation(onAllCores(() -> HeldOutProbe.measure(model, options.seed().orElse(EVALUATION_SEED), batch,
                        Progress.stderr(options.progress()))));
            }
            if (cache != null) cache.put(key, r);
            probedHere.add(key);
            return r;
        });
        return structure.withHealth(measuredOnce.health()).withEvaluation(measuredOnce.evaluation());
    }

    /** Whether the health probe of the model with this {@link MeasurementKey} trained it in this JVM (not a cache hit). */
    boolean probedHere(String measurementKey) {
        return probedHere.contains(measurementKey) || probedHere.contains(measurementKey + "+evaluation");
    }

    /**
     * The first seed of the held-out evaluation unless {@code --seed} gives one: the same for every model (not each
     * spec's own training seed), so that the two models of a check are trained and split seed by seed alike.
     */
    static final long EVALUATION_SEED = 1;

    /**
     * The health probe's (and the held-out evaluation's) numbers do not depend on the thread count, only its time does: it runs on every core, and
     * the timing after it on the threads it was configured with (NativeThreads: changed at run time).
     */
    private static <T> T onAllCores(java.util.function.Supplier<T> probe) {
        boolean switched = NativeThreads.cores() > NativeThreads.configured() && NativeThreads.set(NativeThreads.cores());
        try {
            return probe.get();
        } finally {
            if (switched) NativeThreads.set(NativeThreads.configured());
        }
    }

    /** "1" when the health probe ran on the same threads; "1; health probe 2" when it ran on all cores. */
    static String threads() {
        int timing = NativeThreads.configured(), health = Math.max(timing, NativeThreads.cores());
        return health == timing ? Environments.threads() : timing + "; health probe " + health;
    }

    /** Shares of {@code --time-budget}: the whole training iterations, then the inference calls; per-layer passes get the rest. */
    static final double TRAINING_SHARE = 0.6, INFERENCE_SHARE = 0.3;

    /**
     * Times both models in this process, interleaved; fresh networks, so the health probe's training does not carry
     * over. Both models see the same data wherever their shapes allow: same generator, same seed. The whole phase,
     * building the networks and warm-up included, ends within {@code --time-budget} (docs/timing.md): each step gets
     * its share and whatever an earlier step left.
     *
     * @param trainingLimit,inferenceLimit the ratios the timing rules judge against (for stopping early)
     * @param diff                         how the layers of the two models correspond: the per-layer table's rows
     * @param trainedHere                  the health probe has just trained both models in this JVM, at the timing
     *                                     batch: the same calls, so training's warm-up may be shorter
     *                                     ({@link TimingProbe.Settings#afterTheSameCalls})
     */
    static TimingReport time(ResolvedModel a, ResolvedModel b, List<LayerChange> diff, CheckOptions options, double trainingLimit, double inferenceLimit,
                             boolean trainedHere) {
        long start = System.nanoTime(), budget = (long) (options.timeBudget() * 1e9), end = start + budget;
        Network na = NetworkFactory.build(a, options.seed()), nb = NetworkFactory.build(b, options.seed());
        long seed = options.seed().orElse(b.spec().training().seed());
        int trainBatchA = options.batchFor(a), trainBatchB = options.batchFor(b);
        NativeThreads.set(NativeThreads.configured()); // timing: the configured threads (1 by default), whatever ran before
        Progress progress = Progress.stderr(options.progress());
        try {
            SyntheticData.Batch trainA = ProbeData.batch(a, trainBatchA, seed, 0), trainB = ProbeData.batch(b, trainBatchB, seed, 0);
            SyntheticData.Batch inferA = ProbeData.batch(a, options.inferenceBatch(), seed, 0), inferB = ProbeData.batch(b, options.inferenceBatch(), seed, 0);
            progress.phase("timing: training iterations at batch " + trainBatchB + ", interleaved pairs");
            TimingReport.Measurement training = TimingProbe.training(na, trainA, nb, trainB, trainBatchB, trainingLimit,
                    (trainedHere ? TimingProbe.Settings.TRAINING.afterTheSameCalls() : TimingProbe.Settings.TRAINING)
                            .withBudget(secondsUntil(start + (long) (budget * TRAINING_SHARE))), progress);
            progress.phase("timing: inference at batch " + options.inferenceBatch() + ", interleaved pairs");
            long inferenceEnd = Math.min(System.nanoTime() + (long) (budget * INFERENCE_SHARE), start + (long) (budget * (TRAINING_SHARE + INFERENCE_SHARE)));
            TimingReport.Measurement inference = TimingProbe.inference(na, inferA, nb, inferB, options.inferenceBatch(), inferenceLimit,
                    TimingProbe.Settings.INFERENCE.withBudget(secondsUntil(inferenceEnd)), progress);
            boolean perExample = trainBatchA != trainBatchB;
            TimingReport.LayerTimes layers = LayerTimingProbe.measure(na, trainA, inferA, nb, trainB, inferB, diff, training, inference,
                    perExample ? trainBatchA : 1, perExample ? trainBatchB : 1, end, progress);
            return new TimingReport(training, inference, threads(), layers);
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Dl4jErrors.translate(b, "timing", e);
        }
    }

    /** Seconds from now until {@code deadline} ({@link System#nanoTime()}), 0 when it has passed. */
    private static double secondsUntil(long deadline) {
        return Math.max(0, (deadline - System.nanoTime()) / 1e9);
    }
}
