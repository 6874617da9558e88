package dev.modelgate.spec;

import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.distribution.Distribution;
import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.graph.PreprocessorVertex;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.conf.preprocessor.CnnToFeedForwardPreProcessor;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.weights.IWeightInit;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.weights.WeightInitDistribution;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Translates a DL4J MultiLayerConfiguration or ComputationGraphConfiguration into a {@link ModelSpec}, keeping the
 * declared nIn of each layer so that {@link ShapeInference} can hold the config to it. The DL4J object itself is
 * kept in the spec and is what runs.
 */
final class Dl4jConfigReader {
    private static final Map<Class<?>, String> ACTIVATIONS = new HashMap<>();
    private static final Map<Class<?>, String> LOSSES = new HashMap<>();
    private static final Map<Class<?>, String> INITS = new HashMap<>();

    static {
        for (Activation a : Activation.values()) {
            try { ACTIVATIONS.putIfAbsent(a.getActivationFunction().getClass(), Vocabulary.activationName(a)); }
            catch (RuntimeException ignored) { /* an activation that cannot be made without arguments */ }
        }
        for (LossFunctions.LossFunction l : LossFunctions.LossFunction.values()) {
            try { LOSSES.putIfAbsent(l.getILossFunction().getClass(), Vocabulary.lossName(l)); }
            catch (RuntimeException ignored) { /* a loss DL4J cannot make without arguments */ }
        }
        for (WeightInit w : WeightInit.values()) {
            if (w == WeightInit.DISTRIBUTION) continue;
            try { INITS.putIfAbsent(w.getWeightInitFunction().getClass(), w.name().toLowerCase().replace('_', '-')); }
            catch (RuntimeException ignored) { /* a scheme that needs arguments */ }
        }
    }

    private final Path file;
    private final SourceFormat format;
    private final Map<String, Integer> autoCounters = new HashMap<>();
    /** The image layout of the layers seen so far (null: no image layer yet); one model uses one layout. */
    private CNN2DFormat layout;
    private String layoutWhere;

    private Dl4jConfigReader(Path file, SourceFormat format) {
        this.file = file;
        this.format = format;
    }

    static ModelSpec multiLayer(Path file, MultiLayerConfiguration conf) {
        return multiLayer(file, conf, SourceFormat.DL4J_MULTILAYER);
    }

    static ModelSpec multiLayer(Path file, MultiLayerConfiguration conf, SourceFormat format) {
        Dl4jConfigReader r = new Dl4jConfigReader(file, format);
        return r.readMultiLayer(conf).withChannelsLast(r.layout == CNN2DFormat.NHWC);
    }

    static ModelSpec graph(Path file, ComputationGraphConfiguration conf) {
        return graph(file, conf, SourceFormat.DL4J_GRAPH);
    }

    static ModelSpec graph(Path file, ComputationGraphConfiguration conf, SourceFormat format) {
        Dl4jConfigReader r = new Dl4jConfigReader(file, format);
        return r.readGraph(conf).withChannelsLast(r.layout == CNN2DFormat.NHWC);
    }

    /**
     * Channels-first and channels-last layers in one model would need DL4J to permute between them, which it does
     * not do on its own; modelgate feeds every image in one layout, so a model must keep to one.
     */
    private void layout(String where, CNN2DFormat f) {
        if (f == null) return;
        if (layout == null) {
            layout = f;
            layoutWhere = where;
        } else if (layout != f) {
            throw error(where, "is " + (f == CNN2DFormat.NHWC ? "channels-last (NHWC)" : "channels-first (NCHW)") + " but " + layoutWhere
                    + " is " + (layout == CNN2DFormat.NHWC ? "channels-last (NHWC)" : "channels-first (NCHW)") + "; one model must use one image layout");
        }
    }

    private BadInputException error(String where, String problem) {
        return new BadInputException(file, Location.UNKNOWN, where, problem);
    }

    private ModelSpec readMultiLayer(MultiLayerConfiguration conf) {
        if (conf.getConfs().isEmpty()) throw error("confs", "the configuration has no layers");
        List<Node> nodes = new ArrayList<>();
        String previous = SpecReader.INPUT;
        Optional<Shape> input = Optional.empty();
        for (int i = 0; i < conf.getConfs().size(); i++) {
            Layer layer = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            String where = "confs[" + i + "]";
            if (pre instanceof FeedForwardToCnnPreProcessor f) {
                Shape.Image target = new Shape.Image(f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
                if (i == 0) input = Optional.of(new Shape.Features(target.size()));
                Node reshape = new Node(autoName("reshape"), new LayerOp.Reshape(target), List.of(previous), true, Location.UNKNOWN);
                nodes.add(reshape);
                previous = reshape.name();
            } else if (pre != null && !(pre instanceof CnnToFeedForwardPreProcessor) && !isRnnFlattening(pre)) {
                throw error(where, "input preprocessor " + pre.getClass().getSimpleName() + " is not supported yet");
            }
            if (i == 0 && input.isEmpty()) input = inputFromFirstLayer(layer);
            Node n = node(where, layer, layer.getLayerName(), List.of(previous));
            nodes.add(n);
            previous = n.name();
        }
        checkOutput(nodes);
        long seed = conf.getConf(0).getSeed();
        return new ModelSpec(file, format, stem(), input, SpecReader.INPUT, nodes,
                new Training(Training.DEFAULT.batchSize(), seed, Training.Optimizer.DEFAULT, null, 0), null, null, null, conf);
    }

    private static boolean isRnnFlattening(InputPreProcessor pre) {
        String n = pre.getClass().getSimpleName();
        return n.equals("RnnToFeedForwardPreProcessor") || n.equals("FeedForwardToRnnPreProcessor");
    }

    private ModelSpec readGraph(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs() == null || conf.getNetworkInputs().size() != 1) {
            throw error("networkInputs", "modelgate supports graphs with exactly one input, this one has "
                    + (conf.getNetworkInputs() == null ? 0 : conf.getNetworkInputs().size()));
        }
        if (conf.getNetworkOutputs() == null || conf.getNetworkOutputs().size() != 1) {
            throw error("networkOutputs", "modelgate supports graphs with exactly one output, this one has "
                    + (conf.getNetworkOutputs() == null ? 0 : conf.getNetworkOutputs().size()));
        }
        String inputName = conf.getNetworkInputs().get(0);
        String outputName = conf.getNetworkOutputs().get(0);
        List<String> order;
        try {
            order = conf.getTopologicalOrderStr();
        } catch (RuntimeException e) {
            throw error("vertices", "cannot order the graph (is there a cycle?): " + e.getMessage());
        }
        if (order == null) order = new ArrayList<>(conf.getVertices().keySet());
        List<Node> nodes = new ArrayList<>();
        Optional<Shape> input = Optional.empty();
        Node outputNode = null;
        for (String name : order) {
            if (name.equals(inputName)) continue;
            GraphVertex v = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().getOrDefault(name, List.of());
            String where = "vertices." + name;
            if (v instanceof LayerVertex lv) {
                List<String> src = inputs;
                if (lv.getPreProcessor() instanceof FeedForwardToCnnPreProcessor f) {
                    Shape.Image target = new Shape.Image(f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
                    if (inputs.equals(List.of(inputName)) && input.isEmpty()) input = Optional.of(new Shape.Features(target.size()));
                    Node reshape = new Node(name + "_reshape", new LayerOp.Reshape(target), inputs, true, Location.UNKNOWN);
                    nodes.add(reshape);
                    src = List.of(reshape.name());
                }
                Layer layer = lv.getLayerConf().getLayer();
                if (inputs.equals(List.of(inputName)) && input.isEmpty()) input = inputFromFirstLayer(layer);
                Node n = new Node(name, op(where, layer), src, false, Location.UNKNOWN);
                if (name.equals(outputName)) outputNode = n;
                else nodes.add(n);
            } else if (v instanceof MergeVertex) {
                nodes.add(new Node(name, new LayerOp.Merge("concat"), inputs, false, Location.UNKNOWN));
            } else if (v instanceof ElementWiseVertex e) {
                String op = switch (e.getOp()) {
                    case Add -> "add";
                    case Subtract -> "subtract";
                    case Product -> "multiply";
                    case Average -> "average";
                    case Max -> "max";
                };
                nodes.add(new Node(name, new LayerOp.Merge(op), inputs, false, Location.UNKNOWN));
            } else if (v instanceof PreprocessorVertex pv && pv.getPreProcessor() instanceof FeedForwardToCnnPreProcessor f) {
                Shape.Image target = new Shape.Image(f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
                if (inputs.equals(List.of(inputName)) && input.isEmpty()) input = Optional.of(new Shape.Features(target.size()));
                nodes.add(new Node(name, new LayerOp.Reshape(target), inputs, false, Location.UNKNOWN));
            } else {
                throw error(where, "graph vertex type " + (v == null ? "null" : v.getClass().getSimpleName())
                        + " is not supported yet; supported: layers, MergeVertex, ElementWiseVertex, FeedForwardToCnn preprocessors");
            }
        }
        if (outputNode == null) throw error("networkOutputs", "the output '" + outputName + "' is not a layer");
        nodes.add(outputNode);
        checkOutput(nodes);
        long seed = conf.getDefaultConfiguration() == null ? Training.DEFAULT.seed() : conf.getDefaultConfiguration().getSeed();
        return new ModelSpec(file, format, stem(), input, inputName, nodes,
                new Training(Training.DEFAULT.batchSize(), seed, Training.Optimizer.DEFAULT, null, 0), null, null, null, conf);
    }

    private void checkOutput(List<Node> nodes) {
        Node last = nodes.get(nodes.size() - 1);
        if (!(last.op() instanceof LayerOp.Output)) {
            throw error("layer '" + last.name() + "'", "the last layer must be an output layer (OutputLayer or RnnOutputLayer) so the model can be trained; it is " + last.op().type());
        }
    }

    private Optional<Shape> inputFromFirstLayer(Layer layer) {
        if (layer instanceof LSTM || layer instanceof RnnOutputLayer) return Optional.empty(); // length unknown
        if (layer instanceof DenseLayer || layer instanceof OutputLayer) {
            long nIn = ((FeedForwardLayer) layer).getNIn();
            return nIn > 0 ? Optional.of(new Shape.Features(nIn)) : Optional.empty();
        }
        return Optional.empty(); // a conv layer knows its channels, not its height and width
    }

    private Node node(String where, Layer layer, String name, List<String> inputs) {
        LayerOp op = op(where, layer);
        boolean auto = name == null || name.isBlank() || name.matches("(layer)?\\d+");
        return new Node(auto ? autoName(op.type()) : name, op, inputs, auto, Location.UNKNOWN);
    }

    private String autoName(String type) {
        String t = type.replace('-', '_');
        return t + "_" + autoCounters.merge(t, 1, Integer::sum);
    }

    private LayerOp op(String where, Layer layer) {
        if (layer instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f && !(layer instanceof DepthwiseConvolution2D)
                && !(layer instanceof BatchNormalization) && !(layer instanceof DropoutLayer) && f.getNOut() <= 0) {
            throw error(where + " (" + (layer.getLayerName() == null ? layer.getClass().getSimpleName() : layer.getLayerName()) + ")",
                    "nOut must be a positive integer, got " + f.getNOut());
        }
        if (layer instanceof BaseOutputLayer o && (layer instanceof OutputLayer || layer instanceof RnnOutputLayer)) {
            return new LayerOp.Output(o.getNOut(), act(o), loss(where, o.getLossFn()), init(o), nIn(o.getNIn()));
        }
        if (layer instanceof DenseLayer d) return new LayerOp.Dense(d.getNOut(), act(d), init(d), nIn(d.getNIn()));
        if (layer instanceof ConvolutionLayer c) {
            layout(where, c.getCnn2dDataFormat());
            if (c.getKernelSize().length != 2) throw error(where, layer.getClass().getSimpleName() + " is not a 2-D convolution; not supported yet");
            ConvGeometry g = geometry(where, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(), c.getConvolutionMode());
            if (layer instanceof SeparableConvolution2D s) return new LayerOp.SeparableConv2d(s.getNOut(), s.getDepthMultiplier(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            if (layer instanceof DepthwiseConvolution2D d) return new LayerOp.DepthwiseConv2d(d.getDepthMultiplier(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            if (layer instanceof Deconvolution2D) return new LayerOp.Deconv2d(c.getNOut(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            if (layer.getClass() == ConvolutionLayer.class) return new LayerOp.Conv2d(c.getNOut(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
        }
        if (layer.getClass() == SubsamplingLayer.class) {
            SubsamplingLayer s = (SubsamplingLayer) layer;
            layout(where, s.getCnn2dDataFormat());
            String type = switch (s.getPoolingType()) {
                case MAX -> "max";
                case AVG -> "avg";
                default -> throw error(where, s.getPoolingType() + " pooling layers are not supported yet; supported: MAX, AVG");
            };
            return new LayerOp.Pool2d(type, geometry(where, s.getKernelSize(), s.getStride(), s.getPadding(), s.getDilation(), s.getConvolutionMode()));
        }
        if (layer instanceof GlobalPoolingLayer g) return new LayerOp.GlobalPool(g.getPoolingType().name().toLowerCase());
        if (layer instanceof Upsampling2D u) layout(where, u.getFormat());
        if (layer instanceof Upsampling2D u) return new LayerOp.Upsample2d(u.getSize().length == 1 ? new int[] {u.getSize()[0], u.getSize()[0]} : u.getSize());
        if (layer instanceof BatchNormalization b) return new LayerOp.BatchNorm(b.getEps(), b.getDecay(), nIn(b.getNIn()));
        if (layer instanceof DropoutLayer d) {
            double keep = d.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout dr ? dr.getP() : 1.0;
            return new LayerOp.Dropout(1.0 - keep);
        }
        if (layer.getClass() == LSTM.class) {
            LSTM l = (LSTM) layer;
            return new LayerOp.Lstm(l.getNOut(), act(l), init(l), nIn(l.getNIn()));
        }
        if (layer instanceof ActivationLayer a) return new LayerOp.Activation(activationName(a.getActivationFn()));
        throw error(where, "DL4J layer type " + layer.getClass().getSimpleName() + " is not supported yet; supported: DenseLayer, OutputLayer, "
                + "RnnOutputLayer, ConvolutionLayer, SeparableConvolution2D, DepthwiseConvolution2D, Deconvolution2D, SubsamplingLayer, "
                + "GlobalPoolingLayer, Upsampling2D, BatchNormalization, DropoutLayer, LSTM, ActivationLayer");
    }

    private ConvGeometry geometry(String where, int[] k, int[] s, int[] p, int[] d, ConvolutionMode mode) {
        if (mode == ConvolutionMode.Causal) throw error(where, "ConvolutionMode.Causal applies to 1-D convolutions only");
        return new ConvGeometry(k.clone(), s.clone(), p.clone(), d == null ? new int[] {1, 1} : d.clone(), mode == ConvolutionMode.Same);
    }

    private static Long nIn(long nIn) {
        return nIn > 0 ? nIn : null;
    }

    private static String act(BaseLayer l) {
        return activationName(l.getActivationFn());
    }

    private static String activationName(IActivation a) {
        if (a == null) return "identity";
        return ACTIVATIONS.getOrDefault(a.getClass(), a.getClass().getSimpleName());
    }

    private String loss(String where, ILossFunction l) {
        if (l == null) throw error(where, "the output layer has no loss function");
        return LOSSES.getOrDefault(l.getClass(), l.getClass().getSimpleName());
    }

    private static WeightInitSpec init(BaseLayer l) {
        IWeightInit w = l.getWeightInitFn();
        if (w == null) return WeightInitSpec.XAVIER;
        if (w instanceof WeightInitDistribution wd) {
            Distribution d = distributionOf(wd);
            if (d instanceof NormalDistribution n) return WeightInitSpec.normal(n.getMean(), n.getStd());
            if (d instanceof UniformDistribution u) return WeightInitSpec.uniform(u.getLower(), u.getUpper());
            return WeightInitSpec.named(d.getClass().getSimpleName());
        }
        return WeightInitSpec.named(INITS.getOrDefault(w.getClass(), w.getClass().getSimpleName()));
    }

    /** WeightInitDistribution has no getter; DL4J's own JSON serializer reads the field the same way. */
    private static Distribution distributionOf(WeightInitDistribution wd) {
        try {
            java.lang.reflect.Field f = WeightInitDistribution.class.getDeclaredField("distribution");
            f.setAccessible(true);
            return (Distribution) f.get(wd);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot read the distribution of a DL4J weight init", e);
        }
    }

    private String stem() {
        String f = file == null ? "model" : file.getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }
}
