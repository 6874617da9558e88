package dev.modelgate.probe;

import dev.modelgate.model.Network;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.TimingReport;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Where the time goes: both models' per-layer time, from passes a layer at a time ({@link LayerPasses}) timed in
 * interleaved ABBA pairs of their own, after the whole-call timing (docs/timing.md, "Where the time goes"). They are a
 * phase of their own because a clock around every layer is not DL4J's own call: timed inside the whole-call pairs
 * they would change what those pairs measure. Layers of the two models are matched by the check's layer diff.
 */
public final class LayerTimingProbe {
    /** Pairs of per-layer passes wanted per operation (fewer when the time budget ends first; at least one). */
    public static final int TRAINING_PAIRS = 3, INFERENCE_PAIRS = 16;

    private LayerTimingProbe() {}

    /** Per-layer {forward ms, backward ms} of one pass, in model order. */
    @FunctionalInterface
    public interface Pass extends Supplier<Map<String, double[]>> {}

    /** Each model's passes, pair by pair. */
    record Samples(List<Map<String, double[]>> original, List<Map<String, double[]>> modified) {}

    /**
     * Both passes of both operations and their per-layer times matched by the diff.
     *
     * @param trainingScaleA,trainingScaleB divide each model's training-pass times by these (its batch size where the
     *                                      whole-call ratio is per example; 1 otherwise)
     * @param deadline                      {@link System#nanoTime()} by which the phase is to end
     */
    public static TimingReport.LayerTimes measure(Network a, SyntheticData.Batch trainA, SyntheticData.Batch inferA,
                                                  Network b, SyntheticData.Batch trainB, SyntheticData.Batch inferB,
                                                  List<LayerChange> diff, TimingReport.Measurement training, TimingReport.Measurement inference,
                                                  double trainingScaleA, double trainingScaleB, long deadline, Progress progress) {
        long now = System.nanoTime(), trainingDeadline = now + (deadline - now) * 2 / 3;
        progress.phase("timing: per-layer passes, interleaved pairs");
        int threads = NativeThreads.configured();
        LongSupplier clock = LayerPasses.clock(threads);
        Samples t = sample(() -> LayerPasses.training(a, trainA.features(), trainA.labels(), clock),
                () -> LayerPasses.training(b, trainB.features(), trainB.labels(), clock), TRAINING_PAIRS, trainingDeadline);
        Samples i = sample(() -> LayerPasses.inference(a, inferA.features(), clock), () -> LayerPasses.inference(b, inferB.features(), clock),
                INFERENCE_PAIRS, deadline);
        String time = LayerPasses.cpuClock(threads) ? ", thread CPU time" : ", wall time";
        Map<String, double[]> ta = fastest(t.original(), trainingScaleA), tb = fastest(t.modified(), trainingScaleB);
        Map<String, double[]> ia = fastest(i.original(), 1), ib = fastest(i.modified(), 1);
        boolean backward = ta.values().stream().anyMatch(v -> !Double.isNaN(v[1]));
        String pass = (backward ? "forward + backward in training mode" : "forward in training mode") + ", batch " + training.batchSize()
                + (trainingScaleB != 1 ? ", ms per example" : "") + time;
        boolean cpu = LayerPasses.cpuClock(threads);
        TimingReport.LayerSum trainingSum = new TimingReport.LayerSum(pass, t.original().size(), sum(ta), sum(tb),
                whole(training.original(), cpu), whole(training.modified(), cpu));
        TimingReport.LayerSum inferenceSum = new TimingReport.LayerSum("forward in inference mode, batch " + inference.batchSize() + time,
                i.original().size(), sum(ia), sum(ib), whole(inference.original(), cpu), whole(inference.modified(), cpu));
        return new TimingReport.LayerTimes(trainingSum, inferenceSum, match(diff, ta, tb, ia, ib, trainingSum, inferenceSum),
                (System.nanoTime() - now) / 1_000_000);
    }

    /**
     * ABBA pairs of passes until {@code pairs} are in or the next pair is expected to end after the deadline (at
     * least one pair). One untimed pass of the original first: the first layer-by-layer passes of a process were
     * 1.5-2.3x slower than later ones (JIT compilation of the layer loop, shared by both models: the modified model's
     * first passes were not slower), and it gives the first estimate of a pass's time.
     */
    static Samples sample(Pass a, Pass b, int pairs, long deadline) {
        List<Map<String, double[]>> sa = new ArrayList<>(), sb = new ArrayList<>();
        double lastA = timed(a, null), lastB = lastA;
        while (sa.size() < pairs) {
            if (!sa.isEmpty() && !fitsMs(lastA + lastB, deadline)) break;
            lastA = timed(a, sa);
            lastB = timed(b, sb);
            if (sa.size() >= pairs || !fitsMs(lastA + lastB, deadline)) break;
            lastB = timed(b, sb);
            lastA = timed(a, sa);
        }
        return new Samples(sa, sb);
    }

    private static boolean fitsMs(double ms, long deadline) {
        return TimingProbe.fits(ms, deadline);
    }

    /** Runs a pass, adds its per-layer times to {@code into} (unless null), and returns how long it took in ms. */
    private static double timed(Pass p, List<Map<String, double[]>> into) {
        long t0 = System.nanoTime();
        Map<String, double[]> ms = p.get();
        if (into != null) into.add(ms);
        return (System.nanoTime() - t0) / 1e6;
    }

    /**
     * Per layer: {the fastest forward + backward, the fastest backward (NaN where not measured)} over the passes,
     * divided by {@code scale}. The fastest, not the median: a pass the scheduler interrupts adds the time to whichever
     * layer was running, and with a few passes per model a median still takes such a layer's time on a loaded machine
     * (the LeNet pair at load average 11: conv2's share 63%-285% over 5 checks by medians). Noise of that kind only adds,
     * so the minimum is the estimate it cannot raise (the reasoning of Python's timeit).
     */
    static Map<String, double[]> fastest(List<Map<String, double[]>> passes, double scale) {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (String layer : passes.get(0).keySet()) {
            double total = Double.POSITIVE_INFINITY, backward = Double.POSITIVE_INFINITY;
            for (Map<String, double[]> pass : passes) {
                double[] v = pass.getOrDefault(layer, new double[] {Double.NaN, Double.NaN});
                backward = Math.min(backward, v[1]);
                total = Math.min(total, v[0] + (Double.isNaN(v[1]) ? 0 : v[1]));
            }
            out.put(layer, new double[] {total / scale, backward / scale});
        }
        return out;
    }

    /** The whole call's median on the per-layer clock. */
    private static double whole(TimingReport.Summary s, boolean cpu) {
        return cpu && Double.isFinite(s.cpuMedianMs()) ? s.cpuMedianMs() : s.medianMs();
    }

    private static double sum(Map<String, double[]> ms) {
        return ms.values().stream().mapToDouble(v -> v[0]).sum();
    }

    /**
     * One row per layer of the diff that DL4J runs (an added layer has no original time, a removed one no modified
     * time), then any timed vertex the diff does not list (a graph's merge or element-wise vertex), under its own name.
     */
    static List<TimingReport.LayerTime> match(List<LayerChange> diff, Map<String, double[]> ta, Map<String, double[]> tb,
                                              Map<String, double[]> ia, Map<String, double[]> ib,
                                              TimingReport.LayerSum training, TimingReport.LayerSum inference) {
        double addedTraining = training.modifiedMs() - training.originalMs(), addedInference = inference.modifiedMs() - inference.originalMs();
        List<TimingReport.LayerTime> out = new ArrayList<>();
        Set<String> seenA = new LinkedHashSet<>(), seenB = new LinkedHashSet<>();
        for (LayerChange c : diff) {
            if (c.original() != null) seenA.add(c.original());
            if (c.modified() != null) seenB.add(c.modified());
            // A node with no layer of its own in DL4J (a reshape, DL4J's preprocessor: its time is the next layer's).
            if (ta.get(c.original()) == null && tb.get(c.modified()) == null) continue;
            out.add(row(c.name(), c.kind().label(), ta.get(c.original()), tb.get(c.modified()), ia.get(c.original()), ib.get(c.modified()),
                    addedTraining, addedInference));
        }
        Set<String> rest = new LinkedHashSet<>(tb.keySet());
        rest.addAll(ta.keySet());
        for (String name : rest) {
            if (seenA.contains(name) || seenB.contains(name)) continue;
            out.add(row(name, "vertex", ta.get(name), tb.get(name), ia.get(name), ib.get(name), addedTraining, addedInference));
        }
        return out;
    }

    private static TimingReport.LayerTime row(String name, String change, double[] ta, double[] tb, double[] ia, double[] ib,
                                              double addedTraining, double addedInference) {
        return new TimingReport.LayerTime(name, change, ms(ta, 0), ms(tb, 0), ratio(ta, tb), share(ta, tb, addedTraining),
                ms(ta, 1), ms(tb, 1), ms(ia, 0), ms(ib, 0), ratio(ia, ib), share(ia, ib, addedInference));
    }

    private static Double ms(double[] v, int i) {
        return v == null || Double.isNaN(v[i]) ? null : v[i];
    }

    private static Double ratio(double[] a, double[] b) {
        return a == null || b == null || !(a[0] > 0) ? null : b[0] / a[0];
    }

    /** This layer's part of the per-layer sum's added time; null where no time was added. */
    private static Double share(double[] a, double[] b, double added) {
        if (!(added > 0) || (a == null && b == null)) return null;
        return ((b == null ? 0 : b[0]) - (a == null ? 0 : a[0])) / added;
    }
}
