package dev.modelgate.probe;

import dev.modelgate.spec.ModelSpec;
import org.deeplearning4j.nn.conf.layers.objdetect.Yolo2OutputLayer;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.rng.Random;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Seeded random batches shaped by a model's input, with labels that fit its loss: one-hot classes for
 * softmax / cross-entropy, 0/1 for binary cross-entropy, standard normal values for regression.
 */
public final class SyntheticData {
    private SyntheticData() {}

    /**
     * @param features one array per network input, in the order the network takes them (one for all but multi-input
     *                 graphs)
     */
    public record Batch(INDArray[] features, INDArray labels) {
        /** The features of a model with one input. */
        public INDArray feature() { return features[0]; }
    }

    public static Batch batch(ResolvedModel model, int batchSize, long seed) {
        Random rng = Nd4j.getRandomFactory().getNewRandomInstance(seed);
        INDArray[] x = new INDArray[model.spec().inputs().size()];
        for (int i = 0; i < x.length; i++) {
            String input = model.spec().inputs().get(i).name();
            long[] dims = inputDims(model, model.outputOf(input), batchSize);
            // Each input its own stream (the first the one a single-input model always had).
            x[i] = Nd4j.randn(seed + 7919L * i, dims).castTo(DataType.FLOAT);
            Object first = model.spec().nodes().stream().filter(n -> n.inputs().contains(input)).findFirst().map(dev.modelgate.spec.Node::dl4jLayer).orElse(null);
            long vocabulary = first instanceof org.deeplearning4j.nn.conf.layers.EmbeddingSequenceLayer e ? e.getNIn()
                    : first instanceof org.deeplearning4j.nn.conf.layers.EmbeddingLayer e ? e.getNIn() : 0;
            // An embedding reads token indices: whole numbers below its vocabulary size.
            if (vocabulary > 0) x[i] = Transforms.floor(Nd4j.rand(rng, dims).muli(vocabulary), false).castTo(DataType.FLOAT);
        }
        Shape outShape = model.outputOf(model.spec().output().name());
        ModelSpec.Head head = model.spec().trainableHead();
        long[] labelDims = dims(batchSize, outShape);
        INDArray y;
        if (model.spec().output().dl4jLayer() instanceof Yolo2OutputLayer yolo) {
            y = yoloLabels(yolo, labelDims, rng);
        } else if (sparseLabels(head)) {
            y = classIndices(labelDims, rng);
        } else if (isClassification(head)) {
            y = oneHot(labelDims, rng);
        } else if (head.loss().equals("xent") || head.loss().equals("binary-cross-entropy")) {
            y = Nd4j.rand(rng, labelDims).gt(0.5).castTo(DataType.FLOAT);
        } else {
            y = Nd4j.randn(seed + 1, labelDims).castTo(DataType.FLOAT);
        }
        // An image-shaped head (CnnLossLayer) of a channels-last model takes its labels channels-last too.
        if (outShape instanceof Shape.Image && model.spec().channelsLast() && y.rank() == 4) y = y.permute(0, 2, 3, 1).dup('c');
        return new Batch(x, y);
    }

    /** DL4J's sparse cross-entropy reads a class index per example (size 1 along dimension 1), not a one-hot row. */
    static boolean sparseLabels(ModelSpec.Head head) {
        return head.loss().equals("sparse-mcxent");
    }

    /** One class index per example and position, as floats: dimension 1 of size 1 where a one-hot row would be. */
    private static INDArray classIndices(long[] dims, Random rng) {
        long classes = dims[1];
        long[] indexDims = dims.clone();
        indexDims[1] = 1;
        return Transforms.floor(Nd4j.rand(rng, indexDims).muli(classes), false).castTo(DataType.FLOAT);
    }

    /** One class per example and position (time step, pixel): one-hot along dimension 1, whatever the rank. */
    private static INDArray oneHot(long[] dims, Random rng) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, dims);
        long classes = dims[1];
        long positions = 1;
        for (int d = 2; d < dims.length; d++) positions *= dims[d];
        INDArray picks = Nd4j.rand(rng, dims[0], positions);
        long[] at = new long[dims.length];
        for (int b = 0; b < dims[0]; b++) {
            for (long p = 0; p < positions; p++) {
                at[0] = b;
                at[1] = Math.min(classes - 1, (long) (picks.getDouble(b, p) * classes));
                long rest = p;
                for (int d = dims.length - 1; d >= 2; d--) {
                    at[d] = rest % dims[d];
                    rest /= dims[d];
                }
                y.putScalar(at, 1f);
            }
        }
        return y;
    }

    /**
     * YOLOv2 labels ([batch, 4 + classes, H, W]): one object per example, a box of one grid cell at a random cell
     * (corners in grid units in channels 0-3) with a random class one-hot after them, as DL4J's Yolo2OutputLayer reads.
     */
    private static INDArray yoloLabels(Yolo2OutputLayer yolo, long[] outDims, Random rng) {
        long boxes = yolo.getBoundingBoxes().size(0);
        long classes = outDims[1] / boxes - 5;
        long h = outDims[2], w = outDims[3];
        INDArray y = Nd4j.zeros(DataType.FLOAT, outDims[0], 4 + classes, h, w);
        INDArray picks = Nd4j.rand(rng, outDims[0], 3);
        for (int b = 0; b < outDims[0]; b++) {
            long i = Math.min(h - 1, (long) (picks.getDouble(b, 0) * h)), j = Math.min(w - 1, (long) (picks.getDouble(b, 1) * w));
            long c = Math.min(classes - 1, (long) (picks.getDouble(b, 2) * classes));
            y.putScalar(new long[] {b, 0, i, j}, j);
            y.putScalar(new long[] {b, 1, i, j}, i);
            y.putScalar(new long[] {b, 2, i, j}, j + 1);
            y.putScalar(new long[] {b, 3, i, j}, i + 1);
            y.putScalar(new long[] {b, 4 + c, i, j}, 1f);
        }
        return y;
    }

    static boolean isClassification(ModelSpec.Head out) {
        return out.activation().equals("softmax") || out.loss().equals("mcxent") || out.loss().equals("negativeloglikelihood")
                || out.loss().equals("nll") || out.loss().equals("cross-entropy");
    }

    /** The input batch's dimensions in the layout the model takes: NCHW, or NHWC for a channels-last model. */
    static long[] inputDims(ResolvedModel model, Shape input, int batch) {
        if (input instanceof Shape.Image i && model.spec().channelsLast()) return new long[] {batch, i.height(), i.width(), i.channels()};
        return dims(batch, input);
    }

    static long[] dims(int batch, Shape s) {
        if (s instanceof Shape.Image i) return new long[] {batch, i.channels(), i.height(), i.width()};
        if (s instanceof Shape.Sequence q) return new long[] {batch, q.features(), q.length()};
        return new long[] {batch, s.size()};
    }
}
