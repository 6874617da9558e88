package dev.modelgate.probe;

import dev.modelgate.TestFiles;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.Node;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Conditions;
import org.nd4j.linalg.ops.transforms.Transforms;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The layer-by-layer summaries in float mean what the former whole-network, double-precision ones meant: the same
 * numbers within float rounding, on real models (graph and MultiLayerNetwork, residual adds, batch-norm followed by
 * an in-place ReLU) and on arrays holding NaN, Inf, zeros and huge values.
 */
class LayerwiseSummaryTest {
    @TempDir Path dir;

    /** The summary as it was computed before (a double copy of every layer of DL4J's whole feedForward): the reference. */
    static ActivationStats reference(String layer, INDArray raw, String saturating) {
        INDArray a = raw.castTo(DataType.DOUBLE);
        long n = a.length();
        long nan = count(a.isNaN()), inf = count(a.isInfinite());
        INDArray finite = a;
        if (nan + inf > 0) {
            finite = a.dup();
            BooleanIndexing.replaceWhere(finite, Double.NaN, Conditions.isInfinite());
        }
        long finiteCount = n - nan - inf;
        double min = Double.NaN, max = Double.NaN, mean = Double.NaN, std = Double.NaN;
        if (finiteCount > 0) {
            min = finite.minNumber().doubleValue();
            max = finite.maxNumber().doubleValue();
            INDArray zeroed = finite == a ? a : finite.dup();
            if (finite != a) BooleanIndexing.replaceWhere(zeroed, 0.0, Conditions.isNan());
            mean = zeroed.sumNumber().doubleValue() / finiteCount;
            double sq = zeroed.mul(zeroed).sumNumber().doubleValue() / finiteCount;
            std = Math.sqrt(Math.max(0, sq - mean * mean));
        }
        double zeros = (double) count(a.eq(0.0)) / n;
        Double saturated = null;
        if ("tanh".equals(saturating)) saturated = (double) count(Transforms.abs(a).gt(0.99)) / n;
        else if ("sigmoid".equals(saturating)) saturated = (double) (count(a.lt(0.01)) + count(a.gt(0.99))) / n;
        return new ActivationStats(layer, min, max, mean, std, nan, inf, zeros, saturated);
    }

    static long count(INDArray booleans) {
        return booleans.castTo(DataType.LONG).sumNumber().longValue();
    }

    static void assertSame(ActivationStats want, ActivationStats got) {
        String l = want.layer();
        assertEquals(want.layer(), got.layer());
        assertEquals(want.nan(), got.nan(), l);
        assertEquals(want.inf(), got.inf(), l);
        assertEquals(want.zeroFraction(), got.zeroFraction(), 1e-12, l + " zeros");
        assertEquals(want.saturatedFraction(), got.saturatedFraction(), l + " saturated");
        close(want.min(), got.min(), 1e-6, l + " min");
        close(want.max(), got.max(), 1e-6, l + " max");
        if (Double.isNaN(want.mean())) {
            assertTrue(Double.isNaN(got.mean()) && Double.isNaN(got.std()), l + " no finite values");
            return;
        }
        double scale = Math.max(Math.abs(want.std()), Math.abs(want.mean()));
        assertEquals(want.mean(), got.mean(), 1e-4 * scale + 1e-7, l + " mean");
        assertEquals(want.std(), got.std(), 1e-4 * scale + 1e-7, l + " std");
    }

    static void close(double want, double got, double rel, String what) {
        if (Double.isNaN(want)) assertTrue(Double.isNaN(got), what);
        else assertEquals(want, got, rel * Math.max(1, Math.abs(want)), what);
    }

    @ParameterizedTest
    @ValueSource(strings = {"samples/lenet/original.yaml", "samples/resnet/original.yaml", "samples/resnet-dl4j/original.json", "samples/lenet-dl4j/original.json",
            "samples/mlp/original.yaml", "samples/mlp/tanh.yaml", "samples/mlp/sigmoid-4-layers.yaml", "samples/mlp/init-normal-100.yaml",
            "samples/resnet/b1-three-branches.yaml"})
    void layerByLayerInFloatMeansWhatTheWholeForwardInDoubleMeant(String sample) {
        ResolvedModel m = ModelLoader.loadResolved(Path.of(sample), Optional.empty());
        INDArray x = ProbeData.batch(m, 8, 5, 0).feature();
        INDArray before = x.dup();
        // a fresh network for each path: nothing one pass sets up may help the other
        List<ActivationStats> got = HealthProbe.activations(m, NetworkFactory.build(m), new INDArray[] {x}, false);
        Network net = NetworkFactory.build(m);
        Map<String, INDArray> whole = net.activations(x);
        List<ActivationStats> want = new ArrayList<>();
        for (Node n : m.spec().nodes()) {
            INDArray a = whole.get(n.name());
            if (a != null) want.add(reference(n.name(), a, HealthProbe.saturating(n.op())));
        }
        assertEquals(want.size(), got.size());
        for (int i = 0; i < want.size(); i++) assertSame(want.get(i), got.get(i));
        assertEquals(before, x, "the caller's batch is left as it was");
    }

    @Test
    void arraysWithNanInfZerosAndHugeValuesSummarizeAsBefore() {
        List<INDArray> cases = List.of(
                Nd4j.createFromArray(new float[] {0f, -0f, 1e-7f, -2f, 3f, 0.995f, -0.999f, 0.5f}),
                Nd4j.createFromArray(new float[] {Float.NaN, 1f, Float.POSITIVE_INFINITY, -4f, 0f, Float.NEGATIVE_INFINITY}),
                Nd4j.createFromArray(new float[] {Float.NaN, Float.NaN}),
                Nd4j.createFromArray(new float[] {3e30f, -2e30f, 1f, 0f}),
                Nd4j.createFromArray(new float[] {0.001f, 0.999f, 0.5f, 0.2f}),
                Nd4j.randn(DataType.FLOAT, 4, 3, 5, 5).muli(1e3));
        for (INDArray a : cases) {
            for (String sat : new String[] {null, "tanh", "sigmoid"}) assertSame(reference("x", a, sat), HealthProbe.stats("x", a, sat));
        }
    }

    @Test
    void gradientSquaresAndPeakAsInDouble() {
        for (INDArray g : List.of(Nd4j.randn(DataType.FLOAT, 30, 20), Nd4j.createFromArray(new float[] {2e19f, -1e19f, 3f}))) {
            double[] got = Summaries.squaresAndMaxAbs(g);
            INDArray d = g.castTo(DataType.DOUBLE);
            double sq = Math.pow(d.norm2Number().doubleValue(), 2);
            assertEquals(sq, got[0], sq * 1e-5);
            assertEquals(d.amaxNumber().doubleValue(), got[1], 0.0);
            assertTrue(Double.isFinite(got[0]), "no float overflow");
        }
    }

    /** Dense weights ~N(0, 1000) before a batch-norm: its initial running statistics (mean 0, variance 1) pass them on unscaled. */
    static final String BATCH_NORM = """
            input: {features: 16}
            training: {batch-size: 32, seed: 7, optimizer: sgd}
            layers:
              - {name: fc1, type: dense, units: 24, activation: identity, weight-init: {distribution: normal, mean: 0, std: 1000}}
              - {name: bn, type: batch-norm}
              - {name: fc2, type: dense, units: 8, activation: relu}
            output: {classes: 3}
            """;

    @Test
    void untrainedBatchNormIsMeasuredWithTheBatchStatistics() {
        ResolvedModel m = ModelLoader.loadResolved(TestFiles.write(dir, "bn.yaml", BATCH_NORM), Optional.empty());
        assertFalse(HealthProbe.trainedStatistics(m), "a spec's batch norm starts from DL4J's initial statistics");
        Network net = NetworkFactory.build(m);
        INDArray x = ProbeData.batch(m, 32, 7, 0).feature();
        INDArray params = net.params().dup();
        ActivationStats inference = byName(HealthProbe.activations(m, net, new INDArray[] {x}, false), "bn");
        ActivationStats batch = byName(HealthProbe.activations(m, net, new INDArray[] {x}, true), "bn");
        assertTrue(Math.max(-inference.min(), inference.max()) > 1e3, "inference mode judges the initial statistics: " + inference);
        assertTrue(Math.max(-batch.min(), batch.max()) < 10, "with the batch's statistics the layer normalizes: " + batch);
        assertEquals(0, batch.mean(), 0.05);
        assertEquals(1, batch.std(), 0.05);
        assertEquals(params, net.params(), "a training-mode forward pass changes no parameter or running statistic");

        HealthReport h = HealthProbe.measure(m, 2, OptionalLong.empty());
        ActivationStats init = h.initial("bn").orElseThrow();
        assertTrue(Math.max(-init.min(), init.max()) < 10, "the probe's activations at initialization measure the model: " + init);
        ActivationStats fc1 = h.initial("fc1").orElseThrow();
        assertTrue(fc1.max() > 1e3, "layers that are not batch norm stay in inference mode: " + fc1);
    }

    static ActivationStats byName(List<ActivationStats> s, String layer) {
        return s.stream().filter(a -> a.layer().equals(layer)).findFirst().orElseThrow();
    }

    @Test
    void batchSizeIsTheOneAskedFor() {
        ResolvedModel m = ModelLoader.loadResolved(TestFiles.write(dir, "bn.yaml", BATCH_NORM), Optional.empty());
        HealthReport h = HealthProbe.measure(m, 1, OptionalLong.empty(), 5, Progress.NONE);
        assertEquals(5, h.batchSize());
        assertEquals(32, HealthProbe.measure(m, 1, OptionalLong.empty()).batchSize(), "the spec's own by default");
    }
}
