package dev.modelgate.probe;

import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.MemoryUse;
import dev.modelgate.spec.LayerOp;
import dev.modelgate.spec.Node;
import dev.modelgate.spec.ResolvedModel;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Trains one model for a few iterations with its own optimizer on one fixed batch (seeded synthetic data, or the
 * rows of its data in a seeded shuffle) and records what the interview's health thresholds are about: every layer's
 * activations (at initialization and after training), every layer's gradients at every iteration, the loss, and
 * NaN/Inf anywhere. One fixed batch, not a fresh one per iteration: a model that can learn memorizes a small batch,
 * so its loss curve says whether it still learns (the {@code learning} rule); over fresh random batches with random
 * labels every model's curve is flat noise.
 *
 * <p>Gradients are recorded when DL4J has computed them and before the optimizer uses them (so before gradient
 * clipping), and divided by the batch size: DL4J's raw gradients are sums over the minibatch, which would make any
 * fixed threshold depend on the batch size.
 */
public final class HealthProbe {
    /**
     * The iterations whose workspaces are the training memory: the first two, which each model makes alone where two
     * health probes are interleaved on one thread (workspaces belong to the thread and are shared by name between
     * networks, so later ones hold the larger of the two models' needs). One probe alone measures the same, so that a
     * model's figures do not depend on how it was probed (or on the measurement cache). DL4J can grow its workspaces
     * over later iterations: the zoo ResNet-50 at batch 8 held 611 MB after 2 iterations, 677 MB after 3 and 703 MB
     * after 5 and 10 (2026-12-02; docs/rules.md, "Measured peak memory").
     */
    public static final int MEMORY_ITERATIONS = 2;

    /** Batch-norm running statistics travel as pseudo-gradients in DL4J; they are not gradients. */
    private static final Set<String> NOT_GRADIENTS = Set.of("mean", "var", "log10stdev");
    /** Parameters that are not weights: biases and batch-norm scale and shift. */
    private static final Set<String> NOT_WEIGHTS = Set.of("b", "gamma", "beta");

    private HealthProbe() {}

    public static HealthReport measure(ResolvedModel model, int iterations, OptionalLong seedOverride) {
        return measure(model, iterations, seedOverride, model.spec().training().batchSize(), Progress.NONE);
    }

    /**
     * @param batchSize examples per training iteration and in the activation batch (the spec's own unless
     *                  {@code --batch-size} says otherwise)
     */
    public static HealthReport measure(ResolvedModel model, int iterations, OptionalLong seedOverride, int batchSize, Progress progress) {
        return measure(model, iterations, seedOverride, batchSize, 1, progress);
    }

    /**
     * @param inferenceBatch examples per inference call whose peak memory is measured ({@code --inference-batch})
     */
    public static HealthReport measure(ResolvedModel model, int iterations, OptionalLong seedOverride, int batchSize, int inferenceBatch,
                                       Progress progress) {
        Run run = Run.start(model, iterations, seedOverride, batchSize, inferenceBatch, progress);
        while (run.next()) run.iterate();
        return run.finish();
    }

    /**
     * One model's health probe step by step, so that two can be interleaved on one thread ({@link InterleavedHealth}):
     * {@link #start} (the network, its activations at initialization), {@link #iterate} once per training iteration,
     * {@link #finish} (its trained activations and memory). Each step translates DL4J's failures as the whole probe does.
     */
    public static final class Run {
        private final ResolvedModel model;
        private final int iterations, batchSize, inferenceBatch;
        private final long seed;
        private final String name;
        private final Progress progress;
        private final Network net;
        private final boolean batchStatistics;
        private final SyntheticData.Batch probe;
        private final List<ActivationStats> initial;
        private final long dl4jNonFinite;
        private final GradientRecorder recorder;
        private final List<Double> losses = new ArrayList<>();
        private long trainingWorkspaces;
        private int done;

        private Run(ResolvedModel model, int iterations, OptionalLong seedOverride, int batchSize, int inferenceBatch, Progress progress) {
            this.model = model;
            this.iterations = iterations;
            this.batchSize = batchSize;
            this.inferenceBatch = inferenceBatch;
            this.progress = progress;
            this.seed = seedOverride.orElse(model.spec().training().seed());
            this.name = model.spec().source() == null ? model.spec().name() : String.valueOf(model.spec().source().getFileName());
            progress.phase("health of " + name + ": " + iterations + " training iterations at batch " + batchSize);
            this.net = NetworkFactory.build(model, seedOverride);
            this.batchStatistics = !trainedStatistics(model);
            this.probe = ProbeData.batch(model, batchSize, seed, 0);
            this.initial = activations(model, net, probe.features(), batchStatistics);
            // NaN/Inf at initialization: is it DL4J's arithmetic or this probe's? DL4J's own forward pass of the same
            // batch, in the same batch-norm mode, says (dropout may differ; it does not make values non-finite).
            this.dl4jNonFinite = initial.stream().allMatch(ActivationStats::finite) ? -1 : nonFinite(net.output(batchStatistics, probe.features()));
            this.recorder = new GradientRecorder(net, batchSize);
            net.setListeners(recorder);
            MemoryProbe.startFromEmpty(); // training's workspaces sized by this model's iterations alone
        }

        /** Builds the network and takes its activations at initialization. */
        public static Run start(ResolvedModel model, int iterations, OptionalLong seedOverride, int batchSize, int inferenceBatch, Progress progress) {
            return translated(model, () -> new Run(model, iterations, seedOverride, batchSize, inferenceBatch, progress));
        }

        /** {@code step}'s result; DL4J's failures as one line that names the model (bad input passes as it is). */
        private static <T> T translated(ResolvedModel model, java.util.function.Supplier<T> step) {
            try {
                return step.get();
            } catch (BadInputException e) {
                throw e;
            } catch (RuntimeException e) {
                throw Dl4jErrors.translate(model, "running", e);
            }
        }

        /** Whether a training iteration is left. */
        public boolean next() {
            return done < iterations;
        }

        /** Iterations made so far. */
        public int done() {
            return done;
        }

        /**
         * One training iteration on the one fixed batch. Returns its time, wall and thread CPU ms (NaN where the JVM
         * has no thread CPU clock), DL4J's alone: this probe's gradient recording, which costs two models differently
         * (their gradients differ in size), is left out.
         */
        public double[] iterate() {
            int k = ++done;
            return translated(model, () -> {
                Nd4j.getRandom().setSeed(seed + k); // dropout draws from ND4J's global generator
                double recorded = recorder.wallMs, recordedCpu = recorder.cpuMs;
                List<Double> cpu = new ArrayList<>(1);
                double wall = TimingProbe.time(() -> net.fit(probe.features(), probe.labels()), cpu); // the one fixed batch, every iteration
                double wallMs = wall - (recorder.wallMs - recorded), cpuMs = cpu.get(0) - (recorder.cpuMs - recordedCpu);
                if (k <= MEMORY_ITERATIONS) trainingWorkspaces = Math.max(trainingWorkspaces, MemoryProbe.workspaceBytes());
                losses.add(net.score());
                progress.step("health of " + name + ": iteration " + k + " of " + iterations);
                return new double[] {wallMs, cpuMs}; // CPU NaN where the JVM has no thread CPU clock
            });
        }

        /** The trained activations and the memory: the report. */
        public HealthReport finish() {
            return translated(model, () -> {
                net.setListeners();
                List<ActivationStats> trained = activations(model, net, probe.features(), batchStatistics);
                long state = net.trainingStateBytes();
                long[] inference = MemoryProbe.inference(net, ProbeData.batch(model, inferenceBatch, seed, 0).features());
                MemoryUse memory = new MemoryUse(state + trainingWorkspaces + MemoryProbe.bytes(probe.features()) + MemoryProbe.bytes(probe.labels()),
                        inference[0], batchSize, inferenceBatch, state, trainingWorkspaces, inference[1], MemoryProbe.layers(model, net, batchSize));
                return new HealthReport(batchSize, iterations, initial, trained, recorder.result(model), losses,
                        nonFinite(net.params()), net.numParams(), dl4jNonFinite, memory);
            });
        }
    }

    /**
     * Whether the model's batch-norm running statistics are trained ones: loaded with its weights (a DL4J zip, a
     * Keras HDF5 file), or taken from such an original ({@code init: from-original}). Otherwise they are DL4J's
     * initial mean 0 and variance 1, which describe no data.
     */
    static boolean trainedStatistics(ResolvedModel model) {
        if (model.spec().weights() != null) return true;
        return model.transfer() != null && model.transfer().original().spec().weights() != null;
    }

    /** Every layer's output for {@code x}, in inference mode; see {@link #activations(ResolvedModel, Network, INDArray[], boolean)}. */
    static List<ActivationStats> activations(ResolvedModel model, Network net, INDArray[] x) {
        return activations(model, net, x, false);
    }

    /**
     * Every layer's output for {@code x}, summarized layer by layer as the forward pass goes (each output released
     * once read), in model order. Inference mode, except that with {@code batchStatistics} batch-norm layers
     * normalize with the batch's own mean and variance (DL4J's training-mode batch norm) instead of their running
     * statistics: an untrained model's running statistics are the initial ones, and judging them says nothing about
     * the model (docs/rules.md, activation-range).
     */
    static List<ActivationStats> activations(ResolvedModel model, Network net, INDArray[] x, boolean batchStatistics) {
        Map<String, String> saturating = new HashMap<>();
        for (Node n : model.spec().nodes()) saturating.put(n.name(), saturating(n.op()));
        Map<String, ActivationStats> byLayer = new HashMap<>();
        LayerwiseForward.run(net, x, l -> batchStatistics && l.layer() instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization,
                (layer, a) -> {
                    if (saturating.containsKey(layer)) byLayer.put(layer, stats(layer, a, saturating.get(layer)));
                });
        List<ActivationStats> out = new ArrayList<>();
        for (Node n : model.spec().nodes()) {
            ActivationStats s = byLayer.get(n.name());
            if (s != null) out.add(s);
        }
        return out;
    }

    /** "sigmoid" or "tanh" where the layer's activation has bounds a value can saturate against. */
    static String saturating(LayerOp op) {
        String act = null;
        if (op instanceof LayerOp.Dense d) act = d.activation();
        else if (op instanceof LayerOp.Conv2d c) act = c.activation();
        else if (op instanceof LayerOp.Lstm l) act = l.activation();
        else if (op instanceof LayerOp.Activation a) act = a.activation();
        else if (op instanceof LayerOp.SeparableConv2d c) act = c.activation();
        else if (op instanceof LayerOp.Deconv2d c) act = c.activation();
        else if (op instanceof LayerOp.DepthwiseConv2d c) act = c.activation();
        return "sigmoid".equals(act) || "tanh".equals(act) ? act : null;
    }

    /** One array's summary in its own precision (no copy to double unless it holds NaN/Inf): {@link Summaries}. */
    static ActivationStats stats(String layer, INDArray a, String saturating) {
        return Summaries.activation(layer, a, saturating);
    }

    static long nonFinite(INDArray a) {
        return Summaries.nonFinite(a);
    }

    /**
     * Collects each layer's gradient statistics at each iteration, as DL4J hands them to the optimizer, and the time
     * that takes: an iteration's time for the timing is DL4J's alone (the two models' gradients differ in size, so
     * this recording would cost them differently).
     */
    static final class GradientRecorder extends BaseTrainingListener {
        private final Network net;
        private final int batchSize;
        private final Map<String, List<Double>> weightL2 = new LinkedHashMap<>(), allL2 = new LinkedHashMap<>(), maxAbs = new LinkedHashMap<>(),
                weightMaxAbs = new LinkedHashMap<>();
        private final Map<String, Long> nonFinite = new HashMap<>();

        GradientRecorder(Network net, int batchSize) {
            this.net = net;
            this.batchSize = batchSize;
        }

        /** Wall and thread CPU ms spent recording, so far (CPU NaN where the JVM has no thread CPU clock). */
        double wallMs, cpuMs;
        private final List<Double> cpu = new ArrayList<>();

        @Override
        public void onGradientCalculation(Model model) {
            cpu.clear();
            wallMs += TimingProbe.time(() -> record(model), cpu);
            cpuMs += cpu.get(0);
        }

        private void record(Model model) {
            // per layer: weight sum of squares, all sum of squares, max abs, has weights, weight max abs
            Map<String, double[]> perLayer = new LinkedHashMap<>();
            for (Map.Entry<String, INDArray> e : model.gradient().gradientForVariable().entrySet()) {
                String[] key = net.splitGradientKey(e.getKey());
                if (NOT_GRADIENTS.contains(key[1])) continue;
                INDArray g = e.getValue(); // a view DL4J overwrites next pass: read now, keep nothing
                long bad = HealthProbe.nonFinite(g);
                if (bad > 0) nonFinite.merge(key[0], bad, Long::sum);
                double[] sqAbs = Summaries.squaresAndMaxAbs(g);
                double sq = sqAbs[0], abs = sqAbs[1];
                double[] acc = perLayer.computeIfAbsent(key[0], k -> new double[] {0, 0, 0, 0, 0});
                if (!NOT_WEIGHTS.contains(key[1])) {
                    acc[0] += sq;
                    acc[3] = 1;
                    acc[4] = Math.max(acc[4], abs);
                }
                acc[1] += sq;
                acc[2] = Math.max(acc[2], abs);
            }
            perLayer.forEach((layer, acc) -> {
                if (acc[3] > 0) {
                    weightL2.computeIfAbsent(layer, k -> new ArrayList<>()).add(Math.sqrt(acc[0]) / batchSize);
                    weightMaxAbs.computeIfAbsent(layer, k -> new ArrayList<>()).add(acc[4] / batchSize);
                }
                allL2.computeIfAbsent(layer, k -> new ArrayList<>()).add(Math.sqrt(acc[1]) / batchSize);
                maxAbs.computeIfAbsent(layer, k -> new ArrayList<>()).add(acc[2] / batchSize);
            });
        }

        List<LayerGradients> result(ResolvedModel model) {
            List<LayerGradients> out = new ArrayList<>();
            for (Node n : model.spec().nodes()) {
                if (!allL2.containsKey(n.name())) continue;
                out.add(new LayerGradients(n.name(), weightL2.getOrDefault(n.name(), List.of()), allL2.get(n.name()),
                        maxAbs.get(n.name()), weightMaxAbs.getOrDefault(n.name(), List.of()), nonFinite.getOrDefault(n.name(), 0L)));
            }
            return out;
        }
    }
}
