package dev.modelgate.probe;

import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 11 reported NaN in every output value of DL4J's zoo SimpleCNN given an OutputLayer head, at initialization on
 * synthetic data. DL4J itself computes no NaN for that configuration (its feedForward in both modes and its output(),
 * checked with a raw harness, docs/benchmarks.md): the NaN was the old probe's. This holds the probe to DL4J's answer in
 * the mode the issue saw it (inference, initial batch-norm statistics) and in the mode the probe now uses.
 */
class ZooSimpleCnnFiniteTest {
    @TempDir Path dir;

    @Test
    void theZooSimpleCnnWithAnOutputLayerHeadIsFiniteAtInitializationAsInDl4j() throws Exception {
        MultiLayerConfiguration zoo = SimpleCNN.builder().numClasses(10).build().conf();
        NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(42).list();
        for (int i = 0; i < zoo.getConfs().size(); i++) lb.layer(zoo.getConf(i).getLayer().clone());
        lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(10).nOut(10).activation(Activation.SOFTMAX).build());
        lb.setInputType(InputType.convolutional(48, 48, 3));
        Path file = Files.writeString(dir.resolve("simplecnn-output-layer.json"), lb.build().toJson());

        ResolvedModel m = ModelLoader.loadResolved(file, Optional.of(new Shape.Image(3, 48, 48)));
        Network net = NetworkFactory.build(m);
        INDArray[] x = ProbeData.batch(m, 4, 1, 0).features();
        for (boolean batchStatistics : new boolean[] {false, true}) {
            List<ActivationStats> acts = HealthProbe.activations(m, net, x, batchStatistics);
            assertEquals(m.spec().nodes().size(), acts.size(), "every layer measured");
            for (ActivationStats a : acts) assertTrue(a.finite(), (batchStatistics ? "batch" : "running") + " statistics: " + a);
            assertEquals(0, HealthProbe.nonFinite(net.output(batchStatistics, x)), "DL4J's own forward pass agrees");
        }
    }
}
