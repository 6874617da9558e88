package dev.modelgate.check;

import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.ModelRunException;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.probe.HealthProbe;
import dev.modelgate.probe.LayerMatcher;
import dev.modelgate.probe.MemoryEstimate;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.probe.ProbeData;
import dev.modelgate.probe.TimingProbe;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Evidence;
import dev.modelgate.rule.Rule;
import dev.modelgate.rule.RuleRegistry;
import dev.modelgate.rule.RuntimeRule;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.KerasReader;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The core API: measures an original and a modified model, applies every rule to the modified one and returns the
 * report. Bad input surfaces as {@link dev.modelgate.spec.SpecException} or {@link ModelRunException}; the caller
 * decides how to show it.
 */
public final class Checker implements CheckRunner {
    static final String STATIC_SKIP = "--static: nothing was run";
    static final String TIMING_OFF = "not timed: both timing rules are off";

    private final Thresholds thresholds;
    /**
     * Structure and health are deterministic for a file's content and the options: a Checker measures each distinct
     * model once, however many checks compare against it (a baseline shared by many modifications). Timing is never
     * reused: it is always measured fresh and interleaved.
     */
    private final Map<String, ModelReport> measured = new java.util.concurrent.ConcurrentHashMap<>();
    /** Across runs: the same measurements on disk (null: none). */
    private final MeasurementCache cache;

    public Checker(Thresholds thresholds) {
        this(thresholds, null);
    }

    public Checker(Thresholds thresholds, MeasurementCache cache) {
        this.thresholds = thresholds;
        this.cache = cache;
    }

    public java.util.Optional<MeasurementCache> cache() { return java.util.Optional.ofNullable(cache); }

    @Override
    public CheckReport check(Path original, Path modified, CheckOptions options) {
        Map<String, Long> phases = new java.util.LinkedHashMap<>();
        long t0 = System.nanoTime();
        ResolvedModel a0 = load(original, options), b0 = load(modified, options);
        // A Keras model saved without a training config has no loss; it borrows the other model's, so that both
        // train on the same objective, before falling back to one assumed from its activation.
        ResolvedModel a = a0.spec().lossAssumed() && !b0.spec().lossAssumed() ? load(original, options, lossOf(b0, "the modified model")) : a0;
        ResolvedModel b1 = b0.spec().lossAssumed() && !a0.spec().lossAssumed() ? load(modified, options, lossOf(a0, "the original model")) : b0;
        ModelReport sa = StructureProbe.measure(a), sb0 = StructureProbe.measure(b1);
        ResolvedModel b = b1.spec().initFromOriginal() ? withTransfer(a, sa, b1, sb0) : b1;
        ModelReport sb = b == b1 ? sb0 : sb0.withNotes(b.spec().notes()); // the same structure, with the transfer's note
        if (!options.staticOnly()) guardMemory(a, sa, b, sb, options);
        long t1 = System.nanoTime();
        phases.put("loading", (t1 - t0) / 1_000_000);
        ModelReport ra = options.staticOnly() ? sa : measured.computeIfAbsent(key(a, original, options), k -> healthCached(k, sa, a, options));
        ModelReport rb = options.staticOnly() ? sb : measured.computeIfAbsent(key(b, modified, options), k -> healthCached(k, sb, b, options));
        long t2 = System.nanoTime();
        if (!options.staticOnly()) phases.put("health", (t2 - t1) / 1_000_000);
        List<LayerChange> diff = LayerMatcher.match(ra.layers(), rb.layers());
        TimingReport timing = options.staticOnly() || !timed() ? null : time(a, b, options);
        long t3 = System.nanoTime();
        if (timing != null) phases.put("timing", (t3 - t2) / 1_000_000);
        String skip = options.staticOnly() ? STATIC_SKIP : timing == null ? TIMING_OFF : null;
        Evidence evidence = new Evidence(ra, rb, diff, skip, timing);
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : RuleRegistry.build(thresholds)) {
            if (rule.severity() == Severity.OFF) {
                results.add(RuleResult.skip(rule.id(), rule.metadata().defaultSeverity(), "turned off in the config (severity: off)"));
                continue;
            }
            List<RuleResult> found = rule.evaluate(evidence);
            if (rule instanceof RuntimeRule r && r.judgesOneModel() && ra.health() != null) {
                found = markPreExisting(found, rule.evaluate(evidence.alone(ra)), diff);
            }
            results.addAll(found);
        }
        phases.put("rules", (System.nanoTime() - t3) / 1_000_000);
        return new CheckReport(CheckReport.SCHEMA, Verdict.of(results), options.staticOnly() ? "static" : "run", ra, rb, diff,
                results, timing, environment(options), phases);
    }

    /** The structure of one model alone, and its health unless static: what {@code modelgate inspect} shows. */
    public static ModelReport inspect(Path model, CheckOptions options) {
        return measure(load(model, options), options);
    }

    /**
     * {@code init: from-original}: each modified layer matched to an original layer with the same type, input and
     * output shapes and parameter count starts from the original's parameters (its trained ones for a model zip or
     * HDF5 file); the rest initialize as configured. Which is which goes into the modified model's notes.
     */
    static ResolvedModel withTransfer(ResolvedModel original, ModelReport so, ResolvedModel modified, ModelReport sm) {
        Map<String, String> copied = new java.util.LinkedHashMap<>();
        List<String> fresh = new ArrayList<>();
        for (LayerChange c : LayerMatcher.match(so.layers(), sm.layers())) {
            if (c.modified() == null) continue;
            var m = sm.layer(c.modified()).orElseThrow();
            if (m.params() == 0) continue;
            var o = c.original() == null ? null : so.layer(c.original()).orElse(null);
            if (o != null && o.type().equals(m.type()) && o.params() == m.params() && o.inputShapes().equals(m.inputShapes())
                    && o.outputShape().equals(m.outputShape())) {
                copied.put(m.name(), o.name());
            } else {
                fresh.add(m.name() + (o == null ? " (new)" : " (" + (o.type().equals(m.type()) ? "shape" : "type") + " differs)"));
            }
        }
        String from = original.spec().weights() != null ? "trained weights of " + original.spec().source().getFileName()
                : "initial weights of " + original.spec().source().getFileName() + ", which has no trained weights";
        String note = "init: from-original: " + (copied.isEmpty() ? "no layer" : String.join(", ", copied.keySet())) + (copied.size() == 1 ? " starts" : " start") + " from the " + from
                + (fresh.isEmpty() ? "" : "; initialized as configured: " + String.join(", ", fresh));
        return modified.withTransfer(new ResolvedModel.Transfer(original, copied), modified.spec().withNote(note, modified.spec().lossAssumed()));
    }

    private static ResolvedModel load(Path file, CheckOptions options) {
        return load(file, options, options.loss().map(l -> new KerasReader.LossChoice(l, "from --loss")).orElse(KerasReader.LossChoice.NONE));
    }

    private static ResolvedModel load(Path file, CheckOptions options, KerasReader.LossChoice loss) {
        return ModelLoader.loadResolved(file, options.inputShape(), loss);
    }

    private static KerasReader.LossChoice lossOf(ResolvedModel other, String which) {
        String loss = ((dev.modelgate.spec.LayerOp.Output) other.spec().output().op()).loss();
        return new KerasReader.LossChoice(loss, "from " + which + ", " + other.spec().source().getFileName());
    }

    /**
     * Refuses, before anything is allocated, a run that would need more memory than allowed: each model alone (the
     * health probe builds one at a time) and both together (timing holds both).
     */
    static void guardMemory(ResolvedModel a, ModelReport sa, ResolvedModel b, ModelReport sb, CheckOptions o) {
        MemoryEstimate ea = estimate(a, sa, o), eb = b == null ? null : estimate(b, sb, o);
        for (var e : eb == null ? List.of(java.util.Map.entry(a, ea)) : List.of(java.util.Map.entry(a, ea), java.util.Map.entry(b, eb))) {
            if (e.getValue().total() > o.maxMemory()) {
                throw new dev.modelgate.spec.SpecException(e.getKey().spec().source(), null, "", "training needs about "
                        + MemoryEstimate.human(e.getValue().total()) + " (" + e.getValue().describe() + ") at batch "
                        + e.getKey().spec().training().batchSize() + ", more than the " + MemoryEstimate.human(o.maxMemory())
                        + " allowed (--max-memory; default half of this machine's memory); nothing was allocated");
            }
        }
        if (eb != null && ea.total() + eb.total() > o.maxMemory()) {
            throw new dev.modelgate.spec.SpecException(b.spec().source(), null, "", "timing holds both models: about "
                    + MemoryEstimate.human(ea.total() + eb.total()) + ", more than the " + MemoryEstimate.human(o.maxMemory())
                    + " allowed (--max-memory); nothing was allocated");
        }
    }

    private static MemoryEstimate estimate(ResolvedModel m, ModelReport s, CheckOptions o) {
        return MemoryEstimate.of(m, s, Math.max(m.spec().training().batchSize(), o.inferenceBatch()));
    }

    private static ModelReport measure(ResolvedModel model, CheckOptions options) {
        ModelReport r = StructureProbe.measure(model);
        if (!options.staticOnly()) guardMemory(model, r, null, null, options);
        return options.staticOnly() ? r : withHealth(r, model, options);
    }

    private static ModelReport withHealth(ModelReport structure, ResolvedModel model, CheckOptions options) {
        return structure.withHealth(HealthProbe.measure(model, options.iterations(), options.seed()));
    }

    private ModelReport healthCached(String key, ModelReport structure, ResolvedModel model, CheckOptions options) {
        if (cache != null) {
            java.util.Optional<ModelReport> hit = cache.get(key);
            if (hit.isPresent()) return hit.get();
        }
        ModelReport r = withHealth(structure, model, options);
        if (cache != null) cache.put(key, r);
        return r;
    }

    /**
     * What a model's structure and health depend on: the file (path and content), the CSV data it reads, the input
     * shape, seed and iterations, the backend, and modelgate's version. A hash of all of it names the measurement.
     */
    static String key(ResolvedModel model, Path file, CheckOptions o) {
        try {
            java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(file.toAbsolutePath().normalize().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            md.update(java.nio.file.Files.readAllBytes(file));
            if (model.spec().data() != null) md.update(java.nio.file.Files.readAllBytes(model.spec().data().csv()));
            if (model.transfer() != null) {
                // Its starting weights come from the original: a different original is a different measurement.
                md.update(key(model.transfer().original(), model.transfer().original().spec().source(), o).getBytes(java.nio.charset.StandardCharsets.UTF_8));
                md.update(model.transfer().layers().toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
            md.update(("|" + model.input() + "|" + model.spec().channelsLast() + "|" + ((dev.modelgate.spec.LayerOp.Output) model.spec().output().op()).loss()
                    + "|" + o.seed() + "|" + o.iterations() + "|" + BackendProbe.load().backend() + "|" + Version.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.io.IOException | java.security.NoSuchAlgorithmException e) {
            return file + "|" + System.nanoTime(); // unreadable now: measure, do not reuse
        }
    }

    private boolean timed() {
        return thresholds.settings("training-time").severity() != Severity.OFF || thresholds.settings("inference-latency").severity() != Severity.OFF;
    }

    /** Times both models in this process, interleaved; fresh networks, so the health probe's training does not carry over. */
    private TimingReport time(ResolvedModel a, ResolvedModel b, CheckOptions options) {
        Network na = build(a, options), nb = build(b, options);
        long seed = options.seed().orElse(b.spec().training().seed());
        int trainBatchA = a.spec().training().batchSize(), trainBatchB = b.spec().training().batchSize();
        try {
            // Both models see the same data wherever their shapes allow: same generator, same seed.
            TimingReport.Measurement training = TimingProbe.training(na, ProbeData.batch(a, trainBatchA, seed, 0), nb,
                    ProbeData.batch(b, trainBatchB, seed, 0), trainBatchB, thresholds.settings("training-time").get("max-ratio"),
                    TimingProbe.Settings.TRAINING.withBudget(options.timeBudget() * 2 / 3));
            TimingReport.Measurement inference = TimingProbe.inference(na, ProbeData.batch(a, options.inferenceBatch(), seed, 0), nb,
                    ProbeData.batch(b, options.inferenceBatch(), seed, 0), options.inferenceBatch(),
                    thresholds.settings("inference-latency").get("max-ratio"), TimingProbe.Settings.INFERENCE.withBudget(options.timeBudget() / 3));
            return new TimingReport(training, inference, threads());
        } catch (ModelRunException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Dl4jErrors.translate(b, "timing", e);
        }
    }

    private static Network build(ResolvedModel m, CheckOptions options) {
        return NetworkFactory.build(m, options.seed());
    }

    /**
     * A violation the original model has too, at the same layer (matched by the layer diff) or model-wide, is marked
     * pre-existing: still reported and still counted, but shown as not introduced by this change.
     */
    static List<RuleResult> markPreExisting(List<RuleResult> modified, List<RuleResult> original, List<LayerChange> diff) {
        Map<String, String> originalName = new HashMap<>();
        for (LayerChange c : diff) if (c.modified() != null && c.original() != null) originalName.put(c.modified(), c.original());
        List<RuleResult> out = new ArrayList<>();
        for (RuleResult r : modified) {
            boolean violation = r.status() == Status.FAIL || r.status() == Status.WARN;
            String where = r.layer() == null ? null : originalName.get(r.layer());
            boolean before = violation && original.stream().anyMatch(o -> (o.status() == Status.FAIL || o.status() == Status.WARN)
                    && (r.layer() == null ? o.layer() == null : Objects.equals(where, o.layer())));
            out.add(before ? r.asPreExisting() : r);
        }
        return out;
    }

    static String threads() {
        String threads = System.getenv("OMP_NUM_THREADS");
        return threads == null ? "default (OMP_NUM_THREADS unset)" : threads;
    }

    /**
     * Where the models ran: the backend ND4J actually loaded (read, not assumed), the device (CPU model or GPU name),
     * the thread setting of the JVM that ran them, and library versions. In a JVM whose checks ran in worker JVMs (an
     * audit's own report), that is what the newest worker reported, without loading ND4J here (only when no check
     * reached a worker is it loaded here to answer). Static runs load nothing: backend "none (static)", this machine's CPU.
     */
    public static Environment environment(CheckOptions options) {
        String java = System.getProperty("java.version"), os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        if (options.staticOnly()) {
            return new Environment("none (static)", BackendProbe.cpuDevice(), threads(), java, os, Version.get(), BackendProbe.staticLibraries());
        }
        java.util.Optional<BackendProbe.Loaded> worker = WorkerRunner.reported();
        BackendProbe.Loaded l = worker.isPresent() && !BackendProbe.loadedHere() ? worker.get() : BackendProbe.load();
        return new Environment(l.backend(), l.device(), l.threads() == null ? threads() : l.threads(), java, os, Version.get(), l.libraries());
    }
}
