package dev.modelgate.spec;

import java.util.List;

/**
 * What one node of a model does, independent of where the model came from (a modelgate spec or a DL4J config).
 * {@code declaredIn} is the input size a config wrote down ({@code nIn}), or null where it left it to inference:
 * modelgate checks declared sizes instead of silently overwriting them as DL4J does.
 */
public sealed interface LayerOp {

    /** The spec's name for this kind of layer, e.g. {@code conv2d}. */
    String type();

    /** The family used to match layers across two models and to apply width rules. */
    Family family();

    enum Family { DENSE, EMBEDDING, CONV, POOL, NORMALIZATION, REGULARIZATION, RECURRENT, ATTENTION, RESHAPE, ACTIVATION, MERGE, OUTPUT, OTHER }

    record Dense(long units, String activation, WeightInitSpec weightInit, Long declaredIn) implements LayerOp {
        public String type() { return "dense"; }
        public Family family() { return Family.DENSE; }
    }

    record Conv2d(long filters, ConvGeometry geometry, String activation, WeightInitSpec weightInit, boolean bias, Long declaredIn) implements LayerOp {
        public String type() { return "conv2d"; }
        public Family family() { return Family.CONV; }
    }

    /** Depthwise-separable convolution: a depthwise conv (depthMultiplier per channel) followed by a 1x1 conv. */
    record SeparableConv2d(long filters, int depthMultiplier, ConvGeometry geometry, String activation, WeightInitSpec weightInit, boolean bias, Long declaredIn) implements LayerOp {
        public String type() { return "separable-conv2d"; }
        public Family family() { return Family.CONV; }
    }

    /** Depthwise convolution alone: output channels = input channels x depthMultiplier. */
    record DepthwiseConv2d(int depthMultiplier, ConvGeometry geometry, String activation, WeightInitSpec weightInit, boolean bias, Long declaredIn) implements LayerOp {
        public String type() { return "depthwise-conv2d"; }
        public Family family() { return Family.CONV; }
    }

    /** Transposed convolution (DL4J Deconvolution2D). */
    record Deconv2d(long filters, ConvGeometry geometry, String activation, WeightInitSpec weightInit, boolean bias, Long declaredIn) implements LayerOp {
        public String type() { return "deconv2d"; }
        public Family family() { return Family.CONV; }
    }

    record Pool2d(String pooling, ConvGeometry geometry) implements LayerOp {
        public String type() { return pooling + "-pool"; }
        public Family family() { return Family.POOL; }
    }

    record GlobalPool(String pooling) implements LayerOp {
        public String type() { return "global-pool"; }
        public Family family() { return Family.POOL; }
    }

    record Upsample2d(int[] size) implements LayerOp {
        public String type() { return "upsample2d"; }
        public Family family() { return Family.RESHAPE; }
        @Override public boolean equals(Object o) { return o instanceof Upsample2d u && java.util.Arrays.equals(size, u.size); }
        @Override public int hashCode() { return java.util.Arrays.hashCode(size); }
        @Override public String toString() { return "Upsample2d[" + size[0] + "x" + size[1] + "]"; }
    }

    record BatchNorm(double epsilon, double decay, Long declaredIn) implements LayerOp {
        public String type() { return "batch-norm"; }
        public Family family() { return Family.NORMALIZATION; }
    }

    /** @param rate the fraction of values dropped (DL4J's own parameter is the fraction kept) */
    record Dropout(double rate) implements LayerOp {
        public String type() { return "dropout"; }
        public Family family() { return Family.REGULARIZATION; }
    }

    record Lstm(long units, String activation, WeightInitSpec weightInit, Long declaredIn) implements LayerOp {
        public String type() { return "lstm"; }
        public Family family() { return Family.RECURRENT; }
    }

    record Activation(String activation) implements LayerOp {
        public String type() { return "activation"; }
        public Family family() { return Family.ACTIVATION; }
    }

    /** Reshapes flat features into an image (DL4J's FeedForwardToCnnPreProcessor, used by configs with flat input). */
    record Reshape(Shape.Image target) implements LayerOp {
        public String type() { return "reshape"; }
        public Family family() { return Family.RESHAPE; }
    }

    /** Joins branches: element-wise ({@code add}, {@code multiply}, {@code average}, {@code max}, {@code subtract}) or {@code concat} on channels/features. */
    record Merge(String op) implements LayerOp {
        public static final List<String> OPS = List.of("add", "concat", "multiply", "average", "max", "subtract");
        public String type() { return op; }
        public Family family() { return Family.MERGE; }
        public boolean elementWise() { return !op.equals("concat"); }
    }

    /**
     * The output layer: {@code units} classes or regression targets, with the loss the model trains on.
     * On a sequence it predicts every time step (DL4J RnnOutputLayer).
     */
    record Output(long units, String activation, String loss, WeightInitSpec weightInit, Long declaredIn) implements LayerOp {
        public String type() { return "output"; }
        public Family family() { return Family.OUTPUT; }
    }

    /**
     * A DL4J layer, vertex or head that modelgate has no op of its own for: carried as DL4J configured it. DL4J
     * builds and runs it, propagates its shapes and counts its parameters; modelgate only names it and sorts it into
     * a family (for layer matching and the width rules).
     *
     * @param type       a readable name, e.g. {@code zero-padding}, {@code local-response-normalization}, {@code scale}
     * @param width      its output width where it has one (nOut: channels, units), else null
     * @param inWidth    its input width where DL4J records one (nIn), else null
     * @param loss       the loss of an output head (LossLayer, CnnLossLayer, Yolo2OutputLayer, ...), else null
     * @param activation its activation where it has one, else null
     * @param attributes the settings that define it, for display and for telling changed from unchanged
     */
    record Native(String type, Family family, Long width, Long inWidth, String loss, String activation,
                  java.util.Map<String, String> attributes) implements LayerOp {
        public Native {
            attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
        }
    }
}
