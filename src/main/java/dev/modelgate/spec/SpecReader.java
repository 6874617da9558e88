package dev.modelgate.spec;

import dev.modelgate.io.FileScope;
import dev.modelgate.io.Suggestions;
import dev.modelgate.io.LocatedTree;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the modelgate spec format (docs/spec-format.md) strictly: unknown keys, misspelled kinds, wrong types and
 * non-positive sizes are errors with file, line:column and key path. Shapes are checked later, by {@link ShapeInference}.
 */
final class SpecReader {
    static final String INPUT = "input";
    /** {@code init:} as configured (each layer's weight-init), or from the check's original where layers match. */
    static final List<String> INIT_CHOICES = List.of("configured", "from-original");
    static final Set<String> TOP_KEYS = ordered("name", "description", "baseline", "init", "input", "defaults", "training", "data", "layers", "nodes", "output");
    static final Set<String> LAYER_TYPES = ordered("dense", "conv2d", "separable-conv2d", "depthwise-conv2d", "deconv2d",
            "max-pool", "avg-pool", "global-pool", "upsample2d", "batch-norm", "dropout", "lstm", "activation",
            "zero-padding", "cropping", "local-response-norm", "conv1d", "embedding", "bidirectional-lstm", "scale", "shift",
            "add", "concat", "multiply", "average", "max", "subtract");
    private static final Set<String> WINDOW = ordered("kernel", "stride", "padding", "dilation");
    private static final Set<String> WEIGHTED = ordered("activation", "weight-init", "in");

    private final LocatedTree tree;
    private final FileScope files;
    private final Map<String, Integer> autoCounters = new HashMap<>();
    private String defaultActivation = "relu";
    private WeightInitSpec defaultInit = WeightInitSpec.XAVIER;

    private SpecReader(LocatedTree tree, FileScope files) {
        this.tree = tree;
        this.files = files;
    }

    /** @param files where the files the spec names may be ({@code data.csv}, {@code baseline}) */
    static ModelSpec read(LocatedTree tree, FileScope files) {
        return new SpecReader(tree, files).read();
    }

    private ModelSpec read() {
        Fields top = Fields.of(tree, "", tree.root(), "a model spec");
        top.allow(TOP_KEYS, "at the top level");
        String name = top.string("name").orElse(fileStem());
        top.string("description");
        Shape input = readInput(top);
        if (top.has("defaults")) readDefaults(Fields.of(tree, "defaults", top.raw("defaults"), "layer defaults"));
        Training training = top.has("training")
                ? readTraining(Fields.of(tree, "training", top.raw("training"), "a training section")) : Training.DEFAULT;

        if (top.has("layers") && top.has("nodes")) {
            throw top.error("nodes", "a spec has either 'layers' (a sequence) or 'nodes' (a graph), not both");
        }
        List<Node> nodes = new ArrayList<>();
        if (top.has("layers")) readSequence(top, nodes);
        else if (top.has("nodes")) readGraph(top, nodes);
        else throw tree.error("", "missing 'layers' (a list of layers) or 'nodes' (a graph of named layers)");

        if (!top.has("output")) throw tree.error("", "missing required key 'output' (e.g. output: {classes: 10})");
        nodes.add(readOutput(Fields.of(tree, "output", top.raw("output"), "an output section"), nodes, top.has("nodes")));
        checkNames(nodes);
        DataSpec data = top.has("data") ? readData(Fields.of(tree, "data", top.raw("data"), "a data section ({csv: examples.csv}, {images: folder} or {idx: images.idx, labels: labels.idx})")) : null;
        java.nio.file.Path baseline = top.string("baseline").map(b -> files.resolve(tree, "baseline", b)).orElse(null);
        boolean fromOriginal = false;
        if (top.has("init")) {
            String init = top.string("init").orElseThrow();
            if (!INIT_CHOICES.contains(init)) {
                throw top.error("init", "unknown value '" + init + "'" + Suggestions.didYouMean(init, INIT_CHOICES) + "; valid: " + String.join(", ", INIT_CHOICES));
            }
            fromOriginal = init.equals("from-original");
        }
        return new ModelSpec(tree.file(), SourceFormat.MODELGATE_SPEC, name, Optional.of(input), INPUT, nodes, training, data, baseline, null, null)
                .withInitFromOriginal(fromOriginal);
    }

    /** Where the examples are: exactly one of csv, images, idx; the keys of the other formats are refused. */
    private DataSpec readData(Fields d) {
        d.allow(ordered("csv", "label", "header", "id", "images", "idx", "labels", "validation", "epochs", "max-seconds", "seeds"), "in 'data'");
        int given = (d.has("csv") ? 1 : 0) + (d.has("images") ? 1 : 0) + (d.has("idx") ? 1 : 0);
        if (given != 1) {
            throw tree.error(d.path(), "give exactly one of csv: FILE, images: FOLDER (one subfolder per class) or idx: FILE with labels: FILE");
        }
        String format = d.has("csv") ? "csv" : d.has("images") ? "images" : "idx";
        for (String key : List.of("label", "header", "id")) {
            if (!format.equals("csv") && d.has(key)) throw d.error(key, "'" + key + "' is for csv data; " + format + " data has no columns");
        }
        if (!format.equals("idx") && d.has("labels")) {
            throw d.error("labels", "'labels' names the labels file of idx data" + (format.equals("csv") ? "; csv data takes label: COLUMN" : "; an image folder's labels are its subfolders"));
        }
        DataSpec.Evaluation evaluation = readEvaluation(d);
        return switch (format) {
            case "csv" -> new DataSpec(d.has("id") ? DataSpec.Format.SEQUENCE_CSV : DataSpec.Format.CSV, files.resolve(tree, d.child("csv"), d.requireString("csv")),
                    d.string("label").orElse(null), d.bool("header", true), evaluation, null, d.string("id").orElse(null));
            case "images" -> new DataSpec(DataSpec.Format.IMAGES, files.resolveFolder(tree, d.child("images"), d.requireString("images")), null, false, evaluation);
            default -> {
                if (!d.has("labels")) throw tree.error(d.path(), "idx data needs labels: FILE (an IDX file of one label per image) beside idx: FILE");
                yield new DataSpec(DataSpec.Format.IDX, files.resolve(tree, d.child("idx"), d.requireString("idx")), null, false, evaluation,
                        files.resolve(tree, d.child("labels"), d.requireString("labels")), null);
            }
        };
    }

    /** The held-out evaluation's settings (accuracy-drop, loss-increase); docs/spec-format.md, data. */
    private static DataSpec.Evaluation readEvaluation(Fields d) {
        double validation = d.numberInRange("validation", DataSpec.Evaluation.DEFAULT.validation(), 0.05, 0.5, false);
        java.util.OptionalInt epochs = d.has("epochs") ? java.util.OptionalInt.of(d.positiveInt("epochs", 1)) : java.util.OptionalInt.empty();
        java.util.OptionalDouble seconds = d.has("max-seconds")
                ? java.util.OptionalDouble.of(d.numberInRange("max-seconds", 1, 0.1, 86_400, false)) : java.util.OptionalDouble.empty();
        int seeds = d.positiveInt("seeds", DataSpec.Evaluation.DEFAULT.seeds());
        if (seeds > 100) throw d.error("seeds", "at most 100 seeds, got " + seeds);
        return new DataSpec.Evaluation(validation, epochs, seconds, seeds);
    }

    private String fileStem() {
        String f = tree.file() == null ? "model" : tree.file().getFileName().toString();
        int dot = f.lastIndexOf('.');
        return dot > 0 ? f.substring(0, dot) : f;
    }

    private Shape readInput(Fields top) {
        if (!top.has("input")) throw tree.error("", "missing required key 'input' (e.g. input: {features: 64} or input: {image: [1, 28, 28]})");
        Fields in = Fields.of(tree, "input", top.raw("input"), "an input section").allow(ordered("features", "image", "sequence"), "in 'input'");
        int given = (in.has("features") ? 1 : 0) + (in.has("image") ? 1 : 0) + (in.has("sequence") ? 1 : 0);
        if (given != 1) {
            throw tree.error("input", "give exactly one of features: N, image: [channels, height, width], sequence: [features, length]");
        }
        if (in.has("features")) return new Shape.Features(in.requirePositiveLong("features"));
        if (in.has("image")) {
            long[] d = dims(in, "image", 3, "[channels, height, width]");
            return new Shape.Image(d[0], d[1], d[2]);
        }
        long[] d = dims(in, "sequence", 2, "[features, length]");
        return new Shape.Sequence(d[0], d[1]);
    }

    private long[] dims(Fields f, String key, int n, String form) {
        JsonNode v = f.raw(key);
        if (!v.isArray() || v.size() != n) {
            throw f.error(key, "expected " + form + " (" + n + " numbers), got " + (v.isArray() ? "a list of " + v.size() : Fields.describe(v)));
        }
        long[] out = new long[n];
        for (int i = 0; i < n; i++) out[i] = Fields.positiveLong(tree, f.child(key) + "[" + i + "]", v.get(i));
        return out;
    }

    private void readDefaults(Fields d) {
        d.allow(ordered("activation", "weight-init"), "in 'defaults'");
        if (d.has("activation")) defaultActivation = activation(d, "activation", null);
        if (d.has("weight-init")) defaultInit = weightInit(d, null);
    }

    private Training readTraining(Fields t) {
        t.allow(ordered("batch-size", "seed", "optimizer", "gradient-clipping"), "in 'training'");
        int batch = t.positiveInt("batch-size", Training.DEFAULT.batchSize());
        long seed = t.has("seed") ? t.raw("seed").asLong() : Training.DEFAULT.seed();
        if (t.has("seed") && !t.raw("seed").isIntegralNumber()) throw t.error("seed", "expected an integer, got " + Fields.describe(t.raw("seed")));
        Training.Optimizer opt = Training.Optimizer.DEFAULT;
        if (t.has("optimizer")) {
            JsonNode o = t.raw("optimizer");
            if (o.isTextual()) opt = optimizer(Fields.of(tree, t.child("optimizer"), com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode().put("type", o.asText()), "an optimizer"), t.child("optimizer"));
            else opt = optimizer(Fields.of(tree, t.child("optimizer"), o, "an optimizer (a name or {type: adam, learning-rate: 0.001})"), null);
        }
        String clipping = null;
        double threshold = 0;
        if (t.has("gradient-clipping")) {
            Fields c = Fields.of(tree, t.child("gradient-clipping"), t.raw("gradient-clipping"), "gradient clipping ({mode: clip-l2-per-layer, threshold: 1.0})")
                    .allow(ordered("mode", "threshold"), "in 'gradient-clipping'");
            clipping = name(c, "mode", Vocabulary.CLIPPING, "clipping mode");
            threshold = c.number("threshold");
            if (threshold <= 0) throw c.error("threshold", "must be positive, got " + threshold);
        }
        return new Training(batch, seed, opt, clipping, threshold);
    }

    private Training.Optimizer optimizer(Fields o, String pathOfShortForm) {
        o.allow(ordered("type", "learning-rate", "momentum", "weight-decay", "beta1", "beta2", "epsilon", "decay"), "in 'optimizer'");
        String type = o.requireString("type").toLowerCase();
        if (!Vocabulary.OPTIMIZERS.contains(type)) {
            String at = pathOfShortForm != null ? pathOfShortForm : o.child("type");
            throw tree.error(at, "unknown optimizer '" + type + "'" + Suggestions.didYouMean(type, Vocabulary.OPTIMIZERS)
                    + "; valid: " + String.join(", ", Vocabulary.OPTIMIZERS));
        }
        Training.Optimizer d = Training.Optimizer.DEFAULT;
        double lr = o.number("learning-rate", type.startsWith("sgd") || type.equals("momentum") || type.equals("nesterov") ? 0.01 : d.learningRate());
        if (lr <= 0) throw o.error("learning-rate", "must be positive, got " + lr);
        return new Training.Optimizer(type, lr,
                o.numberInRange("momentum", d.momentum(), 0, 1, true),
                o.numberInRange("weight-decay", 0, 0, 1, false),
                o.numberInRange("beta1", d.beta1(), 0, 1, true),
                o.numberInRange("beta2", d.beta2(), 0, 1, true),
                o.numberInRange("epsilon", d.epsilon(), 0, 1, false),
                o.numberInRange("decay", d.decay(), 0, 1, true));
    }

    private void readSequence(Fields top, List<Node> nodes) {
        JsonNode layers = top.raw("layers");
        if (!layers.isArray()) throw top.error("layers", "expected a list of layers, got " + Fields.describe(layers));
        if (layers.isEmpty()) throw top.error("layers", "the list is empty; a model needs at least one layer before its output");
        String previous = INPUT;
        for (int i = 0; i < layers.size(); i++) {
            String path = "layers[" + i + "]";
            Fields f = Fields.of(tree, path, layers.get(i), "a layer ({type: dense, units: 64})");
            if (f.has("inputs")) throw f.error("inputs", "'inputs' belongs to the graph form ('nodes'); in 'layers' each layer takes the one before it");
            Node n = readLayer(f, f.string("name").orElse(null), List.of(previous), false);
            nodes.add(n);
            previous = n.name();
        }
    }

    private void readGraph(Fields top, List<Node> nodes) {
        Fields g = Fields.of(tree, "nodes", top.raw("nodes"), "a graph of named nodes");
        JsonNode raw = top.raw("nodes");
        if (raw.isEmpty()) throw top.error("nodes", "the graph is empty; a model needs at least one node before its output");
        String previous = INPUT;
        var it = raw.fieldNames();
        while (it.hasNext()) {
            String name = it.next();
            Fields f = Fields.of(tree, g.child(name), raw.get(name), "a node ({type: conv2d, filters: 16, kernel: 3, inputs: [input]})");
            if (f.has("name")) throw f.error("name", "a graph node is named by its key ('" + name + "'); remove 'name'");
            List<String> inputs = f.has("inputs") ? f.strings("inputs") : List.of(previous);
            if (inputs.isEmpty()) throw f.error("inputs", "a node needs at least one input");
            nodes.add(readLayer(f, name, inputs, true));
            previous = name;
        }
    }

    private Node readLayer(Fields f, String explicitName, List<String> inputs, boolean graph) {
        String type = f.requireString("type");
        if (!LAYER_TYPES.contains(type)) {
            throw f.error("type", "unknown layer type '" + type + "'" + Suggestions.didYouMean(type, LAYER_TYPES)
                    + "; valid: " + String.join(", ", LAYER_TYPES));
        }
        Set<String> allowed = ordered("type", "name", "inputs");
        LayerOp op;
        SpecNative.Made made = null;
        switch (type) {
            case "dense": {
                f.allow(plus(allowed, "units", WEIGHTED), "for a dense layer");
                op = new LayerOp.Dense(f.requirePositiveLong("units"), activation(f, "activation", defaultActivation), weightInit(f, defaultInit), declaredIn(f));
                break;
            }
            case "conv2d":
            case "deconv2d":
            case "separable-conv2d": {
                Set<String> keys = plus(plus(allowed, "filters", WINDOW), "bias", WEIGHTED);
                if (type.equals("separable-conv2d")) keys = plus(keys, "depth-multiplier");
                f.allow(keys, "for a " + type + " layer");
                long filters = f.requirePositiveLong("filters");
                ConvGeometry g = geometry(f, 1);
                String act = activation(f, "activation", defaultActivation);
                WeightInitSpec wi = weightInit(f, defaultInit);
                boolean bias = f.bool("bias", true);
                Long in = declaredIn(f);
                if (type.equals("conv2d")) op = new LayerOp.Conv2d(filters, g, act, wi, bias, in);
                else if (type.equals("deconv2d")) op = new LayerOp.Deconv2d(filters, g, act, wi, bias, in);
                else op = new LayerOp.SeparableConv2d(filters, f.positiveInt("depth-multiplier", 1), g, act, wi, bias, in);
                break;
            }
            case "depthwise-conv2d": {
                f.allow(plus(plus(allowed, "depth-multiplier", WINDOW), "bias", WEIGHTED), "for a depthwise-conv2d layer");
                op = new LayerOp.DepthwiseConv2d(f.positiveInt("depth-multiplier", 1), geometry(f, 1),
                        activation(f, "activation", defaultActivation), weightInit(f, defaultInit), f.bool("bias", true), declaredIn(f));
                break;
            }
            case "max-pool":
            case "avg-pool": {
                f.allow(plus(allowed, "kernel", "stride", "padding"), "for a " + type + " layer");
                if (!f.has("kernel")) throw tree.error(f.path(), "missing required key 'kernel' (e.g. kernel: 2)");
                int[] kernel = f.pair("kernel", 2, false);
                op = new LayerOp.Pool2d(type.substring(0, 3), geometry(f, kernel[0], kernel[1]));
                break;
            }
            case "global-pool": {
                f.allow(plus(allowed, "pooling"), "for a global-pool layer");
                String p = f.string("pooling").orElse("avg");
                Set<String> valid = ordered("avg", "max", "sum", "pnorm");
                if (!valid.contains(p)) throw f.error("pooling", "unknown pooling '" + p + "'" + Suggestions.didYouMean(p, valid) + "; valid: avg, max, sum, pnorm");
                op = new LayerOp.GlobalPool(p);
                break;
            }
            case "upsample2d": {
                f.allow(plus(allowed, "size"), "for an upsample2d layer");
                op = new LayerOp.Upsample2d(f.pair("size", 2, false));
                break;
            }
            case "batch-norm": {
                f.allow(plus(allowed, "epsilon", "decay", "in"), "for a batch-norm layer");
                op = new LayerOp.BatchNorm(f.numberInRange("epsilon", 1e-5, 0, 1, false), f.numberInRange("decay", 0.9, 0, 1, true), declaredIn(f));
                break;
            }
            case "dropout": {
                f.allow(plus(allowed, "rate"), "for a dropout layer");
                if (!f.has("rate")) throw tree.error(f.path(), "missing required key 'rate' (the fraction dropped, in [0, 1))");
                op = new LayerOp.Dropout(f.numberInRange("rate", 0, 0, 1, true));
                break;
            }
            case "lstm": {
                f.allow(plus(allowed, "units", WEIGHTED), "for an lstm layer");
                op = new LayerOp.Lstm(f.requirePositiveLong("units"), activation(f, "activation", "tanh"), weightInit(f, defaultInit), declaredIn(f));
                break;
            }
            case "activation": {
                f.allow(plus(allowed, "activation"), "for an activation layer");
                if (!f.has("activation")) throw tree.error(f.path(), "missing required key 'activation'");
                op = new LayerOp.Activation(activation(f, "activation", null));
                break;
            }
            case "zero-padding": {
                f.allow(plus(allowed, "padding"), "for a zero-padding layer");
                int[] p = f.sides("padding", 1);
                made = SpecNative.of("zero-padding", LayerOp.Family.RESHAPE, null, new org.deeplearning4j.nn.conf.layers.ZeroPaddingLayer.Builder(p).build(),
                        "padding", java.util.Arrays.toString(p));
                op = made.op();
                break;
            }
            case "cropping": {
                f.allow(plus(allowed, "cropping"), "for a cropping layer");
                if (!f.has("cropping")) throw tree.error(f.path(), "missing required key 'cropping' (e.g. cropping: 1, or [top, bottom, left, right])");
                int[] c = f.sides("cropping", 0);
                made = SpecNative.of("cropping", LayerOp.Family.RESHAPE, null, new org.deeplearning4j.nn.conf.layers.convolutional.Cropping2D.Builder(c).build(),
                        "cropping", java.util.Arrays.toString(c));
                op = made.op();
                break;
            }
            case "local-response-norm": {
                f.allow(plus(allowed, "n", "k", "alpha", "beta"), "for a local-response-norm layer");
                double n = f.numberInRange("n", 5, 1, 1000, false), k = f.numberInRange("k", 2, 0, 1e6, false);
                double alpha = f.numberInRange("alpha", 1e-4, 0, 1e6, false), beta = f.numberInRange("beta", 0.75, 0, 1e6, false);
                made = SpecNative.of("local-response-norm", LayerOp.Family.NORMALIZATION, null,
                        new org.deeplearning4j.nn.conf.layers.LocalResponseNormalization.Builder().n(n).k(k).alpha(alpha).beta(beta).build(),
                        "n", fmt(n), "k", fmt(k), "alpha", fmt(alpha), "beta", fmt(beta));
                op = made.op();
                break;
            }
            case "conv1d": {
                f.allow(plus(plus(allowed, "filters", "kernel", "stride", "padding", "dilation"), "bias", WEIGHTED), "for a conv1d layer");
                long filters = f.requirePositiveLong("filters");
                int kernel = f.positiveInt("kernel", 3), stride = f.positiveInt("stride", 1), dilation = f.positiveInt("dilation", 1);
                boolean same = f.has("padding") && f.raw("padding").isTextual() && f.raw("padding").asText().equals("same");
                int pad = same || !f.has("padding") ? 0 : f.nonNegativeInt("padding", 0);
                String act = activation(f, "activation", defaultActivation);
                WeightInitSpec wi = weightInit(f, defaultInit);
                var b = new org.deeplearning4j.nn.conf.layers.Convolution1DLayer.Builder().kernelSize(kernel).stride(stride).padding(pad).dilation(dilation)
                        .nOut(filters).hasBias(f.bool("bias", true))
                        .convolutionMode(same ? org.deeplearning4j.nn.conf.ConvolutionMode.Same : org.deeplearning4j.nn.conf.ConvolutionMode.Truncate);
                made = SpecNative.of("conv1d", LayerOp.Family.CONV, filters, SpecNative.weighted(b, act, wi).build(),
                        "filters", Long.toString(filters), "window", kernel + " stride " + stride + (same ? " same" : pad > 0 ? " pad " + pad : " valid"),
                        "activation", act, "weight-init", wi.toString());
                op = made.op();
                break;
            }
            case "embedding": {
                f.allow(plus(allowed, "vocabulary", "units", "weight-init"), "for an embedding layer");
                long vocabulary = f.requirePositiveLong("vocabulary"), units = f.requirePositiveLong("units");
                WeightInitSpec wi = weightInit(f, defaultInit);
                var b = new org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer.Builder().nIn(vocabulary).nOut(units);
                made = SpecNative.of("embedding", LayerOp.Family.EMBEDDING, units, SpecNative.weighted(b, "identity", wi).build(),
                        "vocabulary", Long.toString(vocabulary), "units", Long.toString(units), "weight-init", wi.toString());
                op = made.op();
                break;
            }
            case "bidirectional-lstm": {
                f.allow(plus(plus(allowed, "units"), "mode", WEIGHTED), "for a bidirectional-lstm layer");
                long units = f.requirePositiveLong("units");
                String mode = f.string("mode").orElse("concat");
                var modes = java.util.Map.of("concat", org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.CONCAT,
                        "add", org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.ADD,
                        "average", org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.AVERAGE,
                        "multiply", org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional.Mode.MUL);
                if (!modes.containsKey(mode)) throw f.error("mode", "unknown mode '" + mode + "'" + Suggestions.didYouMean(mode, modes.keySet()) + "; valid: concat, add, average, multiply");
                String act = activation(f, "activation", "tanh");
                WeightInitSpec wi = weightInit(f, defaultInit);
                var lstm = SpecNative.weighted(new org.deeplearning4j.nn.conf.layers.LSTM.Builder().nOut(units), act, wi).build();
                made = SpecNative.of("bidirectional-lstm", LayerOp.Family.RECURRENT, mode.equals("concat") ? 2 * units : units,
                        new org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional(modes.get(mode), lstm),
                        "units", Long.toString(units), "mode", mode, "activation", act, "weight-init", wi.toString());
                op = made.op();
                break;
            }
            case "scale":
            case "shift": {
                if (!graph) throw f.error("type", "'" + type + "' is a graph vertex and needs the graph form: use 'nodes' with 'inputs'");
                String key = type.equals("scale") ? "factor" : "shift";
                f.allow(plus(allowed, key), "for a " + type + " node");
                if (!f.has(key)) throw tree.error(f.path(), "missing required key '" + key + "'");
                double v = f.number(key);
                Object vertex = type.equals("scale") ? new org.deeplearning4j.nn.conf.graph.ScaleVertex(v) : new org.deeplearning4j.nn.conf.graph.ShiftVertex(v);
                made = SpecNative.of(type, LayerOp.Family.ACTIVATION, null, vertex, key, fmt(v));
                op = made.op();
                break;
            }
            default: { // merges
                if (!graph) {
                    throw f.error("type", "'" + type + "' joins branches and needs the graph form: use 'nodes' with 'inputs'");
                }
                f.allow(allowed, "for an '" + type + "' node");
                if (inputs.size() < 2) throw tree.error(f.path(), "'" + type + "' joins branches and needs at least 2 inputs, got " + inputs.size());
                op = new LayerOp.Merge(type);
            }
        }
        boolean auto = explicitName == null;
        String name = auto ? autoName(type) : explicitName;
        // A kind the spec describes with DL4J's own layer (or vertex) object: DL4J propagates its shape and counts its parameters.
        if (made != null) return new Node(name, made.op(), inputs, auto, tree.locate(f.path()), made.dl4j());
        return new Node(name, op, inputs, auto, tree.locate(f.path()));
    }

    private static String fmt(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e9 ? Long.toString((long) v) : Double.toString(v);
    }

    private Node readOutput(Fields o, List<Node> nodes, boolean graph) {
        o.allow(ordered("classes", "regression", "activation", "loss", "weight-init", "name", "from", "in"), "in 'output'");
        if (o.has("classes") == o.has("regression")) {
            throw tree.error("output", "give exactly one of classes: N (classification) or regression: N (N real-valued targets)");
        }
        boolean classes = o.has("classes");
        long units = o.requirePositiveLong(classes ? "classes" : "regression");
        String act = activation(o, "activation", classes ? "softmax" : "identity");
        String loss = o.has("loss") ? name(o, "loss", Vocabulary.LOSSES, "loss") : (classes ? "mcxent" : "mse");
        String from = o.string("from").orElse(nodes.get(nodes.size() - 1).name());
        if (o.has("from") && !graph) throw o.error("from", "'from' belongs to the graph form; in 'layers' the output takes the last layer");
        String name = o.string("name").orElse("output");
        return new Node(name, new LayerOp.Output(units, act, loss, weightInit(o, defaultInit), declaredIn(o)),
                List.of(from), false, tree.locate("output"));
    }

    private void checkNames(List<Node> nodes) {
        Set<String> seen = new HashSet<>();
        seen.add(INPUT);
        for (Node n : nodes) {
            if (!seen.add(n.name())) {
                throw new BadInputException(tree.file(), n.location(), n.name(), "duplicate layer name '" + n.name() + "'"
                        + (n.name().equals(INPUT) ? " ('input' names the model's input)" : "") + "; every layer needs its own name");
            }
        }
    }

    private String autoName(String type) {
        int k = autoCounters.merge(type.replace('-', '_'), 1, Integer::sum);
        return type.replace('-', '_') + "_" + k;
    }

    private ConvGeometry geometry(Fields f, int defaultKernel) {
        if (!f.has("kernel")) throw tree.error(f.path(), "missing required key 'kernel' (e.g. kernel: 3 or kernel: [3, 5])");
        int[] stride = f.pair("stride", 1, false);
        return window(f, f.pair("kernel", defaultKernel, false), stride);
    }

    private ConvGeometry geometry(Fields f, int kh, int kw) {
        int[] kernel = {kh, kw};
        int[] stride = f.has("stride") ? f.pair("stride", 1, false) : kernel.clone();
        return window(f, kernel, stride);
    }

    private ConvGeometry window(Fields f, int[] kernel, int[] stride) {
        boolean same = false;
        int[] padding = {0, 0};
        if (f.has("padding")) {
            JsonNode p = f.raw("padding");
            if (p.isTextual()) {
                if (p.asText().equals("same")) same = true;
                else if (!p.asText().equals("valid")) throw f.error("padding", "expected 'same', 'valid', an integer or a [height, width] pair, got '" + p.asText() + "'");
            } else padding = f.pair("padding", 0, true);
        }
        int[] dilation = f.pair("dilation", 1, false);
        return new ConvGeometry(kernel, stride, padding, dilation, same);
    }

    private Long declaredIn(Fields f) {
        return f.positiveLong("in").orElse(null);
    }

    private String activation(Fields f, String key, String dflt) {
        if (!f.has(key)) return dflt;
        return name(f, key, Vocabulary.ACTIVATIONS, "activation");
    }

    private String name(Fields f, String key, Map<String, ?> vocabulary, String what) {
        String given = f.requireString(key);
        return Vocabulary.canonical(vocabulary, given).orElseThrow(() -> f.error(key, "unknown " + what + " '" + given + "'"
                + Suggestions.didYouMean(given, vocabulary.keySet()) + "; valid: " + String.join(", ", vocabulary.keySet())));
    }

    private WeightInitSpec weightInit(Fields f, WeightInitSpec dflt) {
        if (!f.has("weight-init")) return dflt;
        JsonNode v = f.raw("weight-init");
        if (v.isTextual()) return WeightInitSpec.named(name(f, "weight-init", Vocabulary.WEIGHT_INITS, "weight init"));
        Fields d = Fields.of(tree, f.child("weight-init"), v, "a weight init (a name such as xavier, or {distribution: normal, mean: 0, std: 1})")
                .allow(ordered("distribution", "mean", "std", "lower", "upper"), "in 'weight-init'");
        String dist = d.requireString("distribution");
        switch (dist) {
            case "normal": case "gaussian": {
                double std = d.number("std");
                if (std <= 0) throw d.error("std", "must be positive, got " + std);
                return WeightInitSpec.normal(d.number("mean", 0), std);
            }
            case "uniform": {
                double lo = d.number("lower"), hi = d.number("upper");
                if (lo >= hi) throw d.error("upper", "must be greater than lower (" + lo + "), got " + hi);
                return WeightInitSpec.uniform(lo, hi);
            }
            default:
                throw d.error("distribution", "unknown distribution '" + dist + "'" + Suggestions.didYouMean(dist, List.of("normal", "uniform")) + "; valid: normal, uniform");
        }
    }

    private static Set<String> ordered(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    private static Set<String> plus(Set<String> base, String key, Set<String> more) {
        Set<String> s = new LinkedHashSet<>(base);
        s.add(key);
        s.addAll(more);
        return s;
    }

    private static Set<String> plus(Set<String> base, String... keys) {
        Set<String> s = new LinkedHashSet<>(base);
        s.addAll(List.of(keys));
        return s;
    }
}
