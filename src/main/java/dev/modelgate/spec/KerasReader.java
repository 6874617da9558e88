package dev.modelgate.spec;

import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseOutputLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LossLayer;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.nd4j.linalg.activations.Activation;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.modelimport.keras.KerasModel;
import org.deeplearning4j.nn.modelimport.keras.KerasSequentialModel;
import org.deeplearning4j.nn.modelimport.keras.utils.KerasModelBuilder;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationSigmoid;
import org.nd4j.linalg.activations.impl.ActivationSoftmax;
import org.nd4j.linalg.lossfunctions.ILossFunction;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Keras models, read through DL4J's Keras import: {@code model.to_json()} text (the architecture only) and HDF5 files
 * written by {@code model.save("m.h5")} (architecture, weights and, when the model was compiled, its training config).
 *
 * <p>DL4J imports a Keras model as a MultiLayerConfiguration (Sequential) or ComputationGraphConfiguration
 * (Functional), which {@link Dl4jConfigReader} then reads like any DL4J config. Two things are decided here because
 * Keras does not say them in DL4J's terms: the input shape (Keras's input layer, in its own layout, usually
 * channels-last), and the output layer. Keras keeps the loss outside the model; DL4J needs an output layer that owns
 * one, so the model's last Dense layer becomes a DL4J OutputLayer with the training config's loss, else the given
 * loss, else one assumed from its activation, and the report says which.
 */
public final class KerasReader {
    /** The eight bytes every HDF5 file starts with (at offset 0 for files Keras writes). */
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};
    private static final Set<String> MODEL_CLASSES = Set.of("Sequential", "Model", "Functional");
    private static final Pattern UNKNOWN_ACTIVATION = Pattern.compile("(?i)unknown keras activation function:?\\s*'?([A-Za-z0-9_]+)");
    private static final Pattern NO_LAMBDA = Pattern.compile("(?i)no samediff lambda layer found for lambda layer\\s+'?([^\\s.']+)");
    private static final Pattern UNSUPPORTED_LAYER = Pattern.compile("(?i)unsupported keras layer type:?\\s*'?([A-Za-z0-9_]+(?:\\.[A-Za-z0-9_]+)*)");

    private KerasReader() {}

    /** The loss to give a Keras model that has none of its own, and where it came from (for the report's note). */
    public record LossChoice(String loss, String from) {
        public static final LossChoice NONE = new LossChoice(null, null);
    }

    static boolean isHdf5(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            return java.util.Arrays.equals(in.readNBytes(HDF5_MAGIC.length), HDF5_MAGIC);
        } catch (IOException e) {
            return false;
        }
    }

    /** A Keras model's JSON: {@code {"class_name": "Sequential" | "Functional" | "Model", "config": {...}}}. */
    static boolean isKerasJson(JsonNode root) {
        return root.isObject() && root.path("class_name").isTextual() && MODEL_CLASSES.contains(root.path("class_name").asText())
                && root.has("config");
    }

    static ModelSpec fromJson(Path file, String json, JsonNode root, LossChoice loss) {
        validate(file, root, "");
        boolean sequential = root.path("class_name").asText().equals("Sequential");
        Imported imported = build(file, root, sequential, () -> new KerasModel().modelBuilder().modelJson(json), false);
        return read(file, imported, loss, root, null, false);
    }

    /**
     * The configs of a Keras HDF5 file, read with the HDF5 library in this JVM (see {@link Hdf5Reader}: outside a
     * worker JVM this is asked of one). DL4J's own reading (the builder adds the Keras version and backend to the model
     * config), so a model reads the same wherever it is read.
     */
    static Hdf5Reader.KerasConfigs readHdf5(Path file) {
        quietHdf5();
        try (org.deeplearning4j.nn.modelimport.keras.Hdf5Archive archive = new org.deeplearning4j.nn.modelimport.keras.Hdf5Archive(file.toString())) {
            if (!archive.hasAttribute("model_config")) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is an HDF5 file without a model_config attribute: not a whole Keras model "
                        + "(weights saved with model.save_weights() have no architecture); save it with model.save(\"model.h5\") or give model.to_json()");
            }
        } catch (BadInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw unreadableHdf5(file, e);
        }
        try (KerasModelBuilder b = new KerasModel().modelBuilder().modelHdf5Filename(file.toString())) {
            return new Hdf5Reader.KerasConfigs(b.getModelJson(), b.getTrainingJson());
        } catch (Exception | LinkageError e) {
            throw unreadableHdf5(file, e);
        }
    }

    /**
     * DL4J's HDF5 errors end in "Please file an issue at https://github.com/eclipse/deeplearning4j/issues." even where
     * the file is only damaged (a 17 KB byte-flipped file: "Could not read abnormally long HDF5 attribute"); that advice
     * is dropped, the question after it says what is likely.
     */
    static BadInputException unreadableHdf5(Path file, Throwable e) {
        return new BadInputException(file, Location.UNKNOWN, "", "is not an HDF5 file the Keras import can read (" + withoutDl4jAdvice(firstLine(e)).replaceAll("\\.$", "")
                + "; is it truncated or damaged?)", e);
    }

    /** A Keras HDF5 file, from its configs (read by a {@link Hdf5Reader}). */
    static ModelSpec fromHdf5(Path file, LossChoice loss, Hdf5Reader.KerasConfigs configs) {
        String config = configs.model();
        boolean training = configs.training() != null;
        JsonNode root;
        try {
            root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(config);
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "model_config", "is not JSON: " + e.getMessage(), e);
        }
        if (!isKerasJson(root)) {
            throw new BadInputException(file, Location.UNKNOWN, "model_config", "is not a Keras Sequential or Functional model (class_name "
                    + root.path("class_name") + ")");
        }
        validate(file, root, "model_config.");
        boolean sequential = root.path("class_name").asText().equals("Sequential");
        // The configs as text: the import reads no HDF5 here (the weights are read where the network is built).
        java.util.function.Supplier<KerasModelBuilder> builder = () -> new KerasModel().modelBuilder().modelJson(config).trainingJson(configs.training());
        String trainingNote = null;
        Imported imported;
        if (training) {
            try {
                imported = build(file, root, sequential, builder, true);
            } catch (BadInputException e) {
                // DL4J imports a training config only in its strict mode, which also refuses what it cannot map
                // exactly (an optimizer, a regularizer); the model itself may still import without it.
                imported = build(file, root, sequential, builder, false);
                trainingNote = "its training config could not be imported (" + e.problem() + ")";
            }
        } else {
            imported = build(file, root, sequential, builder, false);
        }
        ModelSpec spec = read(file, imported, loss, root, trainingNote, training && trainingNote == null).withWeights(file);
        return spec;
    }

    /** Layer fields DL4J's import reads as integers (or lists of them) and fails on with a bare ClassCastException. */
    private static final Set<String> INTEGER_FIELDS = Set.of("units", "filters", "kernel_size", "strides", "pool_size", "dilation_rate",
            "depth_multiplier", "size", "axis");

    /**
     * The shape of a Keras model's JSON, checked before DL4J's import sees it: the import answers a missing or
     * mistyped field with a NullPointerException or ClassCastException that names no field.
     */
    static void validate(Path file, JsonNode root, String prefix) {
        JsonNode config = root.path("config");
        boolean sequential = root.path("class_name").asText().equals("Sequential");
        JsonNode layers = sequential && config.isArray() ? config : config.path("layers");
        String where = prefix + (sequential && config.isArray() ? "config" : "config.layers");
        if (!layers.isArray()) {
            throw new BadInputException(file, Location.UNKNOWN, where, "expected a list of layers, got " + Fields.describe(layers.isMissingNode() ? null : layers));
        }
        if (layers.isEmpty()) throw new BadInputException(file, Location.UNKNOWN, where, "the model has no layers");
        for (int i = 0; i < layers.size(); i++) {
            JsonNode l = layers.get(i);
            String at = where + "[" + i + "]";
            if (!l.isObject()) throw new BadInputException(file, Location.UNKNOWN, at, "expected a layer (a mapping with class_name and config), got " + Fields.describe(l));
            if (!l.path("class_name").isTextual()) throw new BadInputException(file, Location.UNKNOWN, at, "missing 'class_name' (the Keras layer class, e.g. Dense)");
            if (!l.path("config").isObject()) throw new BadInputException(file, Location.UNKNOWN, at, "missing 'config' (the layer's settings)");
            String name = l.path("config").path("name").asText("");
            if ("channels_first".equals(l.path("config").path("data_format").asText())) {
                // Seen with DL4J 1.0.0-M2.1: the input [1, 28, 28] became 1x28 pixels with 28 channels, and the layers
                // after the first conv switched layout; the import cannot be trusted with this setting.
                throw new BadInputException(file, Location.UNKNOWN, at + (name.isEmpty() ? "" : " (" + name + ")") + ".config.data_format",
                        "channels_first Keras models are not imported correctly by DL4J 1.0.0-M2.1 (it misreads the input shape); "
                        + "save the model channels_last (Keras's default)");
            }
            for (String field : INTEGER_FIELDS) {
                JsonNode v = l.path("config").path(field);
                boolean ok = v.isMissingNode() || v.isNull() || v.isIntegralNumber() || (v.isArray() && allIntegers(v));
                if (!ok) {
                    throw new BadInputException(file, Location.UNKNOWN, at + (name.isEmpty() ? "" : " (" + name + ")") + ".config." + field,
                            "expected an integer" + (v.isArray() ? " list" : "") + ", got " + v);
                }
            }
        }
        if (!sequential) {
            for (String key : List.of("input_layers", "output_layers")) {
                JsonNode v = config.path(key);
                if (!v.isArray() || v.isEmpty()) {
                    throw new BadInputException(file, Location.UNKNOWN, prefix + "config." + key, "a Functional model names its " + key.replace('_', ' ')
                            + " here (e.g. [[\"input_1\", 0, 0]]), got " + (v.isMissingNode() ? "nothing" : v.toString()));
                }
            }
        }
    }

    private static boolean allIntegers(JsonNode list) {
        for (JsonNode x : list) if (!x.isIntegralNumber()) return false;
        return true;
    }

    private record Imported(KerasModel model, Object conf) {}

    private static Imported build(Path file, JsonNode root, boolean sequential, java.util.function.Supplier<KerasModelBuilder> builder, boolean training) {
        try {
            KerasModelBuilder b = builder.get().enforceTrainingConfig(training);
            if (sequential) {
                KerasSequentialModel m = b.buildSequential();
                return new Imported(m, m.getMultiLayerConfiguration());
            }
            KerasModel m = b.buildModel();
            return new Imported(m, m.getComputationGraphConfiguration());
        } catch (BadInputException e) {
            throw e;
        } catch (Exception | LinkageError e) {
            throw translate(file, root, e);
        }
    }

    /** HDF5's C library prints its whole error stack to stderr on any failure; modelgate reports one line instead. */
    private static void quietHdf5() {
        try {
            org.bytedeco.hdf5.global.hdf5.H5Eset_auto2(org.bytedeco.hdf5.global.hdf5.H5E_DEFAULT(), null, null);
        } catch (RuntimeException | LinkageError e) {
            // without the natives the archive fails to open anyway, with its own message
        }
    }

    /** @param optimizerImported the file's training config (its optimizer) was imported */
    private static ModelSpec read(Path file, Imported imported, LossChoice loss, JsonNode root, String trainingNote, boolean optimizerImported) {
        KerasModel model = imported.model();
        Object conf = imported.conf();
        if (!optimizerImported) withAssumedOptimizer(conf);
        withFixedSeed(conf);
        List<ModelSpec.Input> inputs = new java.util.ArrayList<>();
        List<String> inputNames = model.getInputLayerNames();
        if (inputNames == null || inputNames.isEmpty()) throw new BadInputException(file, Location.UNKNOWN, "config.input_layers", "the model has no input layer");
        for (String name : inputNames) inputs.add(new ModelSpec.Input(name, Optional.of(inputShape(file, model, name))));
        Shape input = inputs.get(0).shape().orElseThrow();
        withoutNoOpDropout(conf);
        withChannelsLastReshapeInputs(conf, model);
        withTimeMajorFlattens(conf, model);
        if (conf instanceof ComputationGraphConfiguration g) withNonNegativeMergeAxes(g, model);
        Output out;
        ModelSpec spec;
        if (conf instanceof MultiLayerConfiguration c) {
            out = withOutputLayer(file, c, loss);
            spec = Dl4jConfigReader.multiLayer(file, MultiLayerConfiguration.fromJson(c.toJson()), SourceFormat.KERAS_SEQUENTIAL);
        } else {
            ComputationGraphConfiguration c = (ComputationGraphConfiguration) conf;
            out = withOutputLayer(file, c, loss);
            spec = Dl4jConfigReader.graph(file, ComputationGraphConfiguration.fromJson(c.toJson()), SourceFormat.KERAS_FUNCTIONAL);
        }
        InputType inputType = model.getOutputTypes().get(model.getInputLayerNames().get(0));
        if (input instanceof Shape.Image && inputType instanceof InputType.InputTypeConvolutional ic && ic.getFormat() == CNN2DFormat.NHWC
                || input instanceof Shape.Sequence && inputType instanceof InputType.InputTypeRecurrent r && r.getFormat() == org.deeplearning4j.nn.conf.RNNFormat.NWC
                || input instanceof Shape.Volume && inputType instanceof InputType.InputTypeConvolutional3D v
                        && v.getDataFormat() == org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC) {
            spec = spec.withChannelsLast(true);
        }
        // The spec's own input names (a Sequential model's one input is modelgate's "input"), Keras's shapes, in
        // the same order (DL4J's graph takes Keras's input layers in order, by the same names).
        List<ModelSpec.Input> named = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i++) named.add(new ModelSpec.Input(spec.inputs().get(i).name(), inputs.get(i).shape()));
        spec = new ModelSpec(spec.source(), spec.format(), modelName(root, spec.name()), named, spec.nodes(),
                spec.training(), spec.data(), spec.baseline(), spec.weights(), spec.nativeConfig(), spec.channelsLast(), spec.notes(), false, false);
        String optimizer = optimizerImported ? null : "optimizer Adam at " + ASSUMED_LEARNING_RATE + " (assumed)";
        if (out.note == null && optimizer == null) return spec;
        String what = out.note == null ? optimizer : optimizer == null ? out.note : out.note + ", " + optimizer;
        return spec.withNote((trainingNote == null ? "no training config" : trainingNote) + ": " + what, out.assumed);
    }

    static final double ASSUMED_LEARNING_RATE = 0.001;

    /**
     * A Keras file carries no seed, and DL4J's import then takes the clock's (System.currentTimeMillis()): the
     * initial weights and the synthetic data would differ on every run. modelgate's default seed makes a check of
     * a Keras model repeatable, as every other model's is; --seed still overrides it.
     */
    private static void withFixedSeed(Object conf) {
        long seed = Training.DEFAULT.seed();
        if (conf instanceof MultiLayerConfiguration c) c.getConfs().forEach(n -> n.setSeed(seed));
        else {
            ComputationGraphConfiguration g = (ComputationGraphConfiguration) conf;
            if (g.getDefaultConfiguration() != null) g.getDefaultConfiguration().setSeed(seed);
            g.getVertices().values().forEach(v -> {
                if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) lv.getLayerConf().setSeed(seed);
            });
        }
    }

    /**
     * A Keras model saved without its training config has no optimizer; DL4J's import leaves its layers with DL4J's
     * default, SGD at 0.001, under which the learning rule's fixed-batch loss hardly moves in ten iterations (the
     * Keras LeNet sample: 2% against 34% for the same model as a spec with Adam). Adam at 0.001 is what
     * {@code model.compile(optimizer="adam")} gives, the common case; the report says it was assumed.
     */
    private static void withAssumedOptimizer(Object conf) {
        List<org.deeplearning4j.nn.conf.layers.Layer> layers = new java.util.ArrayList<>();
        if (conf instanceof MultiLayerConfiguration c) c.getConfs().forEach(n -> layers.add(n.getLayer()));
        else ((ComputationGraphConfiguration) conf).getVertices().values().forEach(v -> {
            if (v instanceof org.deeplearning4j.nn.conf.graph.LayerVertex lv) layers.add(lv.getLayerConf().getLayer());
        });
        for (org.deeplearning4j.nn.conf.layers.Layer l : layers) {
            if (l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b && !(b.getIUpdater() instanceof org.nd4j.linalg.learning.config.NoOp)) {
                b.setIUpdater(new org.nd4j.linalg.learning.config.Adam(ASSUMED_LEARNING_RATE));
                b.setBiasUpdater(new org.nd4j.linalg.learning.config.Adam(ASSUMED_LEARNING_RATE));
            }
        }
    }

    private record Output(String note, boolean assumed) {}

    /** The shape of one example, written channels x height x width whatever the layout Keras feeds it in. */
    private static Shape inputShape(Path file, KerasModel model, String input) {
        InputType t = model.getOutputTypes().get(input);
        String where = "input '" + input + "'";
        if (t instanceof InputType.InputTypeConvolutional c) {
            if (c.getChannels() <= 0 || c.getHeight() <= 0 || c.getWidth() <= 0) throw unknownSize(file, where, c.getHeight() + "x" + c.getWidth() + "x" + c.getChannels());
            return new Shape.Image(c.getChannels(), c.getHeight(), c.getWidth());
        }
        if (t instanceof InputType.InputTypeConvolutional3D v) {
            if (v.getChannels() <= 0 || v.getDepth() <= 0 || v.getHeight() <= 0 || v.getWidth() <= 0) {
                throw unknownSize(file, where, v.getDepth() + "x" + v.getHeight() + "x" + v.getWidth() + "x" + v.getChannels());
            }
            return new Shape.Volume(v.getChannels(), v.getDepth(), v.getHeight(), v.getWidth());
        }
        if (t instanceof InputType.InputTypeFeedForward f) {
            if (f.getSize() <= 0) throw unknownSize(file, where, String.valueOf(f.getSize()));
            return new Shape.Features(f.getSize());
        }
        if (t instanceof InputType.InputTypeRecurrent r) {
            if (r.getTimeSeriesLength() <= 0) {
                throw new BadInputException(file, Location.UNKNOWN, where, "a sequence input of unknown length (None) "
                        + "cannot be probed; give the input layer a fixed length");
            }
            // Keras sequences are batch x time x features (NWC): their structure is read here, but they are not run
            // (see refusesToRun).
            return new Shape.Sequence(r.getSize(), r.getTimeSeriesLength());
        }
        throw new BadInputException(file, Location.UNKNOWN, where, "input type " + t + " is not supported; supported: "
                + "feature vectors, images (channels-first or channels-last), sequences, volumes (3-D)");
    }

    /**
     * Why a model read here must not be run, or null. Tried: DL4J 1.0.0-M2.1's own network imported from a Keras LSTM
     * model (batch x time x features, NWC) crashed in native code (sd::NDArray::getOffset) in 2 of 5 plain forward
     * passes; nothing it measures could be trusted. Its structure (shapes, parameters, the structural rules) is DL4J's
     * propagation alone, which is sound, so --static checks it.
     */
    public static String refusesToRun(ModelSpec spec) {
        boolean keras = spec.format() == SourceFormat.KERAS_SEQUENTIAL || spec.format() == SourceFormat.KERAS_FUNCTIONAL;
        Shape input = spec.inputShape().orElse(null);
        if (keras && input instanceof Shape.Sequence && spec.channelsLast()) {
            return "Keras sequence models (batch x time x features) cannot be run: DL4J 1.0.0-M2.1's import of them crashes in native code "
                    + "intermittently; check their structure with --static";
        }
        // modelgate's probes make images, sequences and feature vectors; a volume is structure only for now.
        if (keras && input instanceof Shape.Volume) return "Keras models with a 3-D (volume) input are checked with --static only (structure)";
        return null;
    }

    private static BadInputException unknownSize(Path file, String where, String got) {
        return new BadInputException(file, Location.UNKNOWN, where, "the input shape has an unknown size (None) besides the batch dimension (DL4J "
                + "reads it as " + got + "); give the input layer a fixed shape, e.g. batch_input_shape [null, 28, 28, 1]");
    }

    /**
     * Makes the model end in a DL4J output layer. With a training config DL4J appends a LossLayer after the last
     * layer; it and the Dense before it become one OutputLayer (same parameters, so trained weights still fit).
     * Without one, the last Dense becomes an OutputLayer with the chosen loss.
     */
    private static Output withOutputLayer(Path file, MultiLayerConfiguration c, LossChoice choice) {
        List<NeuralNetConfiguration> confs = c.getConfs();
        Layer last = confs.get(confs.size() - 1).getLayer();
        if (last instanceof BaseOutputLayer) return new Output(null, false);
        if (last instanceof LossLayer loss && confs.size() > 1 && confs.get(confs.size() - 2).getLayer() instanceof DenseLayer d) {
            confs.get(confs.size() - 2).setLayer(outputLayer(d, loss.getLossFn()));
            confs.remove(confs.size() - 1);
            c.getInputPreProcessors().remove(confs.size());
            return new Output(null, false);
        }
        if (last instanceof DenseLayer d) {
            Chosen chosen = choose(d, choice);
            confs.get(confs.size() - 1).setLayer(outputLayer(d, chosen.loss.getILossFunction()));
            return new Output(note(d.getLayerName(), chosen), chosen.assumed);
        }
        if (last instanceof ActivationLayer a && confs.size() > 1 && confs.get(confs.size() - 2).getLayer() instanceof DenseLayer d
                && c.getInputPreProcess(confs.size() - 1) == null) {
            // Dense then Activation (Keras's Dense(10) + Activation('softmax')): one output layer, the activation its own.
            DenseLayer withActivation = (DenseLayer) d.clone();
            withActivation.setActivationFn(a.getActivationFn());
            Chosen chosen = choose(withActivation, choice);
            confs.get(confs.size() - 2).setLayer(outputLayer(withActivation, chosen.loss.getILossFunction()));
            confs.remove(confs.size() - 1);
            return new Output(note(d.getLayerName(), chosen), chosen.assumed);
        }
        // Anything else (a convolution: image to image; a recurrent layer): a loss head after it, the loss assumed
        // from its activation (or given), as DL4J's own CnnLossLayer/RnnLossLayer/LossLayer.
        NeuralNetConfiguration head = confs.get(confs.size() - 1).clone();
        Chosen chosen = choose(activationOf(last), choice);
        head.setLayer(lossHead(last, chosen, "loss"));
        confs.add(head);
        return new Output(note("loss", chosen) + " (a loss head added after '" + last.getLayerName() + "')", chosen.assumed);
    }

    /** A loss head to add, and the note that says so; null where the configuration ends in a head already. */
    record AddedHead(String note, boolean assumed) {}

    /**
     * A DL4J configuration that ends in no head (DL4J's own zoo SimpleCNN ends in a softmax ActivationLayer): DL4J
     * builds it but cannot train it. It trains with a loss head after its last layer, the loss given (--loss, the
     * other model's) or assumed from that layer's activation, and the report says so.
     */
    static AddedHead addLossHeadIfNone(MultiLayerConfiguration c, LossChoice choice) {
        List<NeuralNetConfiguration> confs = c.getConfs();
        Layer last = confs.get(confs.size() - 1).getLayer();
        if (Dl4jConfigReader.headLoss(last) != null) return null;
        NeuralNetConfiguration head = confs.get(confs.size() - 1).clone();
        Chosen chosen = choose(activationOf(last), choice);
        head.setLayer(lossHead(last, chosen, "loss"));
        confs.add(head);
        return new AddedHead(note("loss", chosen) + ", a loss head added after the last layer (the configuration has none)", chosen.assumed);
    }

    static AddedHead addLossHeadIfNone(ComputationGraphConfiguration c, LossChoice choice) {
        if (c.getNetworkOutputs() == null || c.getNetworkOutputs().size() != 1) return null;
        String outName = c.getNetworkOutputs().get(0);
        Layer last = layerOf(c.getVertices().get(outName));
        if (last == null || Dl4jConfigReader.headLoss(last) != null) return null;
        Appended a = appendLossHead(c, outName, last, choice);
        return new AddedHead(note(a.head(), a.chosen()) + ", a loss head added after '" + outName + "' (the configuration has none)", a.chosen().assumed);
    }

    /** A loss head vertex appended after a graph's output vertex, which it becomes; the loss given or assumed from the activation. */
    private record Appended(String head, Chosen chosen) {}

    private static Appended appendLossHead(ComputationGraphConfiguration c, String outName, Layer last, LossChoice choice) {
        String head = c.getVertices().containsKey("loss") ? outName + "_loss" : "loss";
        NeuralNetConfiguration conf = ((LayerVertex) c.getVertices().get(outName)).getLayerConf().clone();
        Chosen chosen = choose(activationOf(last), choice);
        conf.setLayer(lossHead(last, chosen, head));
        c.getVertices().put(head, new LayerVertex(conf, null));
        c.getVertexInputs().put(head, new ArrayList<>(List.of(outName)));
        c.setNetworkOutputs(new ArrayList<>(List.of(head)));
        c.setTopologicalOrder(null); // the graph changed: DL4J sorts it again
        c.setTopologicalOrderStr(null);
        return new Appended(head, chosen);
    }

    private static IActivation activationOf(Layer l) {
        if (l instanceof org.deeplearning4j.nn.conf.layers.BaseLayer b && b.getActivationFn() != null) return b.getActivationFn();
        if (l instanceof ActivationLayer a) return a.getActivationFn();
        return new org.nd4j.linalg.activations.impl.ActivationIdentity();
    }

    /** DL4J's loss head for what the layer outputs: per pixel after an image layer, per step after a recurrent one. */
    private static Layer lossHead(Layer last, Chosen chosen, String name) {
        org.deeplearning4j.nn.conf.layers.BaseLayer head = (org.deeplearning4j.nn.conf.layers.BaseLayer) bareLossHead(last, chosen, name);
        // A head has no parameters, but DL4J's JSON reader takes a layer without an updater, regularization or weight
        // init for a legacy config (and fails on it): set them, as a global configuration would.
        head.setIUpdater(new org.nd4j.linalg.learning.config.NoOp());
        head.setBiasUpdater(new org.nd4j.linalg.learning.config.NoOp());
        head.setRegularization(new ArrayList<>());
        head.setRegularizationBias(new ArrayList<>());
        head.setWeightInitFn(new org.deeplearning4j.nn.weights.WeightInitXavier());
        return head;
    }

    private static Layer bareLossHead(Layer last, Chosen chosen, String name) {
        if (last instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer conv && conv.getKernelSize().length == 2
                || last instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer || last instanceof org.deeplearning4j.nn.conf.layers.Upsampling2D) {
            CNN2DFormat format = last instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer cv ? cv.getCnn2dDataFormat()
                    : last instanceof org.deeplearning4j.nn.conf.layers.SubsamplingLayer sl ? sl.getCnn2dDataFormat() : ((org.deeplearning4j.nn.conf.layers.Upsampling2D) last).getFormat();
            return new org.deeplearning4j.nn.conf.layers.CnnLossLayer.Builder().lossFunction(chosen.loss.getILossFunction()).format(format).activation(Activation.IDENTITY).name(name).build();
        }
        if (last instanceof org.deeplearning4j.nn.conf.layers.BaseRecurrentLayer) {
            return new org.deeplearning4j.nn.conf.layers.RnnLossLayer.Builder().lossFunction(chosen.loss.getILossFunction()).activation(Activation.IDENTITY).name(name).build();
        }
        return new LossLayer.Builder(chosen.loss.getILossFunction()).activation(Activation.IDENTITY).name(name).build();
    }

    private static Output withOutputLayer(Path file, ComputationGraphConfiguration c, LossChoice choice) {
        if (c.getNetworkOutputs().size() != 1) {
            throw new BadInputException(file, Location.UNKNOWN, "config.output_layers", "modelgate supports models with exactly one output, this one has "
                    + c.getNetworkOutputs().size());
        }
        String outName = c.getNetworkOutputs().get(0);
        Layer last = layerOf(c.getVertices().get(outName));
        if (last instanceof BaseOutputLayer) return new Output(null, false);
        List<String> into = c.getVertexInputs().getOrDefault(outName, List.of());
        if (last instanceof LossLayer loss && into.size() == 1 && layerOf(c.getVertices().get(into.get(0))) instanceof DenseLayer d) {
            ((LayerVertex) c.getVertices().get(into.get(0))).getLayerConf().setLayer(outputLayer(d, loss.getLossFn()));
            c.getVertices().remove(outName);
            c.getVertexInputs().remove(outName);
            c.setNetworkOutputs(new ArrayList<>(into));
            return new Output(null, false);
        }
        if (last instanceof DenseLayer d) {
            Chosen chosen = choose(d, choice);
            ((LayerVertex) c.getVertices().get(outName)).getLayerConf().setLayer(outputLayer(d, chosen.loss.getILossFunction()));
            return new Output(note(outName, chosen), chosen.assumed);
        }
        if (last == null) throw noOutput(file, null);
        // Anything else (an image-to-image convolution, an Activation after Dense, a recurrent layer): a loss head
        // after it, the loss assumed from its activation (or given).
        Appended a = appendLossHead(c, outName, last, choice);
        return new Output(note(a.head(), a.chosen()) + " (a loss head added after '" + outName + "')", a.chosen().assumed);
    }

    /**
     * DL4J's Keras import gives every layer a dropout that keeps all units (p = 1.0, Keras's dropout 0). It changes
     * nothing but costs a mask per call, and on channels-last convolutions DL4J 1.0.0-M2.1 applies that mask in the
     * wrong layout during backpropagation (the training step fails with a shape mismatch); so it is removed.
     */
    private static void withoutNoOpDropout(Object conf) {
        List<Layer> layers = new ArrayList<>();
        if (conf instanceof MultiLayerConfiguration c) c.getConfs().forEach(n -> layers.add(n.getLayer()));
        else for (GraphVertex v : ((ComputationGraphConfiguration) conf).getVertices().values()) if (layerOf(v) != null) layers.add(layerOf(v));
        for (Layer l : layers) {
            if (l.getIDropout() instanceof org.deeplearning4j.nn.conf.dropout.Dropout d && d.getP() >= 1.0 && d.getPSchedule() == null) l.setIDropout(null);
        }
    }

    /**
     * Keras's Reshape of a channels-last image (MobileNet's Reshape((classes,)) after its 1x1 conv_preds) imports as a
     * ReshapePreprocessor whose input shape DL4J 1.0.0-M2.1 writes channels first ([1000, 1, 1]) although the image
     * is NHWC; the forward pass does not use it, but backpropagation reshapes the gradient to it and fails ("Shapes
     * must be equal during backprop: in.shape{} = [4, 1000, 1, 1], epsilon.shape() = [4, 1, 1000, 1]"). The input
     * shape in the layout the image has, height x width x channels, is what Keras's row-major reshape reads.
     */
    private static void withChannelsLastReshapeInputs(Object conf, KerasModel model) {
        List<org.deeplearning4j.preprocessors.ReshapePreprocessor> reshapes = new ArrayList<>();
        if (conf instanceof MultiLayerConfiguration c) {
            for (InputPreProcessor p : c.getInputPreProcessors().values()) {
                if (p instanceof org.deeplearning4j.preprocessors.ReshapePreprocessor r) reshapes.add(r);
            }
        } else {
            for (GraphVertex v : ((ComputationGraphConfiguration) conf).getVertices().values()) {
                InputPreProcessor p = v instanceof LayerVertex lv ? lv.getPreProcessor()
                        : v instanceof org.deeplearning4j.nn.conf.graph.PreprocessorVertex pv ? pv.getPreProcessor() : null;
                if (p instanceof org.deeplearning4j.preprocessors.ReshapePreprocessor r) reshapes.add(r);
            }
        }
        for (org.deeplearning4j.preprocessors.ReshapePreprocessor r : reshapes) {
            long[] in = r.getInputShape(); // DL4J's own array: reordered in place (the class has no setter)
            if (r.getFormat() != CNN2DFormat.NHWC || r.isHasMiniBatchDimension() || in == null || in.length != 3) continue;
            long c = in[0], h = in[1], w = in[2];
            in[0] = h;
            in[1] = w;
            in[2] = c;
        }
    }

    /**
     * Keras's Flatten of a sequence (an Embedding's time x features, NWC) imports as a KerasFlattenRnnPreprocessor,
     * which flattens what arrives as it is (time-major, as Keras does) but backpropagates as if it had been features x
     * time: training failed ("Shapes must be equal during backprop: in.shape{} = [4, 10, 8], epsilon.shape() = [4, 8,
     * 10]"). A ReshapePreprocessor from time x features does the same forward and the right backward.
     */
    private static void withTimeMajorFlattens(Object conf, KerasModel model) {
        InputType input = model.getOutputTypes().get(model.getInputLayerNames().get(0));
        if (conf instanceof MultiLayerConfiguration c) {
            List<InputType> after = c.getLayerActivationTypes(input);
            for (var e : c.getInputPreProcessors().entrySet()) {
                InputType arriving = e.getKey() == 0 ? input : after.get(e.getKey() - 1);
                InputPreProcessor replaced = timeMajorFlatten(e.getValue(), arriving);
                if (replaced != null) e.setValue(replaced);
            }
            return;
        }
        ComputationGraphConfiguration g = (ComputationGraphConfiguration) conf;
        // One type per network input, in the graph's order (a Functional model may have several input layers).
        InputType[] inputs = g.getNetworkInputs().stream().map(n -> model.getOutputTypes().get(n)).toArray(InputType[]::new);
        java.util.Map<String, InputType> after = g.getLayerActivationTypes(true, inputs);
        for (var e : g.getVertices().entrySet()) {
            List<String> in = g.getVertexInputs().getOrDefault(e.getKey(), List.of());
            if (!(e.getValue() instanceof LayerVertex lv) || in.size() != 1) continue;
            int index = g.getNetworkInputs().indexOf(in.get(0));
            InputType arriving = index >= 0 ? inputs[index] : after.get(in.get(0));
            InputPreProcessor replaced = timeMajorFlatten(lv.getPreProcessor(), arriving);
            if (replaced != null) lv.setPreProcessor(replaced);
        }
    }

    private static InputPreProcessor timeMajorFlatten(InputPreProcessor p, InputType arriving) {
        if (!(p instanceof org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor f) || !(arriving instanceof InputType.InputTypeRecurrent r)
                || r.getFormat() != org.deeplearning4j.nn.conf.RNNFormat.NWC || r.getSize() != f.getDepth() || r.getTimeSeriesLength() != f.getTsLength()) {
            return null;
        }
        return new org.deeplearning4j.preprocessors.ReshapePreprocessor(new long[] {f.getTsLength(), f.getDepth()},
                new long[] {f.getTsLength() * f.getDepth()}, false);
    }

    /**
     * Keras's Concatenate(axis=-1) imports as a MergeVertex with merge axis -1; DL4J 1.0.0-M2.1 concatenates along it
     * but fails when backpropagating (it indexes the input shape with -1). The same axis, counted from the front.
     */
    private static void withNonNegativeMergeAxes(ComputationGraphConfiguration c, KerasModel model) {
        for (var e : c.getVertices().entrySet()) {
            if (e.getValue() instanceof org.deeplearning4j.nn.conf.graph.MergeVertex m && m.getMergeAxis() < 0) {
                InputType t = model.getOutputTypes().get(e.getKey());
                int rank = t instanceof InputType.InputTypeConvolutional ? 4 : t instanceof InputType.InputTypeRecurrent ? 3 : 2;
                m.setMergeAxis(rank + m.getMergeAxis());
            }
        }
    }

    private static Layer layerOf(GraphVertex v) {
        return v instanceof LayerVertex lv ? lv.getLayerConf().getLayer() : null;
    }

    private static BadInputException noOutput(Path file, Layer last) {
        return new BadInputException(file, Location.UNKNOWN, "layer '" + (last == null ? "?" : last.getLayerName()) + "'", "the model must end in a Dense "
                + "layer to train it (it becomes the output layer), but it ends in " + (last == null ? "a merge or other vertex" : last.getClass().getSimpleName()));
    }

    private record Chosen(LossFunctions.LossFunction loss, String name, String from, boolean assumed) {}

    private static Chosen choose(DenseLayer d, LossChoice choice) {
        return choose(d.getActivationFn(), choice);
    }

    private static Chosen choose(IActivation a, LossChoice choice) {
        if (choice.loss() != null) return new Chosen(Vocabulary.LOSSES.get(choice.loss()), choice.loss(), choice.from(), false);
        String name = a instanceof ActivationSoftmax ? "mcxent" : a instanceof ActivationSigmoid ? "xent" : "mse";
        String act = a instanceof ActivationSoftmax ? "softmax" : a instanceof ActivationSigmoid ? "sigmoid" : "its";
        return new Chosen(Vocabulary.LOSSES.get(name), name, "assumed from " + act + " activation; set --loss to choose", true);
    }

    private static String note(String layer, Chosen c) {
        return "output layer '" + layer + "' trains with loss " + c.name + " (" + c.from + ")";
    }

    /** An OutputLayer with the Dense layer's parameters (W then b, as DenseLayer keeps them), so weights carry over. */
    private static OutputLayer outputLayer(DenseLayer d, ILossFunction loss) {
        OutputLayer o = new OutputLayer.Builder(loss).nIn(d.getNIn()).nOut(d.getNOut()).activation(d.getActivationFn())
                .hasBias(d.hasBias()).biasInit(d.getBiasInit()).name(d.getLayerName()).build();
        o.setWeightInitFn(d.getWeightInitFn());
        o.setIUpdater(d.getIUpdater());
        o.setBiasUpdater(d.getBiasUpdater());
        o.setRegularization(d.getRegularization());
        o.setRegularizationBias(d.getRegularizationBias());
        o.setGradientNormalization(d.getGradientNormalization());
        o.setGradientNormalizationThreshold(d.getGradientNormalizationThreshold());
        return o;
    }

    private static String modelName(JsonNode root, String fallback) {
        String n = root.path("config").path("name").asText("");
        return n.isBlank() ? fallback : n;
    }

    /** DL4J's import errors, as one line naming the layer and its Keras class where the error is about one. */
    private static BadInputException translate(Path file, JsonNode root, Throwable e) {
        String msg = firstLine(e);
        Matcher m = UNSUPPORTED_LAYER.matcher(msg);
        if (m.find()) {
            String cls = m.group(1);
            List<String> names = new ArrayList<>();
            for (JsonNode l : layers(root)) {
                if (cls.equals(l.path("class_name").asText())) names.add(l.path("config").path("name").asText(l.path("name").asText("?")));
            }
            String which = names.isEmpty() ? "a layer" : names.size() == 1 ? "layer '" + names.get(0) + "'" : "layers " + names.stream().map(s -> "'" + s + "'").toList();
            return new BadInputException(file, Location.UNKNOWN, which.equals("a layer") ? "" : which,
                    "Keras layer class " + cls + " is not supported by DL4J's Keras import (DL4J 1.0.0-M2.1); replace it or check a DL4J config instead", e);
        }
        Matcher lambda = NO_LAMBDA.matcher(msg);
        if (lambda.find()) {
            return new BadInputException(file, Location.UNKNOWN, "layer '" + lambda.group(1) + "'", "Keras layer class Lambda (Python code) is not "
                    + "supported: DL4J's Keras import (DL4J 1.0.0-M2.1) reads one only when a Java SameDiff layer is registered for it; replace it "
                    + "with built-in Keras layers", e);
        }
        Matcher act = UNKNOWN_ACTIVATION.matcher(msg);
        if (act.find()) {
            List<String> names = new ArrayList<>();
            for (JsonNode l : layers(root)) {
                if (act.group(1).equals(l.path("config").path("activation").asText())) names.add(l.path("config").path("name").asText("?"));
            }
            String which = names.isEmpty() ? "" : names.size() == 1 ? "layer '" + names.get(0) + "'" : "layers " + names.stream().map(n -> "'" + n + "'").toList();
            return new BadInputException(file, Location.UNKNOWN, which, "Keras activation '" + act.group(1) + "' is not supported by DL4J's Keras import "
                    + "(DL4J 1.0.0-M2.1 maps linear, relu, elu, selu, sigmoid, hard_sigmoid, tanh, softmax, softplus, softsign, swish)", e);
        }
        return new BadInputException(file, Location.UNKNOWN, "", "DL4J's Keras import cannot read this model: " + withoutDl4jAdvice(msg), e);
    }

    /** DL4J's messages end in a request to file an issue or a link to its docs; neither helps here. */
    static String withoutDl4jAdvice(String msg) {
        return msg.replaceAll("\\s*(Please file an issue at|For more information, see) \\S+\\.?\\s*$", "");
    }

    private static Iterable<JsonNode> layers(JsonNode root) {
        JsonNode config = root.path("config");
        return config.isArray() ? config : config.path("layers");
    }

    private static String firstLine(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) root = root.getCause();
        String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
        int nl = msg.indexOf('\n');
        return (nl > 0 ? msg.substring(0, nl) : msg).trim();
    }
}
