package dev.modelgate.probe;

import dev.modelgate.spec.Examples;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The batches a model is probed with: rows of the spec's data where it has some (consecutive minibatches of a
 * seeded shuffle of the rows, wrapping around at the end), otherwise seeded synthetic batches.
 */
public final class ProbeData {
    private ProbeData() {}

    /**
     * Batch number {@code k} (0 for the first) of {@code batchSize} examples: consecutive rows of the data in an order
     * the seed shuffles (wrapping around at the end). Shuffled, because files are often sorted by class: the first 16
     * rows of the iris data are all one species, and a model memorizes such a batch by predicting that species.
     */
    public static SyntheticData.Batch batch(ResolvedModel model, int batchSize, long seed, int k) {
        Examples data = model.data();
        if (data == null) return SyntheticData.batch(model, batchSize, seed + k);
        int[] order = order(data.rows(), seed);
        int[] rows = new int[batchSize];
        for (int i = 0; i < batchSize; i++) rows[i] = order[(int) (((long) k * batchSize + i) % data.rows())];
        return rows(model, rows);
    }

    /** A seeded permutation of 0..n-1. */
    static int[] order(int n, long seed) {
        int[] a = new int[n];
        for (int i = 0; i < n; i++) a[i] = i;
        shuffle(a, new java.util.Random(seed));
        return a;
    }

    /** Fisher-Yates with java.util.Random: the same order on every JVM for a seed. */
    static void shuffle(int[] a, java.util.Random random) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }

    /**
     * The data's rows {@code rows}, in that order, as one batch (features shaped as the model's input, labels as its
     * loss takes them). An output that predicts every time step (DL4J's RnnOutputLayer: labels [batch, classes, time])
     * gets the example's one label at every step; an output after pooling or the last step takes [batch, classes].
     */
    public static SyntheticData.Batch rows(ResolvedModel model, int[] rows) {
        Examples data = model.data();
        int batchSize = rows.length;
        float[] x = new float[(int) (batchSize * model.input().size())];
        long[] labelDims = SyntheticData.dims(batchSize, model.outputOf(model.spec().output().name()));
        boolean sparse = SyntheticData.sparseLabels(model.spec().trainableHead());
        if (sparse) labelDims[1] = 1; // a class index per row, not a one-hot row
        boolean perStep = labelDims.length == 3;
        long steps = perStep ? labelDims[2] : 1;
        INDArray y = Nd4j.zeros(DataType.FLOAT, labelDims);
        int width = data.features()[0].length;
        for (int i = 0; i < batchSize; i++) {
            int row = rows[i];
            System.arraycopy(data.features()[row], 0, x, i * width, width);
            for (long t = 0; t < steps; t++) {
                if (data.classification() && sparse) {
                    y.putScalar(at(i, 0, t, perStep), (float) data.labels()[row]);
                } else if (data.classification()) {
                    long label = (long) data.labels()[row];
                    if (label < data.outputs()) y.putScalar(at(i, label, t, perStep), 1f); // else: no unit for the class (noted)
                }
                else y.putScalar(at(i, 0, t, perStep), (float) data.labels()[row]);
            }
        }
        INDArray features = Nd4j.create(x, new long[] {batchSize, width}, 'c');
        // A row is one flattened image in the model's own layout (height, width, channels for a channels-last model),
        // or one sequence features-major (DL4J's [batch, features, time]).
        if (model.input() instanceof Shape.Image || model.input() instanceof Shape.Sequence) {
            features = features.reshape('c', SyntheticData.inputDims(model, model.input(), batchSize));
        }
        return new SyntheticData.Batch(new INDArray[] {features}, y);
    }

    /** The label's index: [example, unit] or, for a per-step output, [example, unit, step]. */
    private static long[] at(int example, long unit, long step, boolean perStep) {
        return perStep ? new long[] {example, unit, step} : new long[] {example, unit};
    }
}
