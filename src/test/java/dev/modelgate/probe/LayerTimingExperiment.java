package dev.modelgate.probe;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.resolve.Resolver;
import dev.modelgate.spec.Hdf5Reader;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.stats.Statistics;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Per-layer passes inside the whole-call pairs, or in a phase of their own? (docs/timing.md, "Where the time goes"; the
 * figures are in docs/benchmarks.md.) Rounds alternate two ways of timing the same ABBA pairs of training iterations of
 * two models: "alone", the whole calls only (what modelgate does), and "inside", each whole call followed by that
 * model's per-layer pass in the same slot. Printed per round: each model's median whole-call ms and the median ratio.
 *
 * <p>Run: {@code OMP_NUM_THREADS=1 java -cp "$(cat cp.txt):target/classes:target/test-classes"
 * dev.modelgate.probe.LayerTimingExperiment [ORIGINAL MODIFIED] [rounds] [pairs]}
 */
public final class LayerTimingExperiment {
    public static void main(String[] args) {
        String a = args.length >= 2 ? args[0] : "samples/lenet/original.yaml", b = args.length >= 2 ? args[1] : "samples/lenet/conv2-4x.yaml";
        int rounds = args.length >= 3 ? Integer.parseInt(args[2]) : 5, pairs = args.length >= 4 ? Integer.parseInt(args[3]) : 16;
        ResolvedModel ma = resolve(a), mb = resolve(b);
        Network na = NetworkFactory.build(ma, OptionalLong.empty()), nb = NetworkFactory.build(mb, OptionalLong.empty());
        SyntheticData.Batch ba = ProbeData.batch(ma, 32, 1, 0), bb = ProbeData.batch(mb, 32, 1, 0);
        TimingProbe.Call fitA = () -> na.fit(ba.features(), ba.labels()), fitB = () -> nb.fit(bb.features(), bb.labels());
        Runnable passA = () -> LayerPasses.training(na, ba.features(), ba.labels(), System::nanoTime), passB = () -> LayerPasses.training(nb, bb.features(), bb.labels(), System::nanoTime);
        for (int i = 0; i < 20; i++) { fitA.run(); fitB.run(); passA.run(); passB.run(); }
        System.out.printf("%s vs %s, %d pairs per round, OMP_NUM_THREADS=%s%n", a, b, pairs, System.getenv("OMP_NUM_THREADS"));
        for (int r = 0; r < rounds; r++) {
            for (boolean inside : new boolean[] {false, true}) {
                List<Double> ta = new ArrayList<>(), tb = new ArrayList<>(), ratios = new ArrayList<>();
                while (ratios.size() < pairs) {
                    double a1 = slot(fitA, inside ? passA : null), b1 = slot(fitB, inside ? passB : null);
                    double b2 = slot(fitB, inside ? passB : null), a2 = slot(fitA, inside ? passA : null);
                    ta.add(a1); ta.add(a2); tb.add(b1); tb.add(b2); ratios.add(b1 / a1); ratios.add(b2 / a2);
                }
                System.out.printf("round %d %-6s original %7.2f ms  modified %7.2f ms  ratio %.3f%n", r, inside ? "inside" : "alone",
                        Statistics.median(Statistics.array(ta)), Statistics.median(Statistics.array(tb)), Statistics.median(Statistics.array(ratios)));
            }
        }
    }

    /** The whole call's ms; the per-layer pass after it (when given) is untimed here, as if its clocks were read apart. */
    private static double slot(TimingProbe.Call whole, Runnable pass) {
        double ms = TimingProbe.time(whole);
        if (pass != null) pass.run();
        return ms;
    }

    private static ResolvedModel resolve(String file) {
        CheckOptions o = CheckOptions.RUN;
        return Resolver.resolve(Path.of(file), o.given(), Optional.empty(), o.files(), Hdf5Reader.IN_THIS_JVM);
    }
}
