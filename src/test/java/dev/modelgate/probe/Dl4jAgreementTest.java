package dev.modelgate.probe;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import dev.modelgate.spec.SourceFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * modelgate computes shapes and parameter counts without DL4J; these tests hold those numbers to what real DL4J
 * networks report, layer by layer, for every layer type a spec can use.
 */
class Dl4jAgreementTest {
    @TempDir Path dir;

    static final Map<String, String> SPECS = Map.of(
            "cnn", """
                    input: {image: [3, 16, 16]}
                    layers:
                      - {type: conv2d, filters: 4, kernel: [3, 5], padding: same}
                      - {type: batch-norm}
                      - {type: separable-conv2d, filters: 8, kernel: 3, depth-multiplier: 2}
                      - {type: depthwise-conv2d, kernel: 3, depth-multiplier: 2}
                      - {type: max-pool, kernel: 2}
                      - {type: conv2d, filters: 6, kernel: 3, stride: 2, padding: 1, dilation: 1}
                      - {type: deconv2d, filters: 4, kernel: 2, stride: 2}
                      - {type: deconv2d, filters: 4, kernel: 3, dilation: 2, padding: 1}
                      - {type: upsample2d, size: 2}
                      - {type: avg-pool, kernel: 3, stride: 2}
                      - {type: conv2d, filters: 5, kernel: 3, dilation: 2, bias: false}
                      - {type: dropout, rate: 0.25}
                      - {type: activation, activation: elu}
                      - {type: global-pool, pooling: max}
                      - {type: dense, units: 16}
                      - {type: batch-norm}
                    output: {classes: 3}
                    """,
            "flatten", """
                    input: {image: [1, 12, 12]}
                    layers:
                      - {type: conv2d, filters: 4, kernel: 3}
                      - {type: max-pool, kernel: 2}
                      - {type: dense, units: 10}
                    output: {regression: 2}
                    """,
            "graph", """
                    input: {image: [3, 8, 8]}
                    nodes:
                      stem: {type: conv2d, filters: 4, kernel: 3, padding: same}
                      a: {type: conv2d, filters: 4, kernel: 3, padding: same}
                      b: {type: conv2d, filters: 4, kernel: 1, inputs: [stem]}
                      sum: {type: add, inputs: [a, b]}
                      prod: {type: multiply, inputs: [a, b]}
                      cat: {type: concat, inputs: [sum, prod, stem]}
                      gap: {type: global-pool}
                    output: {classes: 5, from: gap}
                    """,
            "lstm", """
                    input: {sequence: [6, 7]}
                    layers:
                      - {type: lstm, units: 5}
                      - {type: lstm, units: 3}
                    output: {classes: 4}
                    """,
            "lstm-pooled", """
                    input: {sequence: [6, 7]}
                    layers:
                      - {type: lstm, units: 5}
                      - {type: global-pool}
                      - {type: dense, units: 4}
                    output: {classes: 2, loss: binary-cross-entropy, activation: sigmoid}
                    """);

    @ParameterizedTest
    @ValueSource(strings = {"cnn", "flatten", "graph", "lstm", "lstm-pooled"})
    void shapesAndParameterCountsAgreeWithDl4j(String name) {
        ResolvedModel model = ModelLoader.loadResolved(TestFiles.write(dir, name + ".yaml", SPECS.get(name)), Optional.empty());
        assertAgrees(model);
    }

    @Test
    void dl4jMultiLayerJsonIsReadWithTheSameShapesAndCounts() {
        MultiLayerConfiguration conf = lenet(20);
        Path p = TestFiles.write(dir, "lenet.json", conf.toJson());
        ResolvedModel model = ModelLoader.loadResolved(p, Optional.empty());
        assertEquals(SourceFormat.DL4J_MULTILAYER, model.spec().format());
        assertEquals(new Shape.Features(784), model.input(), "input inferred from the convolutionalFlat preprocessor");
        ModelReport r = StructureProbe.measure(model);
        assertEquals(431_080, r.totalParams(), "DL4J's LeNet has 431,080 parameters");
        assertAgrees(model);

        Path yaml = TestFiles.write(dir, "lenet.yml", conf.toYaml());
        assertEquals(431_080, StructureProbe.measure(ModelLoader.loadResolved(yaml, Optional.empty())).totalParams());
    }

    @Test
    void dl4jGraphJsonIsReadWithTheSameShapesAndCounts() {
        ComputationGraphConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).graphBuilder()
                .addInputs("in")
                .addLayer("c1", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1).build(), "in")
                .addLayer("c2", new ConvolutionLayer.Builder(3, 3).nOut(4).padding(1, 1).build(), "c1")
                .addVertex("res", new ElementWiseVertex(ElementWiseVertex.Op.Add), "c1", "c2")
                .addLayer("bn", new BatchNormalization.Builder().build(), "res")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "bn")
                .addLayer("out", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build(), "gap")
                .setOutputs("out")
                .setInputTypes(InputType.convolutional(8, 8, 2))
                .build();
        Path p = TestFiles.write(dir, "graph.json", conf.toJson());
        assertTrue(ModelLoader.load(p).inputShape().isEmpty(), "a conv graph's JSON does not store height and width");
        ResolvedModel model = ModelLoader.loadResolved(p, Optional.of(new Shape.Image(2, 8, 8)));
        assertEquals(SourceFormat.DL4J_GRAPH, model.spec().format());
        assertEquals(List.of("c1", "c2", "res", "bn", "gap", "out"), model.spec().nodes().stream().map(n -> n.name()).toList());
        assertAgrees(model);
    }

    @Test
    void aWrongNInThatDl4jWouldOverwriteIsAnError() {
        String json = lenet(20).toJson();
        // conv2 declares nIn 20 (conv1's output channels); claim 30 as a hand edit would.
        String edited = json.replaceFirst("\"nin\" : 20,", "\"nin\" : 30,");
        assertTrue(!edited.equals(json), "the edit applied");
        Path p = TestFiles.write(dir, "bad.json", edited);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(p, Optional.empty()));
        assertTrue(e.getMessage().contains("layer 'conv2d_2': declares input channels (nIn) 30, but 'max_pool_1' gives it 20x12x12"), e.getMessage());
    }

    static MultiLayerConfiguration lenet(int conv1Filters) {
        return new NeuralNetConfiguration.Builder().seed(123).list()
                .layer(new ConvolutionLayer.Builder(5, 5).nIn(1).stride(1, 1).nOut(conv1Filters).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(5, 5).stride(1, 1).nOut(50).activation(Activation.IDENTITY).build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU).nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD).nOut(10).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    /** Builds the model in DL4J, runs one example forward and compares every layer's output shape and parameter count. */
    static void assertAgrees(ResolvedModel model) {
        ModelReport report = StructureProbe.measure(model);
        Network net = NetworkFactory.build(model);
        assertEquals(net.numParams(), report.totalParams(), "total parameters");
        SyntheticData.Batch batch = SyntheticData.batch(model, 1, 1);
        if (net.model() instanceof ComputationGraph g) {
            Map<String, INDArray> acts = g.feedForward(batch.features(), false);
            for (LayerInfo l : report.layers()) {
                if (g.getLayer(l.name()) != null) assertEquals(g.getLayer(l.name()).numParams(), l.params(), "params of " + l.name());
                INDArray a = acts.get(l.name());
                if (a != null) assertArrayEquals(expectedDims(model.outputOf(l.name())), a.shape(), "output shape of " + l.name() + " " + Arrays.toString(a.shape()));
            }
        } else {
            MultiLayerNetwork m = (MultiLayerNetwork) net.model();
            List<INDArray> acts = m.feedForward(batch.feature(), false);
            int index = 0;
            for (LayerInfo l : report.layers()) {
                if (l.type().equals("reshape")) continue; // a DL4J preprocessor, not a layer
                assertEquals(m.getLayer(index).numParams(), l.params(), "params of " + l.name());
                INDArray a = acts.get(index + 1);
                long[] expected = expectedDims(model.outputOf(l.name()));
                if (a.rank() == 2 && expected.length == 4) expected = new long[] {1, expected[1] * expected[2] * expected[3]};
                assertArrayEquals(expected, a.shape(), "output shape of " + l.name());
                index++;
            }
        }
    }

    static long[] expectedDims(Shape s) {
        return SyntheticData.dims(1, s);
    }
}
