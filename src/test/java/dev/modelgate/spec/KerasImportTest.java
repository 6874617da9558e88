package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.TestFiles;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.cli.Cli;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Keras models through DL4J's import: JSON ({@code model.to_json()}) and HDF5 ({@code model.save}), Sequential and
 * Functional, channels-last images, and the output layer a model without a training config gets.
 */
class KerasImportTest {
    static final Path LENET = Path.of("samples/keras/lenet/original.json");
    static final Path RESNET = Path.of("samples/keras/resnet/original.json");
    static final Path KERAS = Path.of("src/test/resources/keras");
    static final ObjectMapper JSON = new ObjectMapper();

    @TempDir Path dir;

    @Test
    void aSequentialCnnIsReadChannelsLastWithItsInputShapeAndAnAssumedLoss() {
        ModelSpec s = ModelLoader.load(LENET);
        assertEquals(SourceFormat.KERAS_SEQUENTIAL, s.format());
        assertEquals("lenet", s.name());
        assertTrue(s.channelsLast());
        assertEquals(Optional.of(new Shape.Image(1, 28, 28)), s.inputShape());
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "fc1", "output"), s.nodes().stream().map(Node::name).toList());
        LayerOp.Output out = (LayerOp.Output) s.output().op();
        assertEquals("mcxent", out.loss());
        assertEquals("softmax", out.activation());
        assertTrue(s.lossAssumed());
        assertEquals(List.of("no training config: output layer 'output' trains with loss mcxent (assumed from softmax activation; set --loss to choose), "
                + "optimizer Adam at 0.001 (assumed)"), s.notes());
        assertEquals(new Shape.Image(50, 4, 4), ShapeInference.resolve(s).outputOf("pool2"));
    }

    @Test
    void aGivenLossReplacesTheAssumedOne() {
        ModelSpec s = ModelLoader.load(LENET, new KerasReader.LossChoice("mse", "from --loss"));
        assertEquals("mse", ((LayerOp.Output) s.output().op()).loss());
        assertFalse(s.lossAssumed());
        assertTrue(s.notes().get(0).contains("loss mse (from --loss)"), s.notes().toString());
    }

    @Test
    void aFunctionalResidualModelIsAGraphWithItsJoin() {
        ModelSpec s = ModelLoader.load(RESNET);
        assertEquals(SourceFormat.KERAS_FUNCTIONAL, s.format());
        assertTrue(s.channelsLast());
        assertEquals(Optional.of(new Shape.Image(3, 16, 16)), s.inputShape());
        Node add = s.node("add").orElseThrow();
        assertEquals(new LayerOp.Merge("add"), add.op());
        assertEquals(List.of("stem", "block_b"), add.inputs());
        assertEquals("logits", s.output().name());
    }

    @Test
    void anHdf5ModelWithATrainingConfigKeepsItsLossAndWeights() {
        Path h5 = KERAS.resolve("small-cnn.h5");
        ModelSpec s = ModelLoader.load(h5);
        assertEquals(SourceFormat.KERAS_SEQUENTIAL, s.format());
        assertEquals(h5, s.weights());
        assertEquals(List.of(), s.notes(), "the training config says the loss: nothing is assumed");
        assertEquals("mcxent", ((LayerOp.Output) s.output().op()).loss());
        assertEquals(List.of("conv1", "pool1", "fc1", "output"), s.nodes().stream().map(Node::name).toList());
    }

    /** The weights DL4J runs are Keras's: the file's forward pass, computed by numpy when it was written, matches. */
    @Test
    void anHdf5ModelRunsOnItsOwnWeights() throws Exception {
        ResolvedModel m = ModelLoader.loadResolved(KERAS.resolve("small-mlp.h5"), Optional.empty());
        Network net = NetworkFactory.build(m);
        JsonNode expected = JSON.readTree(KERAS.resolve("small-mlp-expected.json").toFile());
        float[] x = new float[expected.get("input").size()];
        for (int i = 0; i < x.length; i++) x[i] = (float) expected.get("input").get(i).asDouble();
        INDArray y = ((MultiLayerNetwork) net.model()).output(Nd4j.create(x, new long[] {1, x.length}));
        for (int i = 0; i < expected.get("output").size(); i++) {
            assertEquals(expected.get("output").get(i).asDouble(), y.getDouble(0, i), 1e-5, "output " + i);
        }
    }

    @Test
    void theChannelGrowthOfAKerasCnnIsFound() {
        CheckReport r = new Checker(Thresholds.defaults()).check(LENET, Path.of("samples/keras/lenet/conv2-4x.json"), CheckOptions.STATIC);
        assertEquals(Verdict.FAIL, r.verdict());
        RuleResult growth = r.results().stream().filter(x -> x.rule().equals("channel-growth") && x.status() == Status.FAIL).findFirst().orElseThrow();
        assertEquals("conv2: output channels 50 -> 200 (4.0x, max allowed 2.0x)", growth.message());
        assertEquals("keras-sequential", r.original().format());
        assertEquals(1, r.original().notes().size());
    }

    /** A Keras model without a loss trains with the other model's, so both optimize the same objective. */
    @Test
    void aKerasOriginalBorrowsTheSpecModificationsLoss() throws Exception {
        Path spec = TestFiles.write(dir, "mod.yaml", "input: {image: [1, 28, 28]}\nlayers:\n"
                + "  - {name: conv1, type: conv2d, filters: 20, kernel: 5, activation: relu}\n  - {name: pool1, type: max-pool, kernel: 2}\n"
                + "  - {name: conv2, type: conv2d, filters: 80, kernel: 5, activation: relu}\n  - {name: pool2, type: max-pool, kernel: 2}\n"
                + "  - {name: fc1, type: dense, units: 500, activation: relu}\noutput: {name: output, classes: 10, loss: negativeloglikelihood}\n");
        CheckReport r = new Checker(Thresholds.defaults()).check(LENET, spec, CheckOptions.STATIC);
        assertEquals(List.of("no training config: output layer 'output' trains with loss negativeloglikelihood (from the modified model, mod.yaml), "
                + "optimizer Adam at 0.001 (assumed)"),
                r.original().notes());
        assertEquals(Verdict.PASS, r.verdict(), r.results().toString());
        // Every report format says so (github and sarif carry only rule results).
        for (String format : dev.modelgate.render.Renderers.names()) {
            if (format.equals("github") || format.equals("sarif")) continue;
            String out = dev.modelgate.render.Renderers.create(format, dev.modelgate.render.Style.PLAIN).render(r);
            assertTrue(out.contains("trains with loss negativeloglikelihood (from the modified model, mod.yaml)"), format + ": " + out);
        }
        // --loss, given on the command line, wins over the other model's.
        CheckReport given = new Checker(Thresholds.defaults()).check(LENET, spec, CheckOptions.STATIC.withLoss("mse"));
        assertTrue(given.original().notes().get(0).contains("loss mse (from --loss)"), given.original().notes().toString());
    }

    @Test
    void aKerasModelRunsChannelsLastAndTrains() {
        Path cfg = TestFiles.write(dir, "off.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        CheckReport r = new Checker(Thresholds.defaults().overlay(cfg))
                .check(RESNET, Path.of("samples/keras/resnet/block-a-4x.json"), CheckOptions.RUN.withIterations(2));
        assertNotNull(r.modified().health());
        assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("channel-growth") && x.status() == Status.FAIL));
        assertTrue(r.results().stream().filter(x -> x.rule().equals("non-finite")).allMatch(x -> x.status() == Status.PASS), r.results().toString());
    }

    @Test
    void unsupportedLayersAndBrokenFilesAreOneLineErrorsNamingTheProblem() throws Exception {
        ObjectNode model = (ObjectNode) JSON.readTree(Files.readString(Path.of("samples/keras/mlp/original.json")));
        ArrayNode layers = (ArrayNode) model.path("config").path("layers");
        layers.insert(2, JSON.readTree("{\"class_name\": \"LayerNormalization\", \"config\": {\"name\": \"norm\", \"axis\": [-1], \"epsilon\": 0.001}}"));
        Path unsupported = dir.resolve("unsupported.json");
        Files.writeString(unsupported, model.toString());
        assertError(unsupported, "layer 'norm': Keras layer class LayerNormalization is not supported by DL4J's Keras import");

        assertError(KERAS.resolve("weights-only.h5"), "is an HDF5 file without a model_config attribute: not a whole Keras model");

        Path truncated = dir.resolve("truncated.h5");
        Files.write(truncated, java.util.Arrays.copyOf(Files.readAllBytes(KERAS.resolve("small-cnn.h5")), 3000));
        assertError(truncated, "is not an HDF5 file the Keras import can read");

        ObjectNode twoInputs = (ObjectNode) JSON.readTree(Files.readString(RESNET));
        ArrayNode inputs = (ArrayNode) twoInputs.path("config").path("input_layers");
        ArrayNode resnetLayers = (ArrayNode) twoInputs.path("config").path("layers");
        ObjectNode second = resnetLayers.get(0).deepCopy();
        second.put("name", "image2");
        ((ObjectNode) second.path("config")).put("name", "image2");
        resnetLayers.insert(1, second);
        inputs.add(JSON.readTree("[\"image2\", 0, 0]"));
        ((ArrayNode) resnetLayers.get(2).path("inbound_nodes").get(0)).add(JSON.readTree("[\"image2\", 0, 0, {}]"));
        Path multi = dir.resolve("two-inputs.json");
        Files.writeString(multi, twoInputs.toString());
        Cli.Result r = Cli.run("check", multi.toString(), multi.toString(), "--static");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().startsWith("modelgate: error: " + multi) && r.err().strip().lines().count() == 1, r.err());
    }

    private static void assertError(Path file, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(file));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        Cli.Result r = Cli.run("check", file.toString(), file.toString(), "--static");
        assertEquals(2, r.code(), r.toString());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("modelgate: error: " + file), r.err());
    }
}
