package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.probe.HealthProbe;
import dev.modelgate.probe.InterleavedHealth;
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
        String key = key(model, measurementKey, evaluate);
        ModelReport once = known(key);
        if (once == null) once = onAllCores(() -> probe(key, structure, model, options, evaluate));
        return structure.withMeasurementsOf(once);
    }

    /**
     * Both models of a check, measured.
     *
     * @param interleaved whether their health probes were interleaved on one thread at the timing's threads
     *                    ({@link InterleavedHealth}) rather than run one after the other on every core: what the
     *                    report's thread setting says of the health probe
     * @param training    those iterations as the training timing's first pairs (null: none; {@link TimingProbe.Earlier#of})
     */
    record Both(ModelReport original, ModelReport modified, boolean interleaved, TimingProbe.Earlier training) {}

    /**
     * Both models' health: interleaved on one thread ({@link InterleavedHealth}) where both are to be measured here
     * (not one content twice, not remembered or cached); otherwise one after the other, each on every core.
     * Interleaved at the timing's threads, the health probes' training iterations are the training timing's first
     * pairs, which the timing then need not make. On this machine kind that costs the health probe little: the
     * LeNet pair's iterations took 137-168 ms side by side on the two cores and 75-104 ms one at a time on one
     * (2026-12-02). What is measured is what one after the other measures to float32 rounding
     * (HealthInterleavedTest): the random draws are seeded per iteration, each model's training memory is sized by
     * its own first iterations, alone, and only a reduction's order of summation differs with the thread count.
     *
     * @param originalMeasured told the original's report as soon as it is measured (a stopped check keeps it)
     */
    Both health(ModelReport sa, ResolvedModel a, String ka, ModelReport sb, ResolvedModel b, String kb, CheckOptions options, boolean evaluate,
                java.util.function.Consumer<ModelReport> originalMeasured) {
        String keyA = key(a, ka, evaluate), keyB = key(b, kb, evaluate);
        if (keyA.equals(keyB) || known(keyA) != null || known(keyB) != null) {
            ModelReport ra = health(sa, a, options, ka, evaluate);
            originalMeasured.accept(ra);
            return new Both(ra, health(sb, b, options, kb, evaluate), false, null);
        }
        boolean switched = NativeThreads.set(NativeThreads.configured());
        try {
            InterleavedHealth.Result r = InterleavedHealth.measure(a, options.batchFor(a), b, options.batchFor(b), options.iterations(), options.seed(),
                    options.inferenceBatch(), Progress.stderr(options.progress()));
            ModelReport ra = sa.withMeasurementsOf(kept(keyA, sa.withHealth(r.original()), a, options, evaluate));
            originalMeasured.accept(ra);
            if (r.modifiedFailure() != null) throw r.modifiedFailure();
            ModelReport rb = sb.withMeasurementsOf(kept(keyB, sb.withHealth(r.modified()), b, options, evaluate));
            return new Both(ra, rb, true, r.trainingPairs().orElse(null));
        } finally {
            if (switched) NativeThreads.set(NativeThreads.configured());
        }
    }

    /** The key a model's measurements are kept under: with "+evaluation" where held-out data is trained on too. */
    private static String key(ResolvedModel model, String measurementKey, boolean evaluate) {
        return evaluate && model.data() != null ? measurementKey + "+evaluation" : measurementKey;
    }

    /** The measurements under {@code key} measured before in this JVM or found in the cache (then kept); null where neither. */
    private ModelReport known(String key) {
        ModelReport r = measured.get(key);
        if (r == null && cache != null) {
            Optional<ModelReport> hit = cache.get(key);
            if (hit.isPresent()) {
                measured.putIfAbsent(key, hit.get());
                r = hit.get();
            }
        }
        return r;
    }

    /**
     * Runs the health probe (and the held-out evaluation where {@code key} says so) on the threads set now, and keeps
     * the result under {@code key}, in this JVM and in the cache. The key is the content, not the path: an A/A check of
     * two copies (or --against a revision that did not change the file) measures the model once.
     */
    private ModelReport probe(String key, ModelReport structure, ResolvedModel model, CheckOptions options, boolean evaluate) {
        ModelReport r = structure.withHealth(HealthProbe.measure(model, options.iterations(), options.seed(), options.batchFor(model), options.inferenceBatch(),
                Progress.stderr(options.progress())));
        return kept(key, r, model, options, evaluate);
    }

    /**
     * {@code r} (the health measured) with the held-out evaluation where {@code key} says so, kept under {@code key} in
     * this JVM and in the cache.
     */
    private ModelReport kept(String key, ModelReport r, ResolvedModel model, CheckOptions options, boolean evaluate) {
        int batch = options.batchFor(model);
        if (evaluate && model.data() != null) {
            r = r.withEvaluation(HeldOutProbe.measure(model, options.seed().orElse(EVALUATION_SEED), batch, Progress.stderr(options.progress())));
        }
        if (cache != null) cache.put(key, r);
        measured.putIfAbsent(key, r);
        probedHere.add(key);
        return measured.get(key);
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

    /**
     * "1" when the health probe ran on the same threads; "1; health probe 2" when it ran on all cores; "1; health
     * probes interleaved" when the two models' were interleaved at the timing's threads ({@link Both#interleaved}).
     */
    static String threads(boolean healthInterleaved) {
        int timing = NativeThreads.configured(), cores = NativeThreads.cores();
        if (healthInterleaved) return timing + "; health probes interleaved";
        int health = Math.max(timing, cores);
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
     * @param health                       how the health probes ran ({@link Both#interleaved}: the report says so) and
     *                                     the training pairs their interleaving gave ({@link Both#training}), or null
     */
    static TimingReport time(ResolvedModel a, ResolvedModel b, List<LayerChange> diff, CheckOptions options, double trainingLimit, double inferenceLimit,
                             boolean trainedHere, Both health) {
        boolean interleaved = health != null && health.interleaved();
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
                            .withBudget(secondsUntil(start + (long) (budget * TRAINING_SHARE))), progress, health == null ? null : health.training());
            progress.phase("timing: inference at batch " + options.inferenceBatch() + ", interleaved pairs");
            long inferenceEnd = Math.min(System.nanoTime() + (long) (budget * INFERENCE_SHARE), start + (long) (budget * (TRAINING_SHARE + INFERENCE_SHARE)));
            TimingReport.Measurement inference = TimingProbe.inference(na, inferA, nb, inferB, options.inferenceBatch(), inferenceLimit,
                    TimingProbe.Settings.INFERENCE.withBudget(secondsUntil(inferenceEnd)), progress);
            boolean perExample = trainBatchA != trainBatchB;
            TimingReport.LayerTimes layers = LayerTimingProbe.measure(na, trainA, inferA, nb, trainB, inferB, diff, training, inference,
                    perExample ? trainBatchA : 1, perExample ? trainBatchB : 1, end, progress);
            return new TimingReport(training, inference, threads(interleaved), layers);
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
