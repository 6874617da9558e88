package dev.modelgate.probe;

import dev.modelgate.spec.LayerOp;
import dev.modelgate.spec.Shape;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;

/**
 * Multiply-accumulates per example of a DL4J layer modelgate has no op of its own for, by a formula where its family
 * has one; {@link #UNKNOWN} otherwise: an unknown count is shown as unknown, never as a wrong number. Products are
 * exact (a count that does not fit in a long is refused by {@link StructureProbe}).
 */
final class Dl4jCost {
    /** Shown as "?" and left out of totals. */
    static final long UNKNOWN = -1;

    private Dl4jCost() {}

    static long macs(LayerOp.Native op, Layer layer, long params, Shape in, Shape out) {
        Layer inner = layer == null ? null : dev.modelgate.spec.Dl4jLayers.unwrapped(layer);
        long weights = params - biases(inner);
        return switch (op.family()) {
            // Every weight of a convolution is used once per output position (1-D: time steps; 3-D: voxels).
            case CONV -> inner instanceof ConvolutionLayer && !(inner instanceof org.deeplearning4j.nn.conf.layers.Deconvolution3D)
                    ? StructureProbe.mul(weights, positions(out)) : UNKNOWN;
            // A recurrent layer applies its weights once per time step it reads, also where it returns only the last
            // (Keras's return_sequences=False: DL4J's LastTimeStep, a Bidirectional of it).
            case RECURRENT -> StructureProbe.mul(weights, in instanceof Shape.Sequence q ? q.length() : out instanceof Shape.Sequence q ? q.length() : 1);
            case DENSE, EMBEDDING -> inner instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer
                    || inner instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer ? 0 : StructureProbe.mul(weights, positions(out));
            // Local response normalization sums squares over a window of n channels at every value.
            case NORMALIZATION -> inner instanceof LocalResponseNormalization l ? StructureProbe.mul(out.size(), (long) l.getN()) : params > 0 ? out.size() : 0;
            case POOL, RESHAPE, ACTIVATION, MERGE, REGULARIZATION -> 0;
            case OUTPUT -> params > 0 ? StructureProbe.mul(weights, positions(out)) : 0;
            case ATTENTION, OTHER -> UNKNOWN;
        };
    }

    /** Bias parameters: one per output unit or channel where the layer has them. */
    private static long biases(Layer l) {
        if (l instanceof ConvolutionLayer c) return c.isHasBias() ? c.getNOut() : 0;
        if (l instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f) return f.getNOut() > 0 ? f.getNOut() : 0;
        return 0;
    }

    /** Output positions a weight is applied at: the spatial or temporal extent of the output. */
    private static long positions(Shape out) {
        if (out instanceof Shape.Image i) return StructureProbe.mul(i.height(), i.width());
        if (out instanceof Shape.Sequence q) return q.length();
        if (out instanceof Shape.Volume v) return StructureProbe.mul(v.depth(), v.height(), v.width());
        return 1;
    }
}
