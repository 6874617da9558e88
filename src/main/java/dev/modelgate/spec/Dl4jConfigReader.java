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
            String where = "confs[" + i + "]";
            if (conf.getConf(i) == null || conf.getConf(i).getLayer() == null) throw error(where + ".layer", "is missing or null; every entry of confs has a layer");
            Layer layer = conf.getConf(i).getLayer();
            InputPreProcessor pre = conf.getInputPreProcess(i);
            if (pre instanceof FeedForwardToCnnPreProcessor f) {
                Shape.Image target = new Shape.Image(f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
                if (i == 0) input = Optional.of(new Shape.Features(target.size()));
                Node reshape = new Node(autoName("reshape"), new LayerOp.Reshape(target), List.of(previous), true, Location.UNKNOWN);
                nodes.add(reshape);
                previous = reshape.name();
            }
            // Any other preprocessor (CNN to dense, RNN flattening, CNN3D, ...) changes only the layout: DL4J applies it,
            // and its shapes come from DL4J's own propagation (Dl4jShapes).
            if (i == 0 && input.isEmpty()) input = inputFromFirstLayer(layer);
            Node n = node(where, layer, layer.getLayerName(), List.of(previous));
            nodes.add(n);
            previous = n.name();
        }
        long seed = conf.getConf(0).getSeed();
        return new ModelSpec(file, format, stem(), input, SpecReader.INPUT, nodes,
                new Training(Training.DEFAULT.batchSize(), seed, Training.Optimizer.DEFAULT, null, 0), null, null, null, conf);
    }

    private ModelSpec readGraph(ComputationGraphConfiguration conf) {
        if (conf.getNetworkInputs() == null || conf.getNetworkInputs().isEmpty()) throw error("networkInputs", "the graph has no inputs");
        if (new java.util.HashSet<>(conf.getNetworkInputs()).size() != conf.getNetworkInputs().size()) {
            throw error("networkInputs", "names an input twice: " + String.join(", ", conf.getNetworkInputs()));
        }
        if (conf.getNetworkOutputs() == null || conf.getNetworkOutputs().size() != 1) {
            throw error("networkOutputs", "modelgate supports graphs with exactly one output, this one has "
                    + (conf.getNetworkOutputs() == null ? 0 : conf.getNetworkOutputs().size()));
        }
        List<String> inputNames = conf.getNetworkInputs();
        String outputName = conf.getNetworkOutputs().get(0);
        List<String> order = canonicalOrder(file, conf, inputNames, outputName);
        List<Node> nodes = new ArrayList<>();
        // Each input's shape, where the first layer that reads it alone says it (nIn, or a reshape's target).
        Map<String, Optional<Shape>> inputShapes = new java.util.LinkedHashMap<>();
        for (String in : inputNames) inputShapes.put(in, Optional.empty());
        Node outputNode = null;
        for (String name : order) {
            if (inputShapes.containsKey(name)) continue;
            GraphVertex v = conf.getVertices().get(name);
            List<String> inputs = conf.getVertexInputs().getOrDefault(name, List.of());
            String where = "vertices." + name;
            if (v instanceof LayerVertex lv) {
                List<String> src = inputs;
                if (lv.getPreProcessor() instanceof FeedForwardToCnnPreProcessor f) {
                    Shape.Image target = new Shape.Image(f.getNumChannels(), f.getInputHeight(), f.getInputWidth());
                    onlyInput(inputs, inputShapes, () -> Optional.of(new Shape.Features(target.size())));
                    Node reshape = new Node(name + "_reshape", new LayerOp.Reshape(target), inputs, true, Location.UNKNOWN);
                    nodes.add(reshape);
                    src = List.of(reshape.name());
                }
                Layer layer = lv.getLayerConf().getLayer();
                onlyInput(inputs, inputShapes, () -> inputFromFirstLayer(layer));
                Node n = new Node(name, op(where, layer), src, false, Location.UNKNOWN, layer);
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
                onlyInput(inputs, inputShapes, () -> Optional.of(new Shape.Features(target.size())));
                nodes.add(new Node(name, new LayerOp.Reshape(target), inputs, false, Location.UNKNOWN));
            } else {
                // Any other vertex (ScaleVertex, ShiftVertex, SubsetVertex, L2NormalizeVertex, StackVertex, ...): DL4J runs it.
                Node n = new Node(name, vertexOp(v, inputs.size()), inputs, false, Location.UNKNOWN);
                if (name.equals(outputName)) outputNode = n;
                else nodes.add(n);
            }
        }
        if (outputNode == null) throw error("networkOutputs", "the output '" + outputName + "' is not a vertex of the graph");
        nodes.add(outputNode);
        long seed = conf.getDefaultConfiguration() == null ? Training.DEFAULT.seed() : conf.getDefaultConfiguration().getSeed();
        List<ModelSpec.Input> inputs = new ArrayList<>();
        inputShapes.forEach((n, shape) -> inputs.add(new ModelSpec.Input(n, shape)));
        return new ModelSpec(file, format, stem(), inputs, nodes,
                new Training(Training.DEFAULT.batchSize(), seed, Training.Optimizer.DEFAULT, null, 0), null, null, null, conf,
                false, List.of(), false, false);
    }

    /** Records the shape a vertex implies for the network input it reads, when it reads that input alone and first. */
    private static void onlyInput(List<String> vertexInputs, Map<String, Optional<Shape>> inputShapes, java.util.function.Supplier<Optional<Shape>> shape) {
        if (vertexInputs.size() != 1) return;
        String in = vertexInputs.get(0);
        if (inputShapes.containsKey(in) && inputShapes.get(in).isEmpty()) inputShapes.put(in, shape.get());
    }

    /**
     * The graph's vertices in an order that depends on the graph alone, not on the order the file lists them in
     * (DL4J keeps vertices in a map and sorts them itself): depth first from the output, each vertex's inputs in the
     * order the vertex lists them, so every vertex comes after its inputs. Vertices the output does not depend on
     * follow, by name.
     */
    static List<String> canonicalOrder(Path file, ComputationGraphConfiguration conf, List<String> inputNames, String outputName) {
        java.util.LinkedHashSet<String> done = new java.util.LinkedHashSet<>();
        java.util.Set<String> onPath = new java.util.HashSet<>();
        java.util.Set<String> inputs = java.util.Set.copyOf(inputNames);
        visit(file, conf, outputName, inputs, done, onPath);
        List<String> rest = new ArrayList<>(conf.getVertices().keySet());
        rest.removeAll(done);
        java.util.Collections.sort(rest);
        for (String v : rest) visit(file, conf, v, inputs, done, onPath);
        return new ArrayList<>(done);
    }

    private static void visit(Path file, ComputationGraphConfiguration conf, String start, java.util.Set<String> inputNames, java.util.LinkedHashSet<String> done,
                              java.util.Set<String> onPath) {
        // Iterative post-order: graphs such as InceptionResNet are deep enough to make recursion a risk.
        java.util.ArrayDeque<String[]> stack = new java.util.ArrayDeque<>();
        java.util.ArrayDeque<java.util.Iterator<String>> its = new java.util.ArrayDeque<>();
        if (done.contains(start) || inputNames.contains(start)) return;
        stack.push(new String[] {start});
        its.push(conf.getVertexInputs().getOrDefault(start, List.of()).iterator());
        onPath.add(start);
        while (!stack.isEmpty()) {
            java.util.Iterator<String> it = its.peek();
            if (it.hasNext()) {
                String src = it.next();
                if (inputNames.contains(src) || done.contains(src)) continue;
                if (onPath.contains(src)) throw new BadInputException(file, Location.UNKNOWN, "vertices." + src, "the graph has a cycle through '" + src + "'");
                if (!conf.getVertices().containsKey(src)) continue; // a dangling name: DL4J reports it when it builds
                stack.push(new String[] {src});
                its.push(conf.getVertexInputs().getOrDefault(src, List.of()).iterator());
                onPath.add(src);
            } else {
                String v = stack.pop()[0];
                its.pop();
                onPath.remove(v);
                done.add(v);
            }
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
        return new Node(auto ? autoName(op.type()) : name, op, inputs, auto, Location.UNKNOWN, layer);
    }

    private String autoName(String type) {
        String t = type.replace('-', '_');
        return t + "_" + autoCounters.merge(t, 1, Integer::sum);
    }

    private LayerOp op(String where, Layer layer) {
        LayerOp known = knownOp(where, layer);
        return known != null ? known : nativeOp(layer);
    }

    /** nOut 0 makes DL4J fail at init for the layers modelgate has an op of its own for; said here, naming the layer. */
    private void requireNOut(String where, Layer layer, long nOut) {
        if (nOut > 0) return;
        throw error(where + " (" + (layer.getLayerName() == null ? layer.getClass().getSimpleName() : layer.getLayerName()) + ")",
                "nOut must be a positive integer, got " + nOut);
    }

    /** The layers modelgate has an op of its own for (exactly these classes; subclasses are DL4J's to describe). */
    private LayerOp knownOp(String where, Layer layer) {
        Class<?> k = layer.getClass();
        if (k == OutputLayer.class || k == RnnOutputLayer.class) {
            BaseOutputLayer o = (BaseOutputLayer) layer;
            requireNOut(where, layer, o.getNOut());
            return new LayerOp.Output(o.getNOut(), act(o), loss(where, o.getLossFn()), init(o), nIn(o.getNIn()));
        }
        if (k == DenseLayer.class) {
            DenseLayer d = (DenseLayer) layer;
            requireNOut(where, layer, d.getNOut());
            return new LayerOp.Dense(d.getNOut(), act(d), init(d), nIn(d.getNIn()));
        }
        if (k == ConvolutionLayer.class || k == SeparableConvolution2D.class || k == DepthwiseConvolution2D.class || k == Deconvolution2D.class) {
            ConvolutionLayer c = (ConvolutionLayer) layer;
            if (c.getKernelSize().length != 2 || c.getConvolutionMode() == ConvolutionMode.Causal) return null;
            layout(where, c.getCnn2dDataFormat());
            if (k != DepthwiseConvolution2D.class) requireNOut(where, layer, c.getNOut());
            ConvGeometry g = geometry(where, c.getKernelSize(), c.getStride(), c.getPadding(), c.getDilation(), c.getConvolutionMode());
            if (layer instanceof SeparableConvolution2D sc) return new LayerOp.SeparableConv2d(sc.getNOut(), sc.getDepthMultiplier(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            if (layer instanceof DepthwiseConvolution2D d) return new LayerOp.DepthwiseConv2d(d.getDepthMultiplier(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            if (layer instanceof Deconvolution2D) return new LayerOp.Deconv2d(c.getNOut(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
            return new LayerOp.Conv2d(c.getNOut(), g, act(c), init(c), c.isHasBias(), nIn(c.getNIn()));
        }
        if (k == SubsamplingLayer.class) {
            SubsamplingLayer sl = (SubsamplingLayer) layer;
            String type = switch (sl.getPoolingType()) {
                case MAX -> "max";
                case AVG -> "avg";
                default -> null; // PNORM, SUM: DL4J's to describe
            };
            if (type == null) return null;
            layout(where, sl.getCnn2dDataFormat());
            return new LayerOp.Pool2d(type, geometry(where, sl.getKernelSize(), sl.getStride(), sl.getPadding(), sl.getDilation(), sl.getConvolutionMode()));
        }
        if (k == GlobalPoolingLayer.class) return new LayerOp.GlobalPool(((GlobalPoolingLayer) layer).getPoolingType().name().toLowerCase());
        if (k == Upsampling2D.class) {
            Upsampling2D u = (Upsampling2D) layer;
            layout(where, u.getFormat());
            return new LayerOp.Upsample2d(u.getSize().length == 1 ? new int[] {u.getSize()[0], u.getSize()[0]} : u.getSize());
        }
        if (k == BatchNormalization.class) {
            BatchNormalization bn = (BatchNormalization) layer;
            layout(where, bn.getCnn2DFormat());
            return new LayerOp.BatchNorm(bn.getEps(), bn.getDecay(), nIn(bn.getNIn()));
        }
        if (k == DropoutLayer.class) {
            DropoutLayer d = (DropoutLayer) layer;
            double keep = d.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout dr ? dr.getP() : 1.0;
            return new LayerOp.Dropout(1.0 - keep);
        }
        if (k == LSTM.class) {
            LSTM l = (LSTM) layer;
            requireNOut(where, layer, l.getNOut());
            return new LayerOp.Lstm(l.getNOut(), act(l), init(l), nIn(l.getNIn()));
        }
        if (k == ActivationLayer.class) return new LayerOp.Activation(activationName(((ActivationLayer) layer).getActivationFn()));
        return null;
    }

    /** Every other DL4J layer: described from its class and DL4J's own configuration, never refused. */
    private LayerOp nativeOp(Layer layer) {
        Layer inner = Dl4jLayers.unwrapped(layer);
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        if (inner != layer) attrs.put("wrapper", kebab(layer.getClass().getSimpleName()));
        Long width = null, inWidth = null;
        if (inner instanceof FeedForwardLayer f) {
            if (f.getNOut() > 0) width = f.getNOut();
            if (f.getNIn() > 0) inWidth = f.getNIn();
        }
        if (layer instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional bi && width != null
                && bi.getMode() == org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.CONCAT) {
            width = 2 * width;
        }
        if (width != null) attrs.put(familyOf(inner) == LayerOp.Family.CONV ? "filters" : "units", Long.toString(width));
        if (inner instanceof ConvolutionLayer c) {
            attrs.put("kernel", java.util.Arrays.toString(c.getKernelSize()));
            attrs.put("stride", java.util.Arrays.toString(c.getStride()));
            attrs.put("mode", String.valueOf(c.getConvolutionMode()));
        }
        if (inner instanceof SubsamplingLayer sl) {
            attrs.put("pooling", String.valueOf(sl.getPoolingType()).toLowerCase());
            attrs.put("kernel", java.util.Arrays.toString(sl.getKernelSize()));
        }
        if (inner instanceof org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer z) attrs.put("padding", java.util.Arrays.toString(z.getPadding()));
        if (inner instanceof org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D c) attrs.put("cropping", java.util.Arrays.toString(c.getCropping()));
        if (inner instanceof org.deeplearning4j.nn.conf.layers.PReLULayer p && p.getSharedAxes() != null) attrs.put("shared-axes", java.util.Arrays.toString(p.getSharedAxes()));
        // PReLU and RepeatVector keep the global default activation (sigmoid) but never apply it.
        boolean appliesActivation = !(inner instanceof org.deeplearning4j.nn.conf.layers.PReLULayer || inner instanceof org.deeplearning4j.nn.conf.layers.misc.RepeatVector);
        String activation = !appliesActivation ? null : inner instanceof BaseLayer bl ? act(bl) : inner instanceof ActivationLayer al ? activationName(al.getActivationFn())
                : inner instanceof org.deeplearning4j.nn.conf.layers.LossLayer ll ? activationName(ll.getActivationFn())
                : inner instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer cl ? activationName(cl.getActivationFn())
                : inner instanceof org.deeplearning4j.nn.conf.layers.RnnLossLayer rl ? activationName(rl.getActivationFn()) : null;
        if (activation != null) attrs.put("activation", activation);
        String loss = headLoss(inner);
        if (loss != null) attrs.put("loss", loss);
        return new LayerOp.Native(kebab(inner.getClass().getSimpleName()), familyOf(inner), width, inWidth, loss, activation, attrs);
    }

    /** A graph vertex that is not a layer, merge or element-wise join. */
    private static LayerOp vertexOp(GraphVertex v, int inputs) {
        String type = kebab(v.getClass().getSimpleName().replace("Vertex", ""));
        Map<String, String> attrs = new java.util.LinkedHashMap<>();
        if (v instanceof org.deeplearning4j.nn.conf.graph.ScaleVertex sv) attrs.put("factor", Double.toString(sv.getScaleFactor()));
        if (v instanceof org.deeplearning4j.nn.conf.graph.ShiftVertex sv) attrs.put("shift", Double.toString(sv.getShiftFactor()));
        if (v instanceof org.deeplearning4j.nn.conf.graph.SubsetVertex sv) attrs.put("range", sv.getFrom() + "-" + sv.getTo());
        if (v instanceof PreprocessorVertex pv && pv.getPreProcessor() != null) attrs.put("preprocessor", kebab(pv.getPreProcessor().getClass().getSimpleName()));
        LayerOp.Family family = inputs > 1 ? LayerOp.Family.MERGE
                : v instanceof org.deeplearning4j.nn.conf.graph.L2NormalizeVertex ? LayerOp.Family.NORMALIZATION
                : v instanceof org.deeplearning4j.nn.conf.graph.ScaleVertex || v instanceof org.deeplearning4j.nn.conf.graph.ShiftVertex ? LayerOp.Family.ACTIVATION
                : LayerOp.Family.RESHAPE;
        if (inputs > 1) attrs.put("inputs", Integer.toString(inputs));
        return new LayerOp.Native(type, family, null, null, null, null, attrs);
    }

    /** The family of a DL4J layer class, for matching and the width rules. */
    static LayerOp.Family familyOf(Layer l) {
        if (headLoss(l) != null) return LayerOp.Family.OUTPUT;
        if (l instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer || l instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer) return LayerOp.Family.EMBEDDING;
        if (l instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) return LayerOp.Family.RECURRENT;
        if (l instanceof ConvolutionLayer || l instanceof org.deeplearning4j.nn.conf.layers.Convolution3D
                || l instanceof org.deeplearning4j.nn.conf.layers.LocallyConnected2D || l instanceof org.deeplearning4j.nn.conf.layers.LocallyConnected1D) return LayerOp.Family.CONV;
        if (l instanceof SubsamplingLayer || l instanceof GlobalPoolingLayer || l instanceof org.deeplearning4j.nn.conf.layers.Subsampling3DLayer) return LayerOp.Family.POOL;
        if (l instanceof BatchNormalization || l instanceof org.deeplearning4j.nn.conf.layers.LocalResponseNormalization) return LayerOp.Family.NORMALIZATION;
        if (l instanceof org.deeplearning4j.nn.conf.layers.SelfAttentionLayer || l instanceof org.deeplearning4j.nn.conf.layers.LearnedSelfAttentionLayer
                || l instanceof org.deeplearning4j.nn.conf.layers.RecurrentAttentionLayer) return LayerOp.Family.ATTENTION;
        if (l instanceof DropoutLayer) return LayerOp.Family.REGULARIZATION;
        if (l instanceof ActivationLayer || l instanceof org.deeplearning4j.nn.conf.layers.PReLULayer) return LayerOp.Family.ACTIVATION;
        if (l instanceof DenseLayer) return LayerOp.Family.DENSE;
        if (l instanceof org.deeplearning4j.nn.conf.layers.NoParamLayer) return LayerOp.Family.RESHAPE; // padding, cropping, space-to-depth, upsampling
        if (l instanceof FeedForwardLayer) return LayerOp.Family.DENSE;
        return LayerOp.Family.OTHER;
    }

    /** The loss of a DL4J output head of any kind, or null for a layer that is not one. */
    static String headLoss(Layer l) {
        if (l instanceof BaseOutputLayer o) return o.getLossFn() == null ? "none" : LOSSES.getOrDefault(o.getLossFn().getClass(), o.getLossFn().getClass().getSimpleName());
        ILossFunction fn = l instanceof org.deeplearning4j.nn.conf.layers.LossLayer ll ? ll.getLossFn()
                : l instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer cl ? cl.getLossFn()
                : l instanceof org.deeplearning4j.nn.conf.layers.RnnLossLayer rl ? rl.getLossFn()
                : l instanceof org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer c3 ? c3.getLossFn() : null;
        if (fn != null) return LOSSES.getOrDefault(fn.getClass(), fn.getClass().getSimpleName());
        if (l instanceof org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer) return "yolo2";
        return null;
    }

    /** ZeroPaddingLayer -> zero-padding, LocalResponseNormalization -> local-response-normalization. */
    static String kebab(String className) {
        String s = className.replaceAll("Layer$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2").replaceAll("([A-Z])([A-Z][a-z])", "$1-$2");
        return s.toLowerCase(java.util.Locale.ROOT);
    }

    private ConvGeometry geometry(String where, int[] k, int[] s, int[] p, int[] d, ConvolutionMode mode) {
        if (mode == ConvolutionMode.Causal) throw error(where, "ConvolutionMode.Causal applies to 1-D convolutions only");
        return new ConvGeometry(pair(where, "kernelSize", k, 1), pair(where, "stride", s, 1), pair(where, "padding", p, 0),
                d == null ? new int[] {1, 1} : pair(where, "dilation", d, 1), mode == ConvolutionMode.Same);
    }

    /** A 2-D window field as DL4J reads it unchecked: it must be two integers of at least {@code min}. */
    private int[] pair(String where, String field, int[] v, int min) {
        if (v == null || v.length != 2 || v[0] < min || v[1] < min) {
            throw error(where + "." + field, "expected two integers of at least " + min + " (height, width), got "
                    + (v == null ? "nothing" : java.util.Arrays.toString(v)));
        }
        return v.clone();
    }

    private static Long nIn(long nIn) {
        return nIn > 0 ? nIn : null;
    }

    private static String act(BaseLayer l) {
        return activationName(l.getActivationFn());
    }

    private static String activationName(IActivation a) {
        if (a == null) return "identity";
        String name = ACTIVATIONS.getOrDefault(a.getClass(), a.getClass().getSimpleName());
        String settings = activationSettings(a);
        return settings.isEmpty() ? name : name + " (" + settings + ")";
    }

    /**
     * The settings of a parameterized activation where they differ from its defaults (Keras's ReLU(6.) is DL4J's
     * ReLU with max 6, LeakyReLU's alpha 0.3 is not DL4J's 0.01): without them a change of them would look like none.
     */
    private static String activationSettings(IActivation a) {
        List<String> s = new ArrayList<>();
        if (a instanceof org.nd4j.linalg.activations.impl.ActivationReLU r) {
            if (r.getMax() != null && r.getMax() > 0) s.add("max " + plain(r.getMax()));
            if (r.getThreshold() != null && r.getThreshold() != 0) s.add("threshold " + plain(r.getThreshold()));
            if (r.getNegativeSlope() != null && r.getNegativeSlope() != 0) s.add("negative slope " + plain(r.getNegativeSlope()));
        } else if (a instanceof org.nd4j.linalg.activations.impl.ActivationLReLU l && l.getAlpha() != new org.nd4j.linalg.activations.impl.ActivationLReLU().getAlpha()) {
            s.add("alpha " + plain(l.getAlpha()));
        } else if (a instanceof org.nd4j.linalg.activations.impl.ActivationELU e && e.getAlpha() != new org.nd4j.linalg.activations.impl.ActivationELU().getAlpha()) {
            s.add("alpha " + plain(e.getAlpha()));
        } else if (a instanceof org.nd4j.linalg.activations.impl.ActivationThresholdedReLU t
                && t.getTheta() != new org.nd4j.linalg.activations.impl.ActivationThresholdedReLU().getTheta()) {
            s.add("theta " + plain(t.getTheta()));
        }
        return String.join(", ", s);
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
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
