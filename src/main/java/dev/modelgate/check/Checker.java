package dev.modelgate.check;

import dev.modelgate.probe.StructureProbe;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.TimingReport;
import dev.modelgate.resolve.ResolvedPair;
import dev.modelgate.resolve.Resolver;
import dev.modelgate.rule.Evidence;
import dev.modelgate.rule.Judge;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Hdf5Reader;
import dev.modelgate.spec.ResolvedModel;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The core API, in this JVM: wires the stages of a check and nothing else. resolve ({@link Resolver}: load both
 * models, borrow a loss, plan the weight transfer, measure structure, match layers) -> guard ({@link MemoryGuard})
 * -> measure ({@link Measurer}: health, timing) -> judge ({@link Judge}) -> report ({@link CheckReport}). Bad input
 * surfaces as {@link dev.modelgate.error.BadInputException}; the caller decides how to show it.
 */
public final class Checker implements CheckRunner {
    static final String STATIC_SKIP = "--static: nothing was run";
    static final String TIMING_OFF = "not timed: both timing rules are off";
    static final String IDENTICAL = "not timed: both files are the same model (the same content and settings), measured once; "
            + "to measure timing noise, compare two files that differ (a comment is enough)";

    private final Thresholds thresholds;
    private final Judge judge;
    private final Measurer measurer;
    private final Hdf5Reader hdf5;
    /** Told each model's health as soon as it is measured (a worker passes it on, so that a stop loses none of it). */
    private volatile java.util.function.BiConsumer<String, ModelReport> measuredSoFar = (role, report) -> {};

    /** A checker that reads HDF5 files in this JVM: for a worker JVM, {@code --isolation none} and Java callers. */
    public Checker(Thresholds thresholds) {
        this(thresholds, null);
    }

    public Checker(Thresholds thresholds, MeasurementCache cache) {
        this(thresholds, cache, Hdf5Reader.IN_THIS_JVM);
    }

    /** @param hdf5 reads Keras HDF5 files (a worker JVM, see {@link Runners#hdf5Reader}); closed with this checker */
    public Checker(Thresholds thresholds, MeasurementCache cache, Hdf5Reader hdf5) {
        this.thresholds = thresholds;
        this.judge = new Judge(thresholds);
        this.measurer = new Measurer(cache);
        this.hdf5 = hdf5;
    }

    @Override
    public Hdf5Reader hdf5Reader() { return hdf5; }

    /** The roles {@link #reportMeasuredTo} names. */
    static final String ORIGINAL = "original", MODIFIED = "modified";

    /** {@code sink} is told each model's health ({@link #ORIGINAL} or {@link #MODIFIED}) as soon as it is measured. */
    void reportMeasuredTo(java.util.function.BiConsumer<String, ModelReport> sink) {
        this.measuredSoFar = sink;
    }

    @Override
    public void close() {
        hdf5.close();
    }

    public Optional<MeasurementCache> cache() { return measurer.cache(); }

    @Override
    public CheckReport check(Path original, Path modified, CheckOptions options) {
        Map<String, Long> phases = new LinkedHashMap<>();
        long t0 = System.nanoTime();
        ResolvedPair pair = Resolver.resolve(original, modified, options.given(), options.loss(), options.files(), hdf5);
        ResolvedModel a = pair.original(), b = pair.modified();
        if (!options.staticOnly()) {
            a.spec().trainableHead(); // a model that cannot be trained is said before anything is built
            b.spec().trainableHead();
            MemoryGuard.check(a, pair.originalStructure(), b, pair.modifiedStructure(), options);
        }
        long t1 = System.nanoTime();
        phases.put("loading", (t1 - t0) / 1_000_000);
        ModelReport ra = pair.originalStructure(), rb = pair.modifiedStructure();
        TimingReport timing = null;
        // Two files of one content are one model: its health is measured once (Measurer's key) and its time is not
        // compared with itself.
        boolean identical = false;
        Measurer.Both both;
        if (!options.staticOnly()) {
            String ka = MeasurementKey.of(a, options), kb = MeasurementKey.of(b, options); // each file read and hashed once
            identical = ka.equals(kb);
            both = measurer.health(ra, a, ka, rb, b, kb, options, judge.needsEvaluation(), r -> measuredSoFar.accept(ORIGINAL, r));
            ra = both.original();
            rb = both.modified();
            measuredSoFar.accept(MODIFIED, rb);
            long t2 = System.nanoTime();
            phases.put("health", (t2 - t1) / 1_000_000);
            if (judge.needsTiming() && !identical) {
                timing = Measurer.time(a, b, pair.diff(), options, thresholds.settings("training-time").get("max-ratio"),
                        thresholds.settings("inference-latency").get("max-ratio"), measurer.probedHere(ka) && measurer.probedHere(kb),
                        both);
                phases.put("timing", (System.nanoTime() - t2) / 1_000_000);
            }
        }
        long t3 = System.nanoTime();
        String skip = options.staticOnly() ? STATIC_SKIP : timing != null ? null
                : identical && judge.needsTiming() ? IDENTICAL : TIMING_OFF;
        List<RuleResult> results = Judge.failOn(judge.judge(new Evidence(ra, rb, pair.diff(), skip, timing)), options.failOn() == CheckOptions.FailOn.NEW);
        phases.put("rules", (System.nanoTime() - t3) / 1_000_000);
        return new CheckReport(ra, rb, pair.diff(), results, timing, Environments.here(options.staticOnly()), phases);
    }

    /**
     * The report of a check that a limit stopped while measuring: the structure, judged here (nothing built), and the
     * health measured before the stop (by role, {@link #ORIGINAL} and {@link #MODIFIED}; the modified model's only
     * with the original's, which its pre-existing marks compare with) judged by every rule it is enough for; the rules
     * the check did not get to are ERROR saying why ({@link RuleResult#notMeasured}).
     */
    CheckReport stopped(Path original, Path modified, CheckOptions options, Map<String, ModelReport> measured, String why) {
        long t0 = System.nanoTime();
        ResolvedPair pair = Resolver.resolve(original, modified, options.given(), options.loss(), options.files(), hdf5);
        ModelReport ra = pair.originalStructure(), rb = pair.modifiedStructure();
        ModelReport ma = measured.get(ORIGINAL), mb = measured.get(MODIFIED);
        if (ma != null) {
            ra = ra.withMeasurementsOf(ma);
            if (mb != null) rb = rb.withMeasurementsOf(mb);
        }
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("loading", (System.nanoTime() - t0) / 1_000_000);
        String notReached = "\u0000not reached"; // the reason the rules without their measurements skip with: replaced below
        List<RuleResult> results = judge.judge(new Evidence(ra, rb, pair.diff(), notReached, null)).stream()
                .map(r -> r.status() == dev.modelgate.report.Status.SKIP && notReached.equals(r.message()) ? RuleResult.notMeasured(r.rule(), r.severity(), why) : r)
                .toList();
        return new CheckReport(ra, rb, pair.diff(), Judge.failOn(results, options.failOn() == CheckOptions.FailOn.NEW), null,
                Environments.here(true), phases);
    }

    /** The structure of one model alone, and its health unless static: what {@code modelgate inspect} shows. */
    public static ModelReport inspect(Path model, CheckOptions options) {
        return inspect(model, options, Hdf5Reader.IN_THIS_JVM);
    }

    /** @param hdf5 reads Keras HDF5 files (a worker JVM, see {@link Runners#hdf5Reader}) */
    public static ModelReport inspect(Path model, CheckOptions options, Hdf5Reader hdf5) {
        ResolvedModel m = Resolver.resolve(model, options.given(), options.loss(), options.files(), hdf5);
        ModelReport r = StructureProbe.measure(m);
        if (options.staticOnly()) return r;
        m.spec().trainableHead();
        MemoryGuard.check(m, r, null, null, options);
        return new Measurer(null).health(r, m, options);
    }
}
