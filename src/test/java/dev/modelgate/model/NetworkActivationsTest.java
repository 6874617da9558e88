package dev.modelgate.model;

import dev.modelgate.TestFiles;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-layer activations are each layer's own output. DL4J's ActivationLayer applies its function in place in
 * inference mode, so without care the layer before a ReLU reads as ReLU'd (its negative values gone).
 */
class NetworkActivationsTest {
    @TempDir Path dir;

    @Test
    void aLayerBeforeAnActivationLayerKeepsItsNegativeValuesInAGraph() {
        ResolvedModel m = ModelLoader.loadResolved(TestFiles.write(dir, "g.yaml", """
                input: {image: [2, 6, 6]}
                nodes:
                  conv: {type: conv2d, filters: 4, kernel: 3, activation: identity}
                  bn:   {type: batch-norm}
                  act:  {type: activation, activation: relu}
                  add:  {type: add, inputs: [bn, act]}
                  out:  {type: activation, activation: relu}
                  pool: {type: global-pool}
                output: {classes: 3}
                """), Optional.empty());
        Map<String, INDArray> a = NetworkFactory.build(m).activations(Nd4j.randn(7L, new long[] {4, 2, 6, 6}));
        assertTrue(a.get("conv").minNumber().doubleValue() < 0);
        // Inference-mode batch-norm at initialization (mean 0, variance 1) passes its input through, scaled by 1/sqrt(1 + eps).
        assertEquals(a.get("conv").minNumber().doubleValue() / Math.sqrt(1 + 1e-5), a.get("bn").minNumber().doubleValue(), 1e-4);
        assertEquals(0.0, a.get("act").minNumber().doubleValue());
        // bn + relu(bn) is negative wherever bn is; the relu after it must not have erased that.
        assertTrue(a.get("add").minNumber().doubleValue() < 0, "add: " + a.get("add").minNumber());
        assertEquals(0.0, a.get("out").minNumber().doubleValue());
    }

    @Test
    void aLayerBeforeAnActivationLayerKeepsItsNegativeValuesInAMultiLayerNetwork() throws Exception {
        var conf = new NeuralNetConfiguration.Builder().seed(3).list()
                .layer(new DenseLayer.Builder().name("fc").nIn(5).nOut(8).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().name("relu").activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(8).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
        Path json = dir.resolve("mln.json");
        Files.writeString(json, conf.toJson());
        Map<String, INDArray> a = NetworkFactory.build(ModelLoader.loadResolved(json, Optional.empty())).activations(Nd4j.randn(7L, new long[] {6, 5}));
        assertTrue(a.get("fc").minNumber().doubleValue() < 0, "fc: " + a.get("fc").minNumber());
        assertEquals(0.0, a.get("relu").minNumber().doubleValue());
    }
}
