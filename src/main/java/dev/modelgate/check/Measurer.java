package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.probe.HealthProbe;
import dev.modelgate.probe.ProbeData;
import dev.modelgate.probe.TimingProbe;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.TimingReport;
import dev.modelgate.spec.ResolvedModel;

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

    Measurer(MeasurementCache cache) {
        this.cache = cache;
    }

    Optional<MeasurementCache> cache() { return Optional.ofNullable(cache); }

    /** The structure with the model's health (activations, gradients, losses) added. */
    ModelReport health(ModelReport structure, ResolvedModel model, CheckOptions options) {
        return measured.computeIfAbsent(MeasurementKey.of(model, options), key -> {
            if (cache != null) {
                Optional<ModelReport> hit = cache.get(key);
                if (hit.isPresent()) return hit.get().withSource(structure.source()).withNotes(structure.notes());
            }
            ModelReport r = structure.withHealth(HealthProbe.measure(model, options.iterations(), options.seed()));
            if (cache != null) cache.put(key, r);
            return r;
        });
    }

    /**
     * Times both models in this process, interleaved; fresh networks, so the health probe's training does not carry
     * over. Both models see the same data wherever their shapes allow: same generator, same seed.
     *
     * @param trainingLimit,inferenceLimit the ratios the timing rules judge against (for stopping early)
     */
    static TimingReport time(ResolvedModel a, ResolvedModel b, CheckOptions options, double trainingLimit, double inferenceLimit) {
        Network na = NetworkFactory.build(a, options.seed()), nb = NetworkFactory.build(b, options.seed());
        long seed = options.seed().orElse(b.spec().training().seed());
        int trainBatchA = a.spec().training().batchSize(), trainBatchB = b.spec().training().batchSize();
        try {
            TimingReport.Measurement training = TimingProbe.training(na, ProbeData.batch(a, trainBatchA, seed, 0), nb,
                    ProbeData.batch(b, trainBatchB, seed, 0), trainBatchB, trainingLimit,
                    TimingProbe.Settings.TRAINING.withBudget(options.timeBudget() * 2 / 3));
            TimingReport.Measurement inference = TimingProbe.inference(na, ProbeData.batch(a, options.inferenceBatch(), seed, 0), nb,
                    ProbeData.batch(b, options.inferenceBatch(), seed, 0), options.inferenceBatch(), inferenceLimit,
                    TimingProbe.Settings.INFERENCE.withBudget(options.timeBudget() / 3));
            return new TimingReport(training, inference, Environments.threads());
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Dl4jErrors.translate(b, "timing", e);
        }
    }
}
