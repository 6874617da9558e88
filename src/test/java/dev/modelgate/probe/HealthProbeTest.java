package dev.modelgate.probe;

import dev.modelgate.TestFiles;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HealthProbeTest {
    @TempDir Path dir;

    ResolvedModel load(String yaml) {
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", yaml), Optional.empty());
    }

    static final String MLP = """
            input: {features: 12}
            training: {batch-size: 16, seed: 3, optimizer: sgd}
            layers:
              - {name: fc1, type: dense, units: 8}
              - {name: bn, type: batch-norm}
            output: {classes: 4}
            """;

    /** The first iteration's gradients of a fresh, seeded network on one batch, recorded as the probe records them. */
    static List<LayerGradients> firstGradients(ResolvedModel m, INDArray x, INDArray y, int batchSize) {
        Network net = NetworkFactory.build(m);
        HealthProbe.GradientRecorder recorder = new HealthProbe.GradientRecorder(net, batchSize);
        net.setListeners(recorder);
        net.fit(x, y);
        return recorder.result(m);
    }

    @Test
    void gradientsArePerExampleWhateverTheBatchSize() {
        // The same 16 examples as a batch of 16 and duplicated into a batch of 32: DL4J's raw gradient is a sum over
        // the batch and doubles; the per-example statistic modelgate judges must not move.
        ResolvedModel m = load(MLP);
        SyntheticData.Batch b = SyntheticData.batch(m, 16, 1);
        INDArray x2 = Nd4j.concat(0, b.feature(), b.feature()), y2 = Nd4j.concat(0, b.labels(), b.labels());
        double per16 = firstGradients(m, b.feature(), b.labels(), 16).get(0).weightL2().get(0);
        double per32 = firstGradients(m, x2, y2, 32).get(0).weightL2().get(0);
        double raw16 = firstGradients(m, b.feature(), b.labels(), 1).get(0).weightL2().get(0);
        double raw32 = firstGradients(m, x2, y2, 1).get(0).weightL2().get(0);
        assertEquals(2.0, raw32 / raw16, 1e-3, "DL4J's raw gradients are sums over the minibatch");
        assertEquals(per16, per32, per16 * 1e-4, "per example, the batch size does not matter");
    }

    @Test
    void batchNormRunningStatisticsAreNotGradients() {
        List<LayerGradients> g = HealthProbe.measure(load(MLP), 2, OptionalLong.empty()).gradients();
        LayerGradients bn = g.stream().filter(x -> x.layer().equals("bn")).findFirst().orElseThrow();
        assertTrue(bn.weightL2().isEmpty(), "gamma and beta are not weights; mean and var are not gradients at all");
        assertEquals(2, bn.allL2().size());
    }

    @Test
    void healthIsDeterministicForASeed() {
        HealthReport a = HealthProbe.measure(load(MLP), 3, OptionalLong.empty()), b = HealthProbe.measure(load(MLP), 3, OptionalLong.empty());
        assertEquals(a, b);
        HealthReport c = HealthProbe.measure(load(MLP), 3, OptionalLong.of(99));
        assertTrue(!a.losses().equals(c.losses()), "another seed, other numbers");
    }

    @Test
    void activationStatisticsCountNanInfZerosAndSaturation() {
        INDArray a = Nd4j.createFromArray(new float[] {0, 0, 0.5f, -2, Float.NaN, Float.POSITIVE_INFINITY, 0.995f, -0.999f});
        ActivationStats s = HealthProbe.stats("x", a, "tanh");
        assertEquals(1, s.nan());
        assertEquals(1, s.inf());
        assertEquals(-2, s.min(), 1e-6, "extremes over finite values only");
        assertEquals(0.995, s.max(), 1e-6);
        assertEquals(2.0 / 8, s.zeroFraction());
        assertEquals(4.0 / 8, s.saturatedFraction(), 1e-9, "|x| > 0.99 for tanh: 0.995, -0.999, -2 and Inf");
        assertEquals((0 + 0 + 0.5 - 2 + 0.995 - 0.999) / 6, s.mean(), 1e-6);
        assertNull(HealthProbe.stats("y", a, null).saturatedFraction());
        ActivationStats allNan = HealthProbe.stats("z", Nd4j.createFromArray(new float[] {Float.NaN, Float.NaN}), null);
        assertTrue(Double.isNaN(allNan.min()) && allNan.nan() == 2);
    }
}
