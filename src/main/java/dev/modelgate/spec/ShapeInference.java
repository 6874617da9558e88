package dev.modelgate.spec;

import dev.modelgate.io.Suggestions;
import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Propagates shapes through a model, as DL4J would, but refuses what DL4J silently "fixes": a declared input size
 * (nIn) that does not match what arrives is an error naming both layers and both shapes, not an overwrite.
 * Pure Java: needs no native backend.
 */
public final class ShapeInference {
    private final ModelSpec spec;
    private final Map<String, Shape> out = new HashMap<>();
    private final Map<String, List<Shape>> in = new HashMap<>();

    private ShapeInference(ModelSpec spec) {
        this.spec = spec;
    }

    public static ResolvedModel resolve(ModelSpec spec) {
        checkReferences(spec);
        if (spec.inputs().size() > 1 && spec.inputs().stream().anyMatch(i -> i.shape().isEmpty())) {
            throw new BadInputException(spec.source(), Location.UNKNOWN, "", "the config does not determine the shape of every input" + ModelLoader.missing(spec)
                    + "; give --input-shape NAME=SHAPE for each (64 for features, 1,28,28 for channels,height,width, seq:10,20 for features,length)");
        }
        Shape input = spec.inputShape().orElseThrow(() -> new BadInputException(spec.source(), Location.UNKNOWN, "",
                "the config does not determine its input shape; give --input-shape (64 for features, 1,28,28 for channels,height,width, seq:10,20 for features,length)"));
        ResolvedModel shapes;
        if (spec.nativeConfig() != null) {
            // A DL4J configuration (or a Keras model DL4J imported): DL4J's own propagation is the truth.
            Dl4jShapes.Shapes d = Dl4jShapes.of(spec);
            shapes = new ResolvedModel(spec, input, d.in(), d.out(), null);
        } else {
            ShapeInference s = new ShapeInference(spec);
            s.out.put(spec.inputName(), input);
            for (Node n : spec.nodes()) s.visit(n);
            shapes = new ResolvedModel(spec, input, s.in, s.out, null);
        }
        if (spec.data() == null) return shapes;
        Examples data;
        try {
            data = Examples.load(spec.data(), shapes);
        } catch (BadInputException e) {
            // The line names the spec as well as the data file: a check reads two specs, and either may name the data.
            throw new BadInputException(spec.source(), Location.UNKNOWN, "data", e.getMessage(), e);
        }
        ModelSpec noted = data.rowsWithoutOutputUnit() == 0 ? spec : spec.withNote("data: " + data.classesInData() + " classes in "
                + data.file().getFileName() + ", but the output has " + data.outputs() + " unit" + (data.outputs() == 1 ? "" : "s") + ": "
                + data.rowsWithoutOutputUnit() + " of " + data.rows() + " rows train with no class marked", spec.lossAssumed());
        return new ResolvedModel(noted, input, shapes.inputShapes(), shapes.outputShapes(), data);
    }

    /**
     * Throws modelgate's own one-line error for a model whose shapes DL4J could not propagate, where modelgate can
     * infer them itself (every node is one it has an op for); returns quietly otherwise.
     */
    static void explainFailure(ModelSpec spec, Shape input) {
        if (spec.inputs().size() > 1 || spec.nodes().stream().anyMatch(n -> n.op() instanceof LayerOp.Native)) return;
        ShapeInference s = new ShapeInference(spec);
        s.out.put(spec.inputName(), input);
        for (Node n : spec.nodes()) s.visit(n);
    }

    /**
     * Every input must name the model input or a node listed before: checked first, because a cycle or a dangling
     * name is the real problem even where the input shape is also unknown.
     */
    static void checkReferences(ModelSpec spec) {
        java.util.Set<String> seen = new java.util.LinkedHashSet<>();
        seen.addAll(spec.inputNames());
        for (Node n : spec.nodes()) {
            for (String src : n.inputs()) {
                if (!seen.contains(src)) {
                    boolean later = spec.node(src).isPresent();
                    throw new BadInputException(spec.source(), n.location(), "layer '" + n.name() + "'", later
                            ? "input '" + src + "' is defined after this node (a cycle or a forward reference); list nodes after their inputs"
                            : "input '" + src + "' does not exist" + Suggestions.didYouMean(src, seen) + "; known: " + String.join(", ", seen));
                }
            }
            seen.add(n.name());
        }
    }

    private BadInputException error(Node n, String problem) {
        return new BadInputException(spec.source(), n.location(), "layer '" + n.name() + "'", problem);
    }

    private String from(Node n, int i) {
        String src = n.inputs().get(i);
        return src.equals(spec.inputName()) && spec.inputs().size() == 1 ? "the model input" : spec.isInput(src) ? "the model input '" + src + "'" : "'" + src + "'";
    }

    private void visit(Node n) {
        List<Shape> inputs = new ArrayList<>();
        for (String src : n.inputs()) {
            Shape s = out.get(src);
            if (s == null) {
                boolean later = spec.node(src).isPresent();
                List<String> known = new ArrayList<>(out.keySet());
                throw error(n, later
                        ? "input '" + src + "' is defined after this node (a cycle or a forward reference); list nodes after their inputs"
                        : "input '" + src + "' does not exist" + Suggestions.didYouMean(src, known) + "; known: " + String.join(", ", known));
            }
            inputs.add(s);
        }
        in.put(n.name(), List.copyOf(inputs));
        out.put(n.name(), outputShape(n, inputs));
    }

    private Shape outputShape(Node n, List<Shape> inputs) {
        LayerOp op = n.op();
        Shape x = inputs.get(0);
        if (op instanceof LayerOp.Native && n.dl4jLayer() != null) return dl4jOutput(n, inputs);
        if (op instanceof LayerOp.Merge m) return merge(n, m, inputs);
        if (inputs.size() != 1) throw error(n, "a " + op.type() + " layer takes one input, got " + inputs.size() + "; join branches with add or concat first");

        if (op instanceof LayerOp.Dense d) {
            if (x instanceof Shape.Sequence) throw error(n, "dense on a sequence (" + x + " from " + from(n, 0) + ") is not supported; add global-pool or use lstm before it");
            checkDeclared(n, d.declaredIn(), x.size(), x, "input size");
            return new Shape.Features(d.units());
        }
        if (op instanceof LayerOp.Output o) {
            if (x instanceof Shape.Sequence s) {
                checkDeclared(n, o.declaredIn(), s.features(), x, "input size");
                return new Shape.Sequence(o.units(), s.length());
            }
            checkDeclared(n, o.declaredIn(), x.size(), x, "input size");
            return new Shape.Features(o.units());
        }
        if (op instanceof LayerOp.Conv2d c) return conv(n, image(n, x), c.filters(), c.geometry(), c.declaredIn());
        if (op instanceof LayerOp.SeparableConv2d c) return conv(n, image(n, x), c.filters(), c.geometry(), c.declaredIn());
        if (op instanceof LayerOp.DepthwiseConv2d c) {
            Shape.Image im = image(n, x);
            return conv(n, im, im.channels() * c.depthMultiplier(), c.geometry(), c.declaredIn());
        }
        if (op instanceof LayerOp.Deconv2d c) {
            Shape.Image im = image(n, x);
            checkDeclared(n, c.declaredIn(), im.channels(), x, "input channels");
            ConvGeometry g = c.geometry();
            long h = g.same() ? im.height() * g.stride()[0] : (long) g.stride()[0] * (im.height() - 1) + g.extent(0) - 2L * g.padding()[0];
            long w = g.same() ? im.width() * g.stride()[1] : (long) g.stride()[1] * (im.width() - 1) + g.extent(1) - 2L * g.padding()[1];
            if (h <= 0 || w <= 0) throw error(n, "padding " + ConvGeometry.pair(g.padding()) + " leaves no output for input " + x + " from " + from(n, 0));
            return new Shape.Image(c.filters(), h, w);
        }
        if (op instanceof LayerOp.Pool2d p) {
            Shape.Image im = image(n, x);
            return conv(n, im, im.channels(), p.geometry(), null);
        }
        if (op instanceof LayerOp.GlobalPool) {
            if (x instanceof Shape.Image im) return new Shape.Features(im.channels());
            if (x instanceof Shape.Sequence s) return new Shape.Features(s.features());
            throw error(n, "global-pool needs an image or a sequence, but " + from(n, 0) + " gives flat features " + x);
        }
        if (op instanceof LayerOp.Upsample2d u) {
            Shape.Image im = image(n, x);
            return new Shape.Image(im.channels(), im.height() * u.size()[0], im.width() * u.size()[1]);
        }
        if (op instanceof LayerOp.BatchNorm b) {
            if (x instanceof Shape.Sequence) throw error(n, "batch-norm on a sequence (" + x + ") is not supported by DL4J's BatchNormalization");
            checkDeclared(n, b.declaredIn(), x instanceof Shape.Image im ? im.channels() : x.size(), x, x instanceof Shape.Image ? "input channels" : "input size");
            return x;
        }
        if (op instanceof LayerOp.Lstm l) {
            if (!(x instanceof Shape.Sequence s)) throw error(n, "lstm needs a sequence input, but " + from(n, 0) + " gives " + x);
            checkDeclared(n, l.declaredIn(), s.features(), x, "input features");
            return new Shape.Sequence(l.units(), s.length());
        }
        if (op instanceof LayerOp.Reshape r) {
            if (x.size() != r.target().size()) {
                throw error(n, "cannot reshape " + x + " (" + x.size() + " values) from " + from(n, 0) + " into " + r.target() + " (" + r.target().size() + " values)");
            }
            return r.target();
        }
        return x; // dropout, activation
    }

    private Shape.Image image(Node n, Shape x) {
        if (x instanceof Shape.Image im) return im;
        throw error(n, n.op().type() + " needs an image input (channels x height x width), but " + from(n, 0) + " gives "
                + (x instanceof Shape.Sequence ? "a sequence " : "flat features ") + x);
    }

    private Shape conv(Node n, Shape.Image im, long outChannels, ConvGeometry g, Long declaredIn) {
        checkDeclared(n, declaredIn, im.channels(), im, "input channels");
        long h = windowOut(n, im, g, 0, im.height());
        long w = windowOut(n, im, g, 1, im.width());
        return new Shape.Image(outChannels, h, w);
    }

    private long windowOut(Node n, Shape.Image im, ConvGeometry g, int axis, long size) {
        if (g.same()) return (size + g.stride()[axis] - 1) / g.stride()[axis];
        long span = size + 2L * g.padding()[axis] - g.extent(axis);
        if (span < 0) {
            String dim = axis == 0 ? "height" : "width";
            throw error(n, "kernel " + ConvGeometry.pair(g.kernel()) + (g.extent(axis) != g.kernel()[axis] ? " (dilated to " + g.extent(axis) + ")" : "")
                    + " is larger than its input " + im + " from " + from(n, 0) + " (" + dim + " " + size
                    + (g.padding()[axis] > 0 ? " + padding " + 2 * g.padding()[axis] : "") + "); use a smaller kernel or padding: same");
        }
        return span / g.stride()[axis] + 1;
    }

    private void checkDeclared(Node n, Long declared, long actual, Shape x, String what) {
        if (declared != null && declared != actual) {
            throw error(n, "declares " + what + " (nIn) " + declared + ", but " + from(n, 0) + " gives it " + x
                    + " (" + what + " " + actual + "); DL4J would silently overwrite nIn, modelgate does not: set it to " + actual);
        }
    }

    /**
     * A spec kind described by DL4J's own object: DL4J sets its input size from what arrives and says what it outputs
     * (nothing is built). What DL4J refuses is an error naming the layer.
     */
    private Shape dl4jOutput(Node n, List<Shape> inputs) {
        org.deeplearning4j.nn.conf.inputs.InputType[] types = inputs.stream().map(x -> Dl4jShapes.inputType(x, spec.channelsLast()))
                .toArray(org.deeplearning4j.nn.conf.inputs.InputType[]::new);
        try {
            org.deeplearning4j.nn.conf.inputs.InputType out;
            if (n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.Layer l) {
                if (types.length != 1) throw error(n, "a " + n.op().type() + " layer takes one input, got " + types.length);
                if (l instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer e && inputs.get(0) instanceof Shape.Features f) {
                    e.setInputLength((int) f.size()); // a row of token indices: one per time step
                }
                l.setNIn(types[0], false); // only where the spec left it to what arrives (an embedding's nIn is its vocabulary)
                out = l.getOutputType(-1, types[0]);
            } else {
                out = ((org.deeplearning4j.nn.conf.graph.GraphVertex) n.dl4jLayer()).getOutputType(-1, types);
            }
            return Dl4jShapes.shape(out, spec.inputShape().orElse(inputs.get(0)));
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            String msg = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw error(n, "cannot take " + inputs.get(0) + " from " + from(n, 0) + ": " + msg);
        }
    }

    /** modelgate's checks of a join (equal shapes for element-wise ops, matching spatial sizes for concat). */
    static void checkMerge(ModelSpec spec, Node n, List<Shape> inputs) {
        new ShapeInference(spec).merge(n, (LayerOp.Merge) n.op(), inputs);
    }

    private Shape merge(Node n, LayerOp.Merge m, List<Shape> inputs) {
        Shape first = inputs.get(0);
        if (m.op().equals("subtract") && inputs.size() != 2) {
            throw error(n, "'subtract' takes exactly 2 inputs (the first minus the second), got " + inputs.size());
        }
        if (m.elementWise()) {
            for (int i = 1; i < inputs.size(); i++) {
                if (!inputs.get(i).equals(first)) {
                    throw error(n, "'" + m.op() + "' needs equal shapes, but " + from(n, 0) + " gives " + first + " and " + from(n, i) + " gives " + inputs.get(i));
                }
            }
            return first;
        }
        long total = 0;
        for (int i = 0; i < inputs.size(); i++) {
            Shape s = inputs.get(i);
            boolean ok = s.getClass() == first.getClass()
                    && (!(s instanceof Shape.Image im) || (im.height() == ((Shape.Image) first).height() && im.width() == ((Shape.Image) first).width()))
                    && (!(s instanceof Shape.Sequence sq) || sq.length() == ((Shape.Sequence) first).length());
            if (!ok) {
                throw error(n, "'concat' needs inputs that differ only in channels/features, but " + from(n, 0) + " gives " + first + " and " + from(n, i) + " gives " + s);
            }
            total += s instanceof Shape.Image im ? im.channels() : s instanceof Shape.Sequence sq ? sq.features() : s.size();
        }
        if (first instanceof Shape.Image im) return new Shape.Image(total, im.height(), im.width());
        if (first instanceof Shape.Sequence sq) return new Shape.Sequence(total, sq.length());
        return new Shape.Features(total);
    }
}
