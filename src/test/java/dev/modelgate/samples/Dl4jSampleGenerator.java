package dev.modelgate.samples;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes the DL4J-native sample configs under samples/ (lenet-dl4j/ and resnet-dl4j/), each built with DL4J's own
 * builders and serialized with {@code toJson()}, so they are exactly what a DL4J user would hand to modelgate.
 * Not a test: run it by hand when the samples need regenerating.
 *
 * <pre>
 * mvn -q -B -DskipTests package &amp;&amp; mvn -q -B test-compile
 * OMP_NUM_THREADS=1 java -cp target/classes:target/test-classes:$(ls target/lib/*.jar | tr '\n' ':') \
 *     dev.modelgate.samples.Dl4jSampleGenerator samples
 * </pre>
 */
public final class Dl4jSampleGenerator {
    private Dl4jSampleGenerator() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 1) {
            System.err.println("usage: Dl4jSampleGenerator OUTPUT_DIR   (e.g. samples)");
            System.exit(2);
        }
        Path out = Path.of(args[0]);
        write(out.resolve("lenet-dl4j/original.json"), lenet(20).toJson());
        write(out.resolve("lenet-dl4j/conv1-4x.json"), lenet(80).toJson());
        write(out.resolve("lenet-dl4j/conv1-1.6x.json"), lenet(32).toJson());
        write(out.resolve("resnet-dl4j/original.json"), resnet(16).toJson());
        write(out.resolve("resnet-dl4j/b1-conv1-4x.json"), resnet(64).toJson());
    }

    private static void write(Path file, String json) throws IOException {
        Files.createDirectories(file.getParent());
        Files.writeString(file, json.endsWith("\n") ? json : json + "\n", StandardCharsets.UTF_8);
        System.out.println("wrote " + file);
    }

    /**
     * DL4J's LeNet MNIST example (dl4j-examples LeNetMNIST), with the first conv's filters as a parameter:
     * 20 in the original.
     */
    static MultiLayerConfiguration lenet(int conv1Filters) {
        int nChannels = 1;
        int outputNum = 10;
        int seed = 123;
        return new NeuralNetConfiguration.Builder()
                .seed(seed)
                .l2(0.0005)
                .weightInit(WeightInit.XAVIER)
                .updater(new Adam(1e-3))
                .list()
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .nIn(nChannels)
                        .stride(1, 1)
                        .nOut(conv1Filters)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new ConvolutionLayer.Builder(5, 5)
                        .stride(1, 1)
                        .nOut(50)
                        .activation(Activation.IDENTITY)
                        .build())
                .layer(new SubsamplingLayer.Builder(PoolingType.MAX)
                        .kernelSize(2, 2)
                        .stride(2, 2)
                        .build())
                .layer(new DenseLayer.Builder().activation(Activation.RELU)
                        .nOut(500).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD)
                        .nOut(outputNum)
                        .activation(Activation.SOFTMAX)
                        .build())
                .setInputType(InputType.convolutionalFlat(28, 28, 1))
                .build();
    }

    /**
     * A tiny residual graph, the DL4J twin of samples/resnet/original.yaml (input flattened 3x16x16 images): conv stem, block 1 (identity shortcut,
     * 16 channels), block 2 (1x1 projection shortcut, stride 2, 32 channels), global average pool, softmax output.
     * {@code b1Conv1Filters} is the first conv of block 1: 16 in the original.
     */
    static ComputationGraphConfiguration resnet(int b1Conv1Filters) {
        return new NeuralNetConfiguration.Builder()
                .seed(42)
                .updater(new Adam(1e-3))
                .weightInit(WeightInit.RELU)
                .convolutionMode(ConvolutionMode.Same)
                .graphBuilder()
                .addInputs("input")
                // convolutionalFlat, not convolutional: a ComputationGraphConfiguration's JSON does not keep its input
                // types, so with InputType.convolutional(16, 16, 3) the saved config no longer says the images are
                // 16x16 and modelgate needs --input-shape 3,16,16. The flat input puts a FeedForwardToCnnPreProcessor
                // (768 -> 3x16x16) on the stem, which does record it.
                .setInputTypes(InputType.convolutionalFlat(16, 16, 3))
                .addLayer("stem", conv(16, 3, 1), "input")
                .addLayer("stem_bn", new BatchNormalization.Builder().build(), "stem")
                .addLayer("stem_act", relu(), "stem_bn")
                // block 1: identity shortcut
                .addLayer("b1_conv1", conv(b1Conv1Filters, 3, 1), "stem_act")
                .addLayer("b1_bn1", new BatchNormalization.Builder().build(), "b1_conv1")
                .addLayer("b1_act1", relu(), "b1_bn1")
                .addLayer("b1_conv2", conv(16, 3, 1), "b1_act1")
                .addLayer("b1_bn2", new BatchNormalization.Builder().build(), "b1_conv2")
                .addVertex("b1_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b1_bn2", "stem_act")
                .addLayer("b1_out", relu(), "b1_add")
                // block 2: 1x1 projection shortcut, stride 2
                .addLayer("b2_conv1", conv(32, 3, 2), "b1_out")
                .addLayer("b2_bn1", new BatchNormalization.Builder().build(), "b2_conv1")
                .addLayer("b2_act1", relu(), "b2_bn1")
                .addLayer("b2_conv2", conv(32, 3, 1), "b2_act1")
                .addLayer("b2_bn2", new BatchNormalization.Builder().build(), "b2_conv2")
                .addLayer("b2_proj", conv(32, 1, 2), "b1_out")
                .addVertex("b2_add", new ElementWiseVertex(ElementWiseVertex.Op.Add), "b2_bn2", "b2_proj")
                .addLayer("b2_out", relu(), "b2_add")
                .addLayer("gap", new GlobalPoolingLayer.Builder(PoolingType.AVG).build(), "b2_out")
                .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT)
                        .nOut(10)
                        .activation(Activation.SOFTMAX)
                        .build(), "gap")
                .setOutputs("output")
                .build();
    }

    private static ConvolutionLayer conv(int filters, int kernel, int stride) {
        return new ConvolutionLayer.Builder(kernel, kernel)
                .stride(stride, stride)
                .nOut(filters)
                .activation(Activation.IDENTITY)
                .build();
    }

    private static ActivationLayer relu() {
        return new ActivationLayer.Builder().activation(Activation.RELU).build();
    }
}
