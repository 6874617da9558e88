package dev.modelgate.probe;

import dev.modelgate.spec.LayerOp;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Seeded random batches shaped by a model's input, with labels that fit its loss: one-hot classes for
 * softmax / cross-entropy, 0/1 for binary cross-entropy, standard normal values for regression.
 */
public final class SyntheticData {
    private SyntheticData() {}

    public record Batch(INDArray features, INDArray labels) {}

    public static Batch batch(ResolvedModel model, int batchSize, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        INDArray x = Nd4j.randn(seed, inputDims(model, batchSize)).castTo(DataType.FLOAT);
        Shape outShape = model.outputOf(model.spec().output().name());
        LayerOp.Output out = (LayerOp.Output) model.spec().output().op();
        long[] labelDims = dims(batchSize, outShape);
        INDArray y;
        if (isClassification(out)) {
            y = Nd4j.zeros(DataType.FLOAT, labelDims);
            long classes = labelDims[1];
            long steps = labelDims.length == 3 ? labelDims[2] : 1;
            INDArray picks = Nd4j.rand(rng, batchSize, steps);
            for (int b = 0; b < batchSize; b++) {
                for (int s = 0; s < steps; s++) {
                    long c = Math.min(classes - 1, (long) (picks.getDouble(b, s) * classes));
                    if (labelDims.length == 3) y.putScalar(new long[] {b, c, s}, 1f);
                    else y.putScalar(new long[] {b, c}, 1f);
                }
            }
        } else if (out.loss().equals("xent") || out.loss().equals("binary-cross-entropy")) {
            y = Nd4j.rand(rng, labelDims).gt(0.5).castTo(DataType.FLOAT);
        } else {
            y = Nd4j.randn(seed + 1, labelDims).castTo(DataType.FLOAT);
        }
        return new Batch(x, y);
    }

    static boolean isClassification(LayerOp.Output out) {
        return out.activation().equals("softmax") || out.loss().equals("mcxent") || out.loss().equals("negativeloglikelihood")
                || out.loss().equals("nll") || out.loss().equals("cross-entropy");
    }

    /** The input batch's dimensions in the layout the model takes: NCHW, or NHWC for a channels-last model. */
    static long[] inputDims(ResolvedModel model, int batch) {
        if (model.input() instanceof Shape.Image i && model.spec().channelsLast()) return new long[] {batch, i.height(), i.width(), i.channels()};
        return dims(batch, model.input());
    }

    static long[] dims(int batch, Shape s) {
        if (s instanceof Shape.Image i) return new long[] {batch, i.channels(), i.height(), i.width()};
        if (s instanceof Shape.Sequence q) return new long[] {batch, q.features(), q.length()};
        return new long[] {batch, s.size()};
    }
}
