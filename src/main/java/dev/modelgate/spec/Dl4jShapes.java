package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * The shapes of a DL4J model, as DL4J itself propagates them ({@code getLayerActivationTypes}): for a DL4J
 * configuration, DL4J is the source of truth, for every layer, vertex and preprocessor it can build, whether or not
 * modelgate has an op of its own for it. Needs no native backend.
 */
final class Dl4jShapes {
    private Dl4jShapes() {}

    /** Output shapes by node name, and the input shapes of each node. */
    record Shapes(Map<String, Shape> out, Map<String, List<Shape>> in) {}

    /** The shapes for the model's inputs as its spec gives them (every input has one by now). */
    static Shapes of(ModelSpec spec) {
        Shape input = spec.inputShape().orElseThrow();
        Map<String, Shape> out = new HashMap<>();
        InputType[] types = new InputType[spec.inputs().size()];
        for (int i = 0; i < types.length; i++) {
            Shape s = spec.inputs().get(i).shape().orElseThrow();
            out.put(spec.inputs().get(i).name(), s);
            types[i] = inputType(s, spec.channelsLast());
        }
        try {
            if (spec.nativeConfig() instanceof MultiLayerConfiguration c) multiLayer(spec, c, types[0], input, out);
            else graph(spec, (ComputationGraphConfiguration) spec.nativeConfig(), types, input, out);
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            // Where modelgate has ops of its own for every node, its inference names the layer and both shapes; else DL4J's words.
            ShapeInference.explainFailure(spec, input);
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            String given = spec.inputs().size() == 1 ? "the input shape " + input : "the input shapes " + spec.inputs().stream()
                    .map(i -> i.name() + "=" + i.shape().orElseThrow()).collect(java.util.stream.Collectors.joining(", "));
            throw new BadInputException(spec.source(), Location.UNKNOWN, "", "DL4J cannot propagate " + given + " through the model: " + msg, e);
        }
        // DL4J 1.0.0-M2.1 types a loss head (LossLayer, CnnLossLayer, ...) by its nOut, which such a head leaves 0: it
        // passes on what it reads, so its output is its input.
        for (Node n : spec.nodes()) {
            if (isLossHead(n.dl4jLayer()) && n.inputs().size() == 1 && out.get(n.inputs().get(0)) != null) out.put(n.name(), out.get(n.inputs().get(0)));
            // DL4J 1.0.0-M2.1 types a global pooling over a sequence as the sequence itself, but computes one vector
            // per example ([2, 8] from [2, 8, 62], tried): Keras's GlobalAveragePooling1D/GlobalMaxPooling1D.
            if (n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.GlobalPoolingLayer g && g.isCollapseDimensions() && n.inputs().size() == 1
                    && out.get(n.inputs().get(0)) instanceof Shape.Sequence q) {
                out.put(n.name(), new Shape.Features(q.features()));
            }
        }
        Map<Object, InputPreProcessor> preprocessors = preprocessors(spec.nativeConfig());
        Map<String, List<Shape>> in = new HashMap<>();
        for (Node n : spec.nodes()) {
            List<Shape> shapes = new ArrayList<>();
            for (String src : n.inputs()) shapes.add(out.get(src));
            InputPreProcessor pre = preprocessors.get(n.dl4jLayer());
            if (reshapes(pre) && shapes.size() == 1 && shapes.get(0) != null) {
                // A Keras Reshape or Flatten that DL4J's import made this layer's preprocessor: the layer reads its target.
                shapes = new ArrayList<>(List.of(shape(pre.getOutputType(inputType(shapes.get(0), spec.channelsLast())), input)));
                pre = null;
            }
            in.put(n.name(), List.copyOf(shapes));
            checkDeclaredIn(spec, n, shapes, pre, input);
            // DL4J checks few joins when it only propagates types; modelgate's own rules for add/concat apply.
            if (n.op() instanceof LayerOp.Merge) ShapeInference.checkMerge(spec, n, shapes);
        }
        return new Shapes(out, in);
    }

    private static void multiLayer(ModelSpec spec, MultiLayerConfiguration c, InputType type, Shape input, Map<String, Shape> out) {
        List<InputType> after = c.getLayerActivationTypes(type);
        Map<Layer, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < c.getConfs().size(); i++) index.put(c.getConf(i).getLayer(), i);
        InputType current = type;
        Integer next = 0;
        for (Node n : spec.nodes()) {
            Integer i = n.dl4jLayer() instanceof Layer l ? index.get(l) : null;
            if (i != null) {
                current = after.get(i);
                next = i + 1;
            } else {
                // A reshape modelgate shows for the preprocessor in front of the next layer.
                InputPreProcessor pre = c.getInputPreProcess(next);
                if (pre != null) current = pre.getOutputType(current);
            }
            out.put(n.name(), shape(current, input));
        }
    }

    private static void graph(ModelSpec spec, ComputationGraphConfiguration c, InputType[] types, Shape input, Map<String, Shape> out) {
        // With 'false', DL4J 1.0.0-M2.1 ignores the preprocessors the vertices already have; 'true' applies them and adds
        // the ones its builder would have added (as it does when it builds from input types). The types go in the
        // order of the configuration's networkInputs, which is the order of spec.inputs().
        Map<String, InputType> after = c.getLayerActivationTypes(true, types);
        for (Node n : spec.nodes()) {
            InputType t = after.get(n.name());
            if (t == null && n.name().endsWith("_reshape")) {
                // The preprocessor of a layer vertex, shown as a reshape node of its own.
                String layer = n.name().substring(0, n.name().length() - "_reshape".length());
                GraphVertex v = c.getVertices().get(layer);
                int inputIndex = n.inputs().isEmpty() ? 0 : spec.inputNames().indexOf(n.inputs().get(0));
                InputType from = inputIndex >= 0 ? types[inputIndex] : after.get(n.inputs().get(0));
                if (v instanceof LayerVertex lv && lv.getPreProcessor() != null && from != null) t = lv.getPreProcessor().getOutputType(from);
            }
            if (t == null) throw new BadInputException(spec.source(), Location.UNKNOWN, "vertices." + n.name(), "DL4J gives no output type for this vertex");
            out.put(n.name(), shape(t, input));
        }
    }

    /**
     * DL4J overwrites a declared nIn that does not fit what arrives when it builds from input types, and fails at the
     * first forward pass when it does not: either way the file says something untrue, so it is an error here,
     * naming both sizes, before anything is built.
     */
    private static void checkDeclaredIn(ModelSpec spec, Node n, List<Shape> inputs, InputPreProcessor pre, Shape input) {
        if (!(n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f) || inputs.size() != 1 || f.getNIn() <= 0) return;
        // An embedding's nIn is its vocabulary, not what arrives (indices), and DL4J keeps it.
        if (f instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer || f instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer) return;
        // What arrives is what the layer's preprocessor makes of its input: most only change the layout, but some
        // reshape (Keras's Flatten after a sequence is DL4J's KerasFlattenRnnPreprocessor: time x features in one vector).
        Shape x = pre == null || inputs.get(0) == null || inputs.get(0) instanceof Shape.Features ? inputs.get(0) : shape(pre.getOutputType(inputType(inputs.get(0), spec.channelsLast())), input);
        // What nIn counts depends on the layer: channels for image layers, features per step for recurrent ones, and
        // for dense layers the whole example (DL4J's preprocessor flattens an image; a sequence is dense per step).
        boolean perChannel = f instanceof org.deeplearning4j.nn.conf.layers.ConvolutionLayer || f instanceof org.deeplearning4j.nn.conf.layers.BatchNormalization
                || f instanceof org.deeplearning4j.nn.conf.layers.Convolution3D;
        long arrives = x instanceof Shape.Sequence q ? q.features()
                : perChannel && x instanceof Shape.Image i ? i.channels()
                : perChannel && x instanceof Shape.Volume v ? v.channels() : x.size();
        if (arrives == f.getNIn()) return;
        String src = !spec.isInput(n.inputs().get(0)) ? "'" + n.inputs().get(0) + "'"
                : spec.inputs().size() == 1 ? "the model input" : "the model input '" + n.inputs().get(0) + "'";
        String what = perChannel ? "input channels" : "input size";
        throw new BadInputException(spec.source(), n.location(), "layer '" + n.name() + "'", "declares " + what + " (nIn) " + f.getNIn() + ", but "
                + src + " gives it " + x + " (" + what + " " + arrives + "); DL4J would silently overwrite nIn, modelgate does not: set it to " + arrives);
    }

    /** Each DL4J layer's input preprocessor (those modelgate shows as reshape nodes of their own excluded). */
    private static Map<Object, InputPreProcessor> preprocessors(Object conf) {
        Map<Object, InputPreProcessor> out = new IdentityHashMap<>();
        if (conf instanceof MultiLayerConfiguration c) {
            for (int i = 0; i < c.getConfs().size(); i++) {
                InputPreProcessor pre = c.getInputPreProcess(i);
                if (pre != null && !(pre instanceof FeedForwardToCnnPreProcessor)) out.put(c.getConf(i).getLayer(), pre);
            }
        } else if (conf instanceof ComputationGraphConfiguration g) {
            for (GraphVertex v : g.getVertices().values()) {
                if (v instanceof LayerVertex lv && lv.getPreProcessor() != null && !(lv.getPreProcessor() instanceof FeedForwardToCnnPreProcessor)) {
                    out.put(lv.getLayerConf().getLayer(), lv.getPreProcessor());
                }
            }
        }
        return out;
    }

    /** A preprocessor that changes the shape (not only the layout) of what its layer reads. */
    private static boolean reshapes(InputPreProcessor pre) {
        return pre instanceof org.deeplearning4j.preprocessors.ReshapePreprocessor
                || pre instanceof org.deeplearning4j.preprocessors.KerasFlattenRnnPreprocessor;
    }

    static boolean isLossHead(Object layer) {
        return layer instanceof org.deeplearning4j.nn.conf.layers.LossLayer || layer instanceof org.deeplearning4j.nn.conf.layers.CnnLossLayer
                || layer instanceof org.deeplearning4j.nn.conf.layers.RnnLossLayer || layer instanceof org.deeplearning4j.nn.conf.layers.Cnn3DLossLayer;
    }

    /** The DL4J input type of one example of this shape. */
    static InputType inputType(Shape s, boolean channelsLast) {
        if (s instanceof Shape.Image i) return InputType.convolutional(i.height(), i.width(), i.channels(), channelsLast ? CNN2DFormat.NHWC : CNN2DFormat.NCHW);
        if (s instanceof Shape.Volume v) {
            return InputType.convolutional3D(channelsLast ? org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NDHWC
                    : org.deeplearning4j.nn.conf.layers.Convolution3D.DataFormat.NCDHW, v.depth(), v.height(), v.width(), v.channels());
        }
        if (s instanceof Shape.Sequence q) return InputType.recurrent(q.features(), q.length(), channelsLast ? org.deeplearning4j.nn.conf.RNNFormat.NWC : org.deeplearning4j.nn.conf.RNNFormat.NCW);
        return InputType.feedForward(s.size());
    }

    /** modelgate's shape of a DL4J type; a sequence of unknown length takes the model input's length. */
    static Shape shape(InputType t, Shape input) {
        if (t instanceof InputType.InputTypeConvolutional c) return new Shape.Image(c.getChannels(), c.getHeight(), c.getWidth());
        if (t instanceof InputType.InputTypeRecurrent r) {
            long length = r.getTimeSeriesLength() > 0 ? r.getTimeSeriesLength() : input instanceof Shape.Sequence q ? q.length() : 1;
            return new Shape.Sequence(r.getSize(), length);
        }
        if (t instanceof InputType.InputTypeConvolutionalFlat f) return new Shape.Features(f.getFlattenedSize());
        if (t instanceof InputType.InputTypeFeedForward f) return new Shape.Features(f.getSize());
        if (t instanceof InputType.InputTypeConvolutional3D v) return new Shape.Volume(v.getChannels(), v.getDepth(), v.getHeight(), v.getWidth());
        return new Shape.Features(t.arrayElementsPerExample());
    }
}
