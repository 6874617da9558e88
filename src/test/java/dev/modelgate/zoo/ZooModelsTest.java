package dev.modelgate.zoo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Shape;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.zoo.ZooModel;
import org.deeplearning4j.zoo.model.AlexNet;
import org.deeplearning4j.zoo.model.Darknet19;
import org.deeplearning4j.zoo.model.FaceNetNN4Small2;
import org.deeplearning4j.zoo.model.InceptionResNetV1;
import org.deeplearning4j.zoo.model.LeNet;
import org.deeplearning4j.zoo.model.ResNet50;
import org.deeplearning4j.zoo.model.SimpleCNN;
import org.deeplearning4j.zoo.model.SqueezeNet;
import org.deeplearning4j.zoo.model.TextGenerationLSTM;
import org.deeplearning4j.zoo.model.TinyYOLO;
import org.deeplearning4j.zoo.model.UNet;
import org.deeplearning4j.zoo.model.VGG16;
import org.deeplearning4j.zoo.model.VGG19;
import org.deeplearning4j.zoo.model.Xception;
import org.deeplearning4j.zoo.model.YOLO2;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every model configuration of DL4J's own zoo (deeplearning4j-zoo 1.0.0-M2.1; configurations only, no pretrained
 * weights) as a new user tries it: `inspect --static` and `check --static` read it, with every layer's output shape and
 * parameter count exactly DL4J's own, and the total equal to DL4J's. NASNet is left out: its own configuration fails in
 * DL4J 1.0.0-M2.1 ("Cannot calculate activation types if no inputs have been set"). Static: no native backend, fast.
 */
class ZooModelsTest {
    @TempDir
    static Path dir;
    static final ObjectMapper JSON = new ObjectMapper();

    /** A zoo model with the input shape a user passes (its metadata's) and its DL4J configuration as toJson() writes it. */
    record Zoo(String name, Shape input, Object conf) {
        String json() {
            return conf instanceof MultiLayerConfiguration m ? m.toJson() : ((ComputationGraphConfiguration) conf).toJson();
        }

        @Override public String toString() { return name; }
    }

    static final Map<String, Zoo> ZOO = new LinkedHashMap<>();

    @BeforeAll
    static void build() throws Exception {
        if (!ZOO.isEmpty()) return;
        List<ZooModel> models = List.of(AlexNet.builder().numClasses(1000).build(), Darknet19.builder().numClasses(1000).build(),
                FaceNetNN4Small2.builder().numClasses(100).build(), InceptionResNetV1.builder().numClasses(100).build(),
                LeNet.builder().numClasses(10).build(), ResNet50.builder().numClasses(1000).build(), SimpleCNN.builder().numClasses(10).build(),
                SqueezeNet.builder().numClasses(1000).build(),
                TextGenerationLSTM.builder().totalUniqueCharacters(77).maxLength(40).inputShape(new int[] {40, 77}).build(),
                TinyYOLO.builder().numClasses(20).build(), UNet.builder().numClasses(1).build(), VGG16.builder().numClasses(1000).build(),
                VGG19.builder().numClasses(1000).build(), Xception.builder().numClasses(1000).build(), YOLO2.builder().numClasses(20).build());
        for (ZooModel z : models) {
            String name = z.getClass().getSimpleName();
            int[] s = z.metaData().getInputShape()[0];
            Object conf = configuration(z, s);
            Shape input = name.equals("TextGenerationLSTM") ? new Shape.Sequence(77, 40) : new Shape.Image(s[0], s[1], s[2]);
            ZOO.put(name, new Zoo(name, input, conf));
        }
    }

    /** What the zoo model's init() builds, without building the network: its MultiLayer conf, or its graph with its input. */
    static Object configuration(ZooModel z, int[] s) throws Exception {
        try {
            return z.getClass().getMethod("conf").invoke(z);
        } catch (NoSuchMethodException e) {
            ComputationGraphConfiguration.GraphBuilder g;
            try {
                g = (ComputationGraphConfiguration.GraphBuilder) z.getClass().getMethod("graphBuilder").invoke(z);
            } catch (NoSuchMethodException e2) {
                g = (ComputationGraphConfiguration.GraphBuilder) z.getClass().getMethod("graphBuilder", String.class).invoke(z, "input");
            }
            if (g.getNetworkInputs().isEmpty()) g.addInputs("input");
            if (g.getNetworkInputTypes() == null || g.getNetworkInputTypes().isEmpty()) g.setInputTypes(InputType.convolutional(s[1], s[2], s[0]));
            if (g.getNetworkOutputs().isEmpty()) {
                Set<String> used = new HashSet<>();
                g.getVertexInputs().values().forEach(used::addAll);
                g.setOutputs(g.getVertices().keySet().stream().filter(v -> !used.contains(v)).findFirst().orElseThrow());
            }
            return g.build();
        }
    }

    static Stream<Zoo> zoo() throws Exception {
        build();
        return ZOO.values().stream();
    }

    static Path write(String name, String json) throws Exception {
        Path f = dir.resolve(name + ".json");
        Files.writeString(f, json);
        return f;
    }

    /**
     * The input shape a user knows: the zoo's own (channels, height, width). Configs built for flat input (VGG16's
     * InputType.convolutionalFlat, LeNet's) take it as the image they flatten.
     */
    static CheckOptions options(Zoo z, Path file) {
        return CheckOptions.STATIC.withInputShape(z.input);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void inspectStaticGivesDl4jsShapesAndParameterCounts(Zoo z) throws Exception {
        Path file = write(z.name, z.json());
        long t0 = System.nanoTime();
        ModelReport r = Checker.inspect(file, options(z, file));
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Long> dl4jParams = new LinkedHashMap<>();
        Map<String, String> dl4jShapes = new LinkedHashMap<>();
        long total = dl4jTruth(z, r, dl4jParams, dl4jShapes);
        assertEquals(total, r.totalParams(), z.name + ": total parameters equal DL4J's numParams");
        int compared = 0;
        for (LayerInfo l : r.layers()) {
            if (dl4jParams.containsKey(l.name())) {
                assertEquals(dl4jParams.get(l.name()), l.params(), z.name + " " + l.name() + ": parameters");
                compared++;
            }
            // A loss head passes on its input (DL4J types it by its unset nOut: see Dl4jShapes).
            if (dl4jShapes.containsKey(l.name()) && !l.type().endsWith("loss")) {
                assertEquals(dl4jShapes.get(l.name()), l.outputShape(), z.name + " " + l.name() + ": output shape");
            }
            if (l.type().endsWith("loss")) assertEquals(l.inputShapes().get(0), l.outputShape(), z.name + " " + l.name() + ": a loss head passes on its input");
        }
        assertTrue(compared >= dl4jParams.size() * 9 / 10, z.name + ": layers held to DL4J: " + compared + " of " + dl4jParams.size());
        assertTrue(seconds < 30, z.name + " read in " + seconds + " s");
    }

    /** DL4J's own parameter count per layer (its ParamInitializer) and output type per vertex; returns the total. */
    static long dl4jTruth(Zoo z, ModelReport r, Map<String, Long> params, Map<String, String> shapes) {
        long total = 0;
        if (z.conf instanceof MultiLayerConfiguration m) {
            MultiLayerConfiguration c = MultiLayerConfiguration.fromJson(m.toJson());
            InputType in = r.inputShape().contains("x") ? type(z.input) : InputType.feedForward(Long.parseLong(r.inputShape()));
            List<InputType> types = c.getLayerActivationTypes(in);
            // A MultiLayerConfiguration's layers are modelgate's nodes in order, reshape nodes (its preprocessors) aside.
            List<LayerInfo> nodes = r.layers().stream().filter(l -> !l.type().equals("reshape")).toList();
            // A configuration without a head (SimpleCNN ends in a softmax activation) trains with a loss head modelgate adds.
            if (nodes.size() == c.getConfs().size() + 1 && r.notes().stream().anyMatch(n -> n.contains("a loss head added"))) {
                nodes = nodes.subList(0, nodes.size() - 1);
            }
            assertEquals(c.getConfs().size(), nodes.size(), z.name + ": one node per DL4J layer");
            for (int i = 0; i < c.getConfs().size(); i++) {
                Layer l = c.getConf(i).getLayer();
                long p = l.initializer().numParams(l);
                total += p;
                params.put(nodes.get(i).name(), p);
                shapes.put(nodes.get(i).name(), text(types.get(i)));
            }
        } else {
            ComputationGraphConfiguration c = ComputationGraphConfiguration.fromJson(((ComputationGraphConfiguration) z.conf).toJson());
            InputType in = r.inputShape().contains("x") ? type(z.input) : InputType.feedForward(Long.parseLong(r.inputShape()));
            Map<String, InputType> types = c.getLayerActivationTypes(true, in);
            for (var e : c.getVertices().entrySet()) {
                if (e.getValue() instanceof LayerVertex lv) {
                    Layer l = lv.getLayerConf().getLayer();
                    long p = l.initializer().numParams(l);
                    total += p;
                    params.put(e.getKey(), p);
                }
                if (types.get(e.getKey()) != null) shapes.put(e.getKey(), text(types.get(e.getKey())));
            }
        }
        return total;
    }

    static InputType type(Shape s) {
        if (s instanceof Shape.Image i) return InputType.convolutional(i.height(), i.width(), i.channels(), CNN2DFormat.NCHW);
        Shape.Sequence q = (Shape.Sequence) s;
        return InputType.recurrent(q.features(), q.length());
    }

    static String text(InputType t) {
        if (t instanceof InputType.InputTypeConvolutional c) return c.getChannels() + "x" + c.getHeight() + "x" + c.getWidth();
        if (t instanceof InputType.InputTypeRecurrent r) return r.getSize() + "x" + (r.getTimeSeriesLength() > 0 ? r.getTimeSeriesLength() : 40) + "(seq)";
        if (t instanceof InputType.InputTypeFeedForward f) return Long.toString(f.getSize());
        return Long.toString(t.arrayElementsPerExample());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zoo")
    void checkStaticOfTheModelAgainstItselfPasses(Zoo z) throws Exception {
        Path file = write(z.name, z.json());
        CheckReport r = new Checker(Thresholds.defaults()).check(file, file, options(z, file));
        assertEquals(Verdict.PASS, r.verdict(), z.name + ": " + failures(r));
        assertTrue(r.diff().stream().allMatch(c -> c.kind() == LayerChange.Kind.UNCHANGED), z.name + ": A/A is unchanged layer by layer");
    }

    @Test
    void resNet50WithItsVerticesInAnotherOrderIsTheSameModel() throws Exception {
        Zoo z = ZOO.get("ResNet50");
        ObjectNode tree = (ObjectNode) JSON.readTree(z.json());
        tree.set("vertices", reversed((ObjectNode) tree.get("vertices")));
        tree.set("vertexInputs", reversed((ObjectNode) tree.get("vertexInputs")));
        tree.remove("topologicalOrder");
        tree.remove("topologicalOrderStr");
        Path a = write("resnet50", z.json()), b = write("resnet50-reordered", JSON.writeValueAsString(tree));
        CheckReport r = new Checker(Thresholds.defaults()).check(a, b, CheckOptions.STATIC.withInputShape(z.input));
        assertEquals(Verdict.PASS, r.verdict(), failures(r));
        assertTrue(r.diff().stream().allMatch(c -> c.kind() == LayerChange.Kind.UNCHANGED), "reordered: every layer unchanged");
        assertEquals(r.original().layers().stream().map(LayerInfo::name).toList(), r.modified().layers().stream().map(LayerInfo::name).toList(),
                "the same canonical order, whatever the file's order");
    }

    @Test
    void resNet50WithOneBlockFourTimesWiderFailsChannelGrowthAndTwiceAsWidePasses() throws Exception {
        Zoo z = ZOO.get("ResNet50");
        Path a = write("resnet50", z.json());
        for (int factor : new int[] {4, 2}) {
            ObjectNode tree = (ObjectNode) JSON.readTree(z.json());
            ObjectNode v = (ObjectNode) tree.get("vertices");
            // The 3x3 convolution of the first bottleneck of stage 3, its batch norm and the 1x1 convolution reading it.
            long width = layer(v, "res3a_branch2b").get("nout").asLong();
            layer(v, "res3a_branch2b").put("nout", width * factor);
            layer(v, "bn3a_branch2b").put("nin", width * factor).put("nout", width * factor);
            layer(v, "res3a_branch2c").put("nin", width * factor);
            Path b = write("resnet50-x" + factor, JSON.writeValueAsString(tree));
            CheckReport r = new Checker(Thresholds.defaults()).check(a, b, CheckOptions.STATIC.withInputShape(z.input));
            Optional<RuleResult> growth = r.results().stream().filter(x -> x.rule().equals("channel-growth")).findFirst();
            assertNotNull(growth.orElse(null));
            if (factor == 4) {
                assertEquals(Verdict.FAIL, r.verdict());
                assertEquals(Status.FAIL, growth.get().status(), growth.get().message());
                assertEquals("res3a_branch2b", growth.get().layer());
                assertEquals(4.0, growth.get().measured());
            } else {
                assertEquals(Status.PASS, growth.get().status(), growth.get().message());
                assertEquals(2.0, growth.get().measured());
            }
        }
    }

    @Test
    void squeezeNetWithOneMoreFireModuleLoadsAndRepeatsItsOwnWidths() throws Exception {
        Zoo z = ZOO.get("SqueezeNet");
        ObjectNode tree = (ObjectNode) JSON.readTree(z.json());
        ObjectNode v = (ObjectNode) tree.get("vertices"), in = (ObjectNode) tree.get("vertexInputs");
        // fire10: a copy of fire9 reading fire9; drop9 then reads fire10.
        for (Iterator<String> it = List.copyOf(iterable(v.fieldNames())).iterator(); it.hasNext(); ) {
            String name = it.next();
            if (!name.startsWith("fire9")) continue;
            String copy = "fire10" + name.substring("fire9".length());
            ObjectNode vertex = v.get(name).deepCopy();
            JsonNode layer = vertex.path("layerConf").path("layer");
            if (layer.isObject() && layer.has("layerName")) ((ObjectNode) layer).put("layerName", copy);
            v.set(copy, vertex);
            ArrayNode inputs = JSON.createArrayNode();
            for (JsonNode src : in.get(name)) inputs.add(src.asText().equals("fire8") ? "fire9" : src.asText().replace("fire9", "fire10"));
            in.set(copy, inputs);
        }
        in.set("drop9", JSON.createArrayNode().add("fire10"));
        tree.remove("topologicalOrder");
        tree.remove("topologicalOrderStr");
        Path a = write("squeezenet", z.json()), b = write("squeezenet-fire10", JSON.writeValueAsString(tree));
        CheckOptions o = CheckOptions.STATIC.withInputShape(z.input);
        ModelReport m = Checker.inspect(b, o);
        assertTrue(m.layer("fire10_exp1x1").isPresent());
        CheckReport r = new Checker(Thresholds.defaults()).check(a, b, o);
        RuleResult growth = r.results().stream().filter(x -> x.rule().equals("channel-growth")).findFirst().orElseThrow();
        assertEquals(Status.PASS, growth.status(), growth.message() + " / " + failures(r));
        assertTrue(r.diff().stream().anyMatch(c -> c.kind() == LayerChange.Kind.ADDED && "fire10_exp1x1".equals(c.modified())));
        assertTrue(r.results().stream().noneMatch(x -> x.rule().startsWith("channel-") && x.status() != Status.PASS && x.layer() != null
                && x.layer().startsWith("fire10")), "the added module repeats fire9's widths: " + failures(r));
    }

    /** The shipped real-model samples (models/zoo) are these configurations; {@code -Dsamples.update=true} writes them. */
    @Test
    void theShippedZooSamplesAreDl4jsOwnConfigurations() throws Exception {
        Map<String, String> samples = new LinkedHashMap<>();
        samples.put("resnet50.json", ZOO.get("ResNet50").json());
        ObjectNode wide = (ObjectNode) JSON.readTree(ZOO.get("ResNet50").json());
        ObjectNode v = (ObjectNode) wide.get("vertices");
        long width = layer(v, "res3a_branch2b").get("nout").asLong();
        layer(v, "res3a_branch2b").put("nout", width * 4);
        layer(v, "bn3a_branch2b").put("nin", width * 4).put("nout", width * 4);
        layer(v, "res3a_branch2c").put("nin", width * 4);
        samples.put("resnet50-res3a-4x.json", JSON.writerWithDefaultPrettyPrinter().writeValueAsString(JSON.readTree(JSON.writeValueAsString(wide))));
        samples.put("squeezenet.json", ZOO.get("SqueezeNet").json());
        samples.put("darknet19.json", ZOO.get("Darknet19").json());
        for (var e : samples.entrySet()) {
            Path f = Path.of("models/zoo").resolve(e.getKey());
            if (Boolean.getBoolean("samples.update")) {
                Files.createDirectories(f.getParent());
                Files.writeString(f, e.getValue());
            }
            assertEquals(JSON.readTree(e.getValue()), JSON.readTree(Files.readString(f)), f + " is DL4J's zoo configuration (rerun with -Dsamples.update=true)");
        }
    }

    static ObjectNode layer(ObjectNode vertices, String name) {
        return (ObjectNode) vertices.get(name).get("layerConf").get("layer");
    }

    static ObjectNode reversed(ObjectNode o) {
        List<String> names = new ArrayList<>(iterable(o.fieldNames()));
        java.util.Collections.reverse(names);
        ObjectNode out = JSON.createObjectNode();
        for (String n : names) out.set(n, o.get(n));
        return out;
    }

    static <T> List<T> iterable(Iterator<T> it) {
        List<T> out = new ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    static String failures(CheckReport r) {
        return r.results().stream().filter(x -> x.status() == Status.FAIL || x.status() == Status.WARN).map(RuleResult::message).toList().toString();
    }
}
