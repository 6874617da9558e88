package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpecReaderTest {
    @TempDir Path dir;

    private static final String HEAD = "input: {features: 8}\n";

    ModelSpec load(String yaml) {
        return ModelLoader.load(TestFiles.write(dir, "m.yaml", yaml));
    }

    BadInputException fails(String yaml) {
        return assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", yaml), Optional.empty()));
    }

    @Test
    void readsEveryLayerTypeOfTheSequentialForm() {
        ModelSpec s = load("""
                name: all
                input: {image: [3, 16, 16]}
                defaults: {activation: leaky-relu, weight-init: he}
                training: {batch-size: 8, seed: 7, optimizer: {type: adamw, learning-rate: 1e-3, weight-decay: 0.01},
                           gradient-clipping: {mode: clip-l2-per-layer, threshold: 1.0}}
                layers:
                  - {type: conv2d, filters: 4, kernel: [3, 5], stride: 1, padding: same, dilation: 1}
                  - {type: batch-norm}
                  - {type: separable-conv2d, filters: 8, kernel: 3, depth-multiplier: 2}
                  - {type: depthwise-conv2d, kernel: 3, depth-multiplier: 1}
                  - {type: max-pool, kernel: 2}
                  - {type: deconv2d, filters: 4, kernel: 2, stride: 2}
                  - {type: upsample2d, size: 2}
                  - {type: avg-pool, kernel: 2, stride: 2}
                  - {type: dropout, rate: 0.25}
                  - {type: activation, activation: elu}
                  - {type: global-pool, pooling: max}
                  - {name: fc, type: dense, units: 16, weight-init: {distribution: normal, mean: 0, std: 100}}
                output: {classes: 3}
                """);
        assertEquals("all", s.name());
        assertEquals(new Shape.Image(3, 16, 16), s.inputShape().orElseThrow());
        assertEquals(13, s.nodes().size());
        assertEquals(List.of("conv2d_1", "batch_norm_1", "separable_conv2d_1", "depthwise_conv2d_1", "max_pool_1", "deconv2d_1",
                "upsample2d_1", "avg_pool_1", "dropout_1", "activation_1", "global_pool_1", "fc", "output"),
                s.nodes().stream().map(Node::name).toList());
        assertTrue(s.nodes().get(0).autoNamed());
        assertFalse(s.node("fc").orElseThrow().autoNamed());
        LayerOp.Dense fc = (LayerOp.Dense) s.node("fc").orElseThrow().op();
        assertEquals("leakyrelu", fc.activation());
        assertEquals(WeightInitSpec.normal(0, 100), fc.weightInit());
        LayerOp.Conv2d c = (LayerOp.Conv2d) s.nodes().get(0).op();
        assertEquals(3, c.geometry().kernel()[0]);
        assertEquals(5, c.geometry().kernel()[1]);
        assertTrue(c.geometry().same());
        assertEquals("relu", c.weightInit().scheme(), "'he' is DL4J's RELU init");
        assertEquals("adamw", s.training().optimizer().type());
        assertEquals(0.01, s.training().optimizer().weightDecay());
        assertEquals("clip-l2-per-layer", s.training().clipping());
        LayerOp.Output out = (LayerOp.Output) s.output().op();
        assertEquals("softmax", out.activation());
        assertEquals("mcxent", out.loss());
        ResolvedModel r = ShapeInference.resolve(s);
        assertEquals(new Shape.Features(3), r.outputOf("output"));
        assertEquals(new Shape.Image(4, 16, 16), r.outputOf("conv2d_1"));
        assertEquals(new Shape.Image(8, 14, 14), r.outputOf("separable_conv2d_1"));
        assertEquals(new Shape.Image(8, 12, 12), r.outputOf("depthwise_conv2d_1"));
        assertEquals(new Shape.Image(8, 6, 6), r.outputOf("max_pool_1"));
        assertEquals(new Shape.Image(4, 12, 12), r.outputOf("deconv2d_1"));
        assertEquals(new Shape.Image(4, 24, 24), r.outputOf("upsample2d_1"));
        assertEquals(new Shape.Features(4), r.outputOf("global_pool_1"));
    }

    @Test
    void readsTheGraphFormWithDefaultInputsAndMerges() {
        ModelSpec s = load("""
                input: {image: [3, 8, 8]}
                nodes:
                  stem: {type: conv2d, filters: 4, kernel: 3, padding: same}
                  a: {type: conv2d, filters: 4, kernel: 3, padding: same}
                  b: {type: conv2d, filters: 4, kernel: 1, inputs: [stem]}
                  sum: {type: add, inputs: [a, b]}
                  cat: {type: concat, inputs: [sum, stem]}
                  gap: {type: global-pool}
                output: {regression: 2, from: gap}
                """);
        assertEquals(List.of("input"), s.node("stem").orElseThrow().inputs());
        assertEquals(List.of("stem"), s.node("a").orElseThrow().inputs(), "a node without inputs takes the one listed before it");
        ResolvedModel r = ShapeInference.resolve(s);
        assertEquals(new Shape.Image(8, 8, 8), r.outputOf("cat"));
        LayerOp.Output out = (LayerOp.Output) s.output().op();
        assertEquals("identity", out.activation());
        assertEquals("mse", out.loss());
    }

    @Test
    void readsASequenceModel() {
        ResolvedModel r = ShapeInference.resolve(load("""
                input: {sequence: [10, 20]}
                layers:
                  - {type: lstm, units: 16}
                  - {type: lstm, units: 8}
                output: {classes: 4}
                """));
        assertEquals(new Shape.Sequence(16, 20), r.outputOf("lstm_1"));
        assertEquals(new Shape.Sequence(4, 20), r.outputOf("output"), "an output on a sequence predicts every step");
    }

    static Stream<Arguments> badSpecs() {
        return Stream.of(
                // yaml, expected message part, expected line (0 = do not check)
                Arguments.of("", "the file is empty", 0),
                Arguments.of("- a\n- b\n", "expected a mapping at the top level", 1),
                Arguments.of("input: {features: 8\n", "not valid YAML", 0),
                Arguments.of(HEAD + "layerz: []\noutput: {classes: 2}\n", "unknown key 'layerz' (did you mean 'layers'?)", 2),
                Arguments.of(HEAD + "layers:\n  - {type: dens, units: 4}\noutput: {classes: 2}\n", "unknown layer type 'dens' (did you mean 'dense'?)", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, unit: 4}\noutput: {classes: 2}\n", "unknown key 'unit' (did you mean 'units'?)", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: -3}\noutput: {classes: 2}\n", "layers[0].units: must be a positive integer, got -3", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 0}\noutput: {classes: 2}\n", "must be a positive integer, got 0", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: many}\noutput: {classes: 2}\n", "expected a positive integer, got 'many'", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 2.5}\noutput: {classes: 2}\n", "expected a positive integer, got 2.5", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 4, activation: relu6x}\noutput: {classes: 2}\n", "unknown activation 'relu6x' (did you mean 'relu6'?)", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 4}\noutput: {classes: 2, loss: cross-entropyy}\n", "unknown loss 'cross-entropyy' (did you mean 'cross-entropy'?)", 4),
                Arguments.of(HEAD + "layers:\n  - {type: dropout, rate: 1.5}\noutput: {classes: 2}\n", "layers[0].rate: must be in [0.0, 1.0), got 1.5", 3),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 4}\n", "missing required key 'output'", 0),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 4}\noutput: {classes: 2, regression: 1}\n", "exactly one of classes", 4),
                Arguments.of("input: {features: 8, image: [1, 2, 2]}\nlayers: [{type: dense, units: 4}]\noutput: {classes: 2}\n", "give exactly one of features", 1),
                Arguments.of("input: {image: [1, 28]}\nlayers: [{type: dense, units: 4}]\noutput: {classes: 2}\n", "expected [channels, height, width] (3 numbers), got a list of 2", 1),
                Arguments.of("description: {a: 1}\n" + HEAD + "layers: [{type: dense, units: 4}]\noutput: {classes: 2}\n", "description: expected a text value, got a mapping", 1),
                Arguments.of(HEAD + "training: {optimizer: adma}\nlayers: [{type: dense, units: 4}]\noutput: {classes: 2}\n", "unknown optimizer 'adma' (did you mean 'adam'?)", 2),
                Arguments.of(HEAD + "training: {batch-size: 0}\nlayers: [{type: dense, units: 4}]\noutput: {classes: 2}\n", "training.batch-size: must be a positive integer, got 0", 2),
                Arguments.of(HEAD + "layers: [{type: dense, units: 4, weight-init: {distribution: normal, std: -1}}]\noutput: {classes: 2}\n", "std: must be positive", 2),
                Arguments.of(HEAD + "layers: [{type: dense, units: 4, weight-init: xaiver}]\noutput: {classes: 2}\n", "unknown weight init 'xaiver' (did you mean 'xavier'?)", 2),
                Arguments.of(HEAD + "layers: [{type: add}]\noutput: {classes: 2}\n", "needs the graph form", 2),
                Arguments.of(HEAD + "layers: [{type: dense, units: 4}, {type: dense, units: 4, name: dense_1}]\noutput: {classes: 2}\n", "duplicate layer name 'dense_1'", 0),
                Arguments.of(HEAD + "layers:\n  - {type: dense, units: 4, units: 5}\noutput: {classes: 2}\n", "units", 3),
                Arguments.of(HEAD + "layers: [{type: dense, units: 2000000000000}]\noutput: {classes: 2}\n", "too large", 0),
                Arguments.of(HEAD + "layers: [{type: dense, units: .nan}]\noutput: {classes: 2}\n", "layers[0].units: expected a finite number, got .nan", 2),
                Arguments.of(HEAD + "layers: []\noutput: {classes: 2}\n", "the list is empty", 0),
                Arguments.of(HEAD + "layers: [{type: dense, units: 4}]\nnodes: {a: {type: dense, units: 4}}\noutput: {classes: 2}\n", "either 'layers'", 0)
        );
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("badSpecs")
    void rejectsBadSpecsWithFileLineAndKeyPath(String yaml, String expected, int line) {
        BadInputException e = fails(yaml);
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
        assertTrue(e.getMessage().startsWith(dir.resolve("m.yaml").toString()), "names the file: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        if (line > 0) assertEquals(line, e.location().line(), "line of: " + e.getMessage());
    }

    static Stream<Arguments> shapeErrors() {
        return Stream.of(
                Arguments.of("input: {image: [1, 4, 4]}\nlayers: [{name: big, type: conv2d, filters: 2, kernel: 5}]\noutput: {classes: 2}\n",
                        "layer 'big': kernel 5 is larger than its input 1x4x4 from the model input (height 4)"),
                Arguments.of("input: {image: [1, 8, 8]}\nlayers:\n  - {name: c1, type: conv2d, filters: 4, kernel: 3}\n  - {name: c2, type: conv2d, filters: 4, kernel: 3, in: 8}\noutput: {classes: 2}\n",
                        "layer 'c2': declares input channels (nIn) 8, but 'c1' gives it 4x6x6 (input channels 4)"),
                Arguments.of("input: {features: 8}\nlayers: [{name: d, type: dense, units: 4, in: 9}]\noutput: {classes: 2}\n",
                        "layer 'd': declares input size (nIn) 9, but the model input gives it 8"),
                Arguments.of("input: {image: [1, 8, 8]}\nnodes:\n  a: {type: conv2d, filters: 4, kernel: 3}\n  b: {type: conv2d, filters: 4, kernel: 1, inputs: [input]}\n  s: {type: add, inputs: [a, b]}\noutput: {classes: 2}\n",
                        "layer 's': 'add' needs equal shapes, but 'a' gives 4x6x6 and 'b' gives 4x8x8"),
                Arguments.of("input: {image: [1, 8, 8]}\nnodes:\n  a: {type: conv2d, filters: 4, kernel: 3}\n  b: {type: conv2d, filters: 4, kernel: 1, inputs: [input]}\n  s: {type: concat, inputs: [a, b]}\noutput: {classes: 2}\n",
                        "'concat' needs inputs that differ only in channels/features, but 'a' gives 4x6x6 and 'b' gives 4x8x8"),
                Arguments.of("input: {image: [1, 8, 8]}\nnodes:\n  a: {type: conv2d, filters: 4, kernel: 3, inputs: [b]}\n  b: {type: conv2d, filters: 4, kernel: 1, inputs: [a]}\noutput: {classes: 2}\n",
                        "input 'b' is defined after this node (a cycle or a forward reference)"),
                Arguments.of("input: {image: [1, 8, 8]}\nnodes:\n  a: {type: conv2d, filters: 4, kernel: 3, inputs: [inptu]}\noutput: {classes: 2}\n",
                        "input 'inptu' does not exist (did you mean 'input'?)"),
                Arguments.of("input: {features: 8}\nlayers: [{type: conv2d, filters: 4, kernel: 3}]\noutput: {classes: 2}\n",
                        "conv2d needs an image input (channels x height x width), but the model input gives flat features 8"),
                Arguments.of("input: {features: 8}\nlayers: [{type: lstm, units: 4}]\noutput: {classes: 2}\n",
                        "lstm needs a sequence input"),
                Arguments.of("input: {features: 8}\nlayers: [{type: global-pool}]\noutput: {classes: 2}\n",
                        "global-pool needs an image or a sequence"),
                Arguments.of("input: {features: 8}\nnodes:\n  a: {type: dense, units: 4}\n  b: {type: dense, units: 4}\n  c: {type: dense, units: 4}\n  s: {type: subtract, inputs: [a, b, c]}\noutput: {regression: 1}\n",
                        "layer 's': 'subtract' takes exactly 2 inputs (the first minus the second), got 3")
        );
    }

    @ParameterizedTest(name = "[{index}] {1}")
    @MethodSource("shapeErrors")
    void shapeErrorsNameBothLayersAndShapes(String yaml, String expected) {
        BadInputException e = fails(yaml);
        assertTrue(e.getMessage().contains(expected), "message was: " + e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void detectsTheFormatFromContentNotTheFileName() {
        Path p = TestFiles.write(dir, "model.txt", "{\"input\": {\"features\": 4}, \"layers\": [{\"type\": \"dense\", \"units\": 3}], \"output\": {\"classes\": 2}}");
        assertEquals(SourceFormat.MODELGATE_SPEC, ModelLoader.load(p).format());
    }

    @Test
    void missingFileAndDirectoryAreClearErrors() {
        BadInputException missing = assertThrows(BadInputException.class, () -> ModelLoader.load(dir.resolve("nope.yaml")));
        assertEquals(dir.resolve("nope.yaml") + ": file not found", missing.getMessage());
        BadInputException isDir = assertThrows(BadInputException.class, () -> ModelLoader.load(dir));
        assertTrue(isDir.getMessage().endsWith("is a directory, expected a model config file"));
    }

    @Test
    void nonUtf8IsRejected() throws Exception {
        Path p = dir.resolve("bin.yaml");
        java.nio.file.Files.write(p, new byte[] {(byte) 0xff, (byte) 0xfe, 0x00, 0x41});
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(p));
        assertTrue(e.getMessage().contains("is not UTF-8 text"));
    }

    @Test
    void inputShapeOptionFillsOnlyWhatTheConfigLeavesOpen() {
        Path p = TestFiles.write(dir, "m.yaml", HEAD + "layers: [{type: dense, units: 4}]\noutput: {classes: 2}\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(p, Optional.of(new Shape.Features(9))));
        assertTrue(e.getMessage().contains("the config determines its input shape 8, but --input-shape says 9"));
        assertInstanceOf(ResolvedModel.class, ModelLoader.loadResolved(p, Optional.of(new Shape.Features(8))));
    }

    @Test
    void parsesInputShapes() {
        assertEquals(new Shape.Features(64), Shape.parse("64"));
        assertEquals(new Shape.Image(1, 28, 28), Shape.parse("1,28,28"));
        assertEquals(new Shape.Sequence(10, 20), Shape.parse("seq:10,20"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1,28"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("0"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("abc"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1,x"));
        assertThrows(IllegalArgumentException.class, () -> Shape.parse("1,,28"));
        assertEquals(new Shape.Image(1, 28, 28), Shape.parse("1x28x28"));
    }
}
