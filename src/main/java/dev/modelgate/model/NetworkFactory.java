package dev.modelgate.model;

import dev.modelgate.error.BadInputException;
import dev.modelgate.spec.ConvGeometry;
import dev.modelgate.spec.LayerOp;
import dev.modelgate.spec.ModelZip;
import dev.modelgate.spec.Node;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import dev.modelgate.spec.SourceFormat;
import dev.modelgate.spec.Training;
import dev.modelgate.spec.Vocabulary;
import dev.modelgate.spec.WeightInitSpec;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.ElementWiseVertex;
import org.deeplearning4j.nn.conf.graph.MergeVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.DepthwiseConvolution2D;
import org.deeplearning4j.nn.conf.layers.DropoutLayer;
import org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer;
import org.deeplearning4j.nn.conf.layers.LSTM;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.conf.layers.RnnOutputLayer;
import org.deeplearning4j.nn.conf.layers.SeparableConvolution2D;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.conf.layers.Upsampling2D;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.modelimport.keras.KerasModelImport;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.learning.config.RmsProp;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.util.List;
import java.util.Map;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * Builds DL4J networks. A DL4J config runs exactly as it was written; a modelgate spec becomes a
 * ComputationGraph (one builder for sequences and graphs, and its gradients are keyed by layer name).
 */
public final class NetworkFactory {
    /** DL4J's switch for its memory crash dumps (see the static block). */
    static final String CRASH_DUMPS = "org.deeplearning4j.crash.reporting.enabled";
    /** DL4J's folder for its memory crash dumps (the working directory unless set). */
    public static final String CRASH_DUMP_DIRECTORY = "org.deeplearning4j.crash.reporting.directory";

    static {
        crashDumpsOffUnlessAsked();
    }

    static void crashDumpsOffUnlessAsked() {
        // On an out-of-memory in fit or output, DL4J writes dl4j-memory-crash-dump-*.txt into the working directory
        // (the user's, or the repository a CI job runs in). modelgate reports running out of memory itself; the dump
        // stays off unless asked for with -Dorg.deeplearning4j.crash.reporting.enabled=true, and then goes to the
        // temporary directory unless -Dorg.deeplearning4j.crash.reporting.directory says where.
        if (System.getProperty(CRASH_DUMPS) == null) org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(false);
        String dir = System.getProperty(CRASH_DUMP_DIRECTORY);
        if (dir == null || dir.isBlank()) org.deeplearning4j.util.CrashReportingUtil.crashDumpOutputDirectory(defaultCrashDumpDirectory().toFile());
    }

    /** Where DL4J's memory crash dumps go unless the user says otherwise: never the working directory. */
    public static Path defaultCrashDumpDirectory() {
        return Path.of(System.getProperty("java.io.tmpdir"), "modelgate-crash-dumps");
    }

    private NetworkFactory() {}

    public static Network build(ResolvedModel model) {
        return build(model, OptionalLong.empty());
    }

    /**
     * Builds and initializes; {@code seed} replaces the config's own seed for parameter initialization. A model with
     * a {@link ResolvedModel.Transfer} then takes its matched layers' parameters from the original's network.
     */
    public static Network build(ResolvedModel model, OptionalLong seed) {
        Network net = buildAlone(model, seed);
        if (model.transfer() != null) {
            Network original = buildAlone(model.transfer().original(), seed);
            for (var e : model.transfer().layers().entrySet()) {
                Map<String, INDArray> to = net.paramTable(e.getKey()), from = original.paramTable(e.getValue());
                for (var p : to.entrySet()) {
                    INDArray src = from.get(p.getKey());
                    if (src == null || !java.util.Arrays.equals(src.shape(), p.getValue().shape())) {
                        throw BadInputException.run(model.spec().source() + ": init: from-original: layer '" + e.getKey() + "' parameter "
                                + p.getKey() + " does not fit the original's layer '" + e.getValue() + "'", null);
                    }
                    p.getValue().assign(src);
                }
            }
        }
        return net;
    }

    private static Network buildAlone(ResolvedModel model, OptionalLong seed) {
        Object nativeConfig = model.spec().nativeConfig();
        String refusal = dev.modelgate.spec.KerasReader.refusesToRun(model.spec());
        if (refusal != null) {
            throw new BadInputException(model.spec().source(), dev.modelgate.error.Location.UNKNOWN, "", refusal);
        }
        try {
            if (model.spec().weights() != null) return trained(model);
            if (nativeConfig instanceof MultiLayerConfiguration c) {
                MultiLayerConfiguration conf = c.clone();
                seed.ifPresent(s -> conf.getConfs().forEach(layerConf -> layerConf.setSeed(s)));
                MultiLayerNetwork net = new MultiLayerNetwork(conf);
                net.init();
                List<String> names = model.spec().nodes().stream().filter(n -> !(n.op() instanceof LayerOp.Reshape)).map(Node::name).toList();
                return new Network(net, names);
            }
            ComputationGraphConfiguration conf = nativeConfig instanceof ComputationGraphConfiguration c ? copy(c) : graphConfig(model, seed);
            if (nativeConfig != null) seed.ifPresent(s -> conf.getDefaultConfiguration().setSeed(s));
            ComputationGraph graph = new ComputationGraph(conf);
            graph.init();
            return new Network(graph);
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException | java.io.IOException e) {
            throw Dl4jErrors.translate(model, "building", e);
        }
    }

    /**
     * A network with its trained parameters from a ModelSerializer zip: built from the configuration modelgate read
     * and validated (never from the zip again), the parameters read by ND4J from coefficients.bin only after
     * {@link ModelZip#parameters} has checked that its header holds exactly that configuration's parameter count
     * (the optimizer state is not needed).
     */
    private static Network trained(ResolvedModel model) throws java.io.IOException {
        if (model.spec().format() == SourceFormat.KERAS_SEQUENTIAL || model.spec().format() == SourceFormat.KERAS_FUNCTIONAL) return keras(model);
        java.util.Optional<INDArray> params = ModelZip.parameters(model.spec(),
                // Buffered: ND4J reads the array element by element, and each unbuffered read went through the zip's bounds.
                in -> Nd4j.read(new java.io.DataInputStream(new java.io.BufferedInputStream(in, 1 << 16))));
        long expected = ModelZip.parameterCount(model.spec().nativeConfig());
        if (params.isPresent() && params.get().length() != expected) {
            throw BadInputException.run(model.spec().source() + ": coefficients.bin holds " + params.get().length() + " parameters; the network has " + expected, null);
        }
        return withParameters(model, params.orElse(null), "coefficients.bin");
    }

    /**
     * A Keras HDF5 model with its weights. DL4J's import builds the network as Keras described it; modelgate's
     * configuration differs only in the output layer (the last Dense, and DL4J's parameter-free loss layer, made one
     * OutputLayer), which holds the same parameters in the same order, so the imported parameters are copied over.
     */
    private static Network keras(ResolvedModel model) throws java.io.IOException {
        String h5 = model.spec().weights().toString();
        INDArray params;
        try {
            params = model.spec().format() == SourceFormat.KERAS_SEQUENTIAL
                    ? KerasModelImport.importKerasSequentialModelAndWeights(h5, false).params()
                    : KerasModelImport.importKerasModelAndWeights(h5, false).params();
        } catch (org.deeplearning4j.nn.modelimport.keras.exceptions.InvalidKerasConfigurationException
                 | org.deeplearning4j.nn.modelimport.keras.exceptions.UnsupportedKerasConfigurationException e) {
            throw new java.io.IOException("the Keras import cannot read the weights: " + e.getMessage(), e);
        }
        return withParameters(model, params.dup(), "HDF5 file"); // a copy: the imported network keeps its own
    }

    /** The model's own configuration initialized with {@code params} (null: a network without parameters). */
    private static Network withParameters(ResolvedModel model, INDArray params, String from) {
        Object conf = model.spec().nativeConfig();
        // init(params) before anything else touches the network: numParams() and friends initialize it randomly first.
        if (conf instanceof MultiLayerConfiguration c) {
            MultiLayerNetwork m = new MultiLayerNetwork(c.clone());
            initWith(model, params, from, () -> { if (params == null) m.init(); else m.init(params, false); });
            return new Network(m, model.spec().nodes().stream().filter(n -> !(n.op() instanceof LayerOp.Reshape)).map(Node::name).toList());
        }
        ComputationGraph g = new ComputationGraph(copy((ComputationGraphConfiguration) conf));
        initWith(model, params, from, () -> { if (params == null) g.init(); else g.init(params, false); });
        return new Network(g);
    }

    /**
     * A copy to build from (building changes a configuration). Not {@code clone()}: DL4J 1.0.0-M2.1's
     * MergeVertex.clone() drops the merge axis, so a channels-last concatenation (Keras's Concatenate) would join
     * along the height instead of the channels.
     */
    static ComputationGraphConfiguration copy(ComputationGraphConfiguration c) {
        return ComputationGraphConfiguration.fromJson(c.toJson());
    }

    private static void initWith(ResolvedModel model, INDArray params, String from, Runnable init) {
        try {
            init.run();
        } catch (RuntimeException e) {
            throw BadInputException.run(model.spec().source() + ": the " + (params == null ? 0 : params.length()) + " parameters in the " + from
                    + " do not fit its model (" + e.getMessage() + ")", e);
        }
    }

    /** The DL4J configuration of a modelgate spec; shapes were already checked, so DL4J's nIn inference agrees. */
    public static ComputationGraphConfiguration graphConfig(ResolvedModel model, OptionalLong seed) {
        Training t = model.spec().training();
        NeuralNetConfiguration.Builder b = new NeuralNetConfiguration.Builder()
                .seed(seed.orElse(t.seed()))
                .dataType(DataType.FLOAT)
                .updater(updater(t.optimizer()));
        if (t.clipping() != null) {
            b.gradientNormalization(Vocabulary.CLIPPING.get(t.clipping())).gradientNormalizationThreshold(t.clippingThreshold());
        }
        ComputationGraphConfiguration.GraphBuilder g = b.graphBuilder()
                .addInputs(model.spec().inputName())
                .setInputTypes(inputType(model.input()));
        for (Node n : model.spec().nodes()) {
            String[] inputs = n.inputs().toArray(new String[0]);
            if (n.op() instanceof LayerOp.Merge m) {
                g.addVertex(n.name(), m.op().equals("concat") ? new MergeVertex() : new ElementWiseVertex(elementWise(m.op())), inputs);
            } else if (n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.graph.GraphVertex v) {
                g.addVertex(n.name(), v.clone(), inputs); // a spec kind described by DL4J's own vertex (scale, shift)
            } else if (n.dl4jLayer() instanceof Layer l) {
                g.addLayer(n.name(), l.clone(), inputs); // a spec kind described by DL4J's own layer (conv1d, embedding, ...)
            } else {
                g.addLayer(n.name(), layer(model, n, t.optimizer()), inputs);
            }
        }
        g.setOutputs(model.spec().output().name());
        // DL4J refuses some output layers outright (softmax over one unit, relu with cross-entropy). modelgate builds
        // them so that the runtime rules show how they misbehave (zero gradients, NaN loss) rather than stopping.
        g.validateOutputLayerConfig(false);
        ComputationGraphConfiguration conf = g.build();
        // Building from input types overwrites every nIn with what arrives; an embedding's nIn is its vocabulary, not
        // the length of the index row it reads: the spec's value stands.
        for (Node n : model.spec().nodes()) {
            if (n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer e
                    && conf.getVertices().get(n.name()) instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) {
                ((org.deeplearning4j.nn.conf.layers.FeedForwardLayer) lv.getLayerConf().getLayer()).setNIn(e.getNIn());
            }
        }
        return conf;
    }

    public static InputType inputType(Shape s) {
        if (s instanceof Shape.Image i) return InputType.convolutional(i.height(), i.width(), i.channels());
        if (s instanceof Shape.Sequence q) return InputType.recurrent(q.features(), q.length());
        return InputType.feedForward(s.size());
    }

    private static IUpdater updater(Training.Optimizer o) {
        return switch (o.type()) {
            case "sgd" -> new Sgd(o.learningRate());
            case "momentum", "nesterov" -> new Nesterovs(o.learningRate(), o.momentum());
            case "rmsprop" -> new RmsProp(o.learningRate(), o.decay(), o.epsilon());
            default -> new Adam(o.learningRate(), o.beta1(), o.beta2(), o.epsilon()); // adam, adamw
        };
    }

    private static ElementWiseVertex.Op elementWise(String op) {
        return switch (op) {
            case "add" -> ElementWiseVertex.Op.Add;
            case "subtract" -> ElementWiseVertex.Op.Subtract;
            case "multiply" -> ElementWiseVertex.Op.Product;
            case "average" -> ElementWiseVertex.Op.Average;
            case "max" -> ElementWiseVertex.Op.Max;
            default -> throw new IllegalArgumentException("not an element-wise op: " + op);
        };
    }

    private static Layer layer(ResolvedModel model, Node n, Training.Optimizer optimizer) {
        LayerOp op = n.op();
        Layer layer = layer(model, n);
        if (optimizer.weightDecay() > 0 && layer instanceof BaseLayer bl && bl.getRegularization() != null) {
            // Set per layer: DL4J 1.0.0-M2.1's global weightDecay()/regularization() registers the term twice.
            bl.setRegularization(new java.util.ArrayList<>(List.of(optimizer.type().equals("adamw")
                    ? new WeightDecay(optimizer.weightDecay(), true)        // decoupled, as AdamW defines it
                    : new L2Regularization(optimizer.weightDecay()))));    // coupled, as SGD/Adam weight_decay in torch
        }
        return layer;
    }

    private static Layer layer(ResolvedModel model, Node n) {
        LayerOp op = n.op();
        if (op instanceof LayerOp.Dense d) {
            return weighted(new DenseLayer.Builder().nOut(d.units()), d.activation(), d.weightInit()).build();
        }
        if (op instanceof LayerOp.Output o) {
            boolean sequence = model.inputsOf(n.name()).get(0) instanceof Shape.Sequence;
            var lossFn = Vocabulary.LOSSES.get(o.loss());
            BaseLayer.Builder<?> builder = sequence ? new RnnOutputLayer.Builder(lossFn).nOut(o.units()) : new OutputLayer.Builder(lossFn).nOut(o.units());
            return weighted(builder, o.activation(), o.weightInit()).build();
        }
        if (op instanceof LayerOp.Conv2d c) {
            return weighted(window(new ConvolutionLayer.Builder(c.geometry().kernel()), c.geometry()).nOut(c.filters()).hasBias(c.bias()),
                    c.activation(), c.weightInit()).build();
        }
        if (op instanceof LayerOp.SeparableConv2d c) {
            var builder = new SeparableConvolution2D.Builder(c.geometry().kernel()).depthMultiplier(c.depthMultiplier());
            window(builder, c.geometry());
            return weighted(builder.nOut(c.filters()).hasBias(c.bias()), c.activation(), c.weightInit()).build();
        }
        if (op instanceof LayerOp.DepthwiseConv2d c) {
            long channels = ((Shape.Image) model.outputOf(n.name())).channels();
            var builder = new DepthwiseConvolution2D.Builder(c.geometry().kernel()).depthMultiplier(c.depthMultiplier());
            window(builder, c.geometry());
            return weighted(builder.nOut(channels).hasBias(c.bias()), c.activation(), c.weightInit()).build();
        }
        if (op instanceof LayerOp.Deconv2d c) {
            return weighted(window(new Deconvolution2D.Builder(c.geometry().kernel()), c.geometry()).nOut(c.filters()).hasBias(c.bias()),
                    c.activation(), c.weightInit()).build();
        }
        if (op instanceof LayerOp.Pool2d p) {
            ConvGeometry g = p.geometry();
            return new SubsamplingLayer.Builder(p.pooling().equals("max") ? PoolingType.MAX : PoolingType.AVG, g.kernel(), g.stride(), g.padding()).convolutionMode(g.same() ? ConvolutionMode.Same : ConvolutionMode.Truncate).build();
        }
        if (op instanceof LayerOp.GlobalPool gp) {
            return new GlobalPoolingLayer.Builder(PoolingType.valueOf(gp.pooling().toUpperCase())).build();
        }
        if (op instanceof LayerOp.Upsample2d u) return new Upsampling2D.Builder().size(u.size()).build();
        if (op instanceof LayerOp.BatchNorm bn) return new BatchNormalization.Builder().eps(bn.epsilon()).decay(bn.decay()).build();
        if (op instanceof LayerOp.Dropout d) return new DropoutLayer.Builder(1.0 - d.rate()).build();
        if (op instanceof LayerOp.Lstm l) return weighted(new LSTM.Builder().nOut(l.units()), l.activation(), l.weightInit()).build();
        if (op instanceof LayerOp.Activation a) return new ActivationLayer.Builder().activation(activation(a.activation())).build();
        throw new IllegalArgumentException("layer '" + n.name() + "': " + op.type() + " cannot be built from a modelgate spec");
    }

    private static <B extends ConvolutionLayer.BaseConvBuilder<?>> B window(B builder, ConvGeometry g) {
        builder.stride(g.stride()).padding(g.padding()).dilation(g.dilation())
                .convolutionMode(g.same() ? ConvolutionMode.Same : ConvolutionMode.Truncate);
        return builder;
    }

    private static <B extends BaseLayer.Builder<?>> B weighted(B builder, String activation, WeightInitSpec init) {
        return dev.modelgate.spec.SpecNative.weighted(builder, activation, init);
    }

    private static Activation activation(String name) {
        return Vocabulary.ACTIVATIONS.get(name);
    }
}
