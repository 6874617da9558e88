package dev.modelgate.spec;

import java.nio.file.Path;

/**
 * A team's own examples, read from the file or folder a spec's {@code data:} section names and checked against the
 * model: one row of input values per example, in the layout the model's input takes (an image flattened in the order
 * {@link dev.modelgate.probe.ProbeData} reshapes it), and one label per example.
 *
 * @param file     the file or folder the examples came from
 * @param features one row of input values per example (float: what the network computes in, at half a double's memory)
 * @param labels   one label per example: a class index for classification, a value for regression
 * @param outputs  the model's output units
 */
public record Examples(Path file, float[][] features, double[] labels, boolean classification, int outputs) {
    public int rows() { return labels.length; }

    /** Classes in the labels (the largest index plus one), for classification; 0 for regression. */
    public int classesInData() {
        if (!classification) return 0;
        double max = -1;
        for (double l : labels) max = Math.max(max, l);
        return (int) max + 1;
    }

    /** Rows whose class has no unit in the model's output (they train with no class marked). */
    public long rowsWithoutOutputUnit() {
        if (!classification) return 0;
        long n = 0;
        for (double l : labels) if (l >= outputs) n++;
        return n;
    }

    /** Reads the examples in the section's format and checks them against the model. */
    static Examples load(DataSpec spec, ResolvedModel model) {
        return switch (spec.format()) {
            case CSV, SEQUENCE_CSV -> CsvReader.load(spec, model);
            case IMAGES -> ImageFolderReader.load(spec, model);
            case IDX -> IdxReader.load(spec, model);
        };
    }

    /** At most this many examples are read, in every format: more than any probe or evaluation uses. */
    static final int MAX_ROWS = 1_000_000;
    /** At most this many feature values in all (1 GiB of floats): a guard against a data set that does not fit in memory. */
    static final long MAX_VALUES = 256L << 20;

    /** Whether the model classifies (its labels are class indices), decided by its output head. */
    static boolean classification(ResolvedModel model) {
        ModelSpec.Head out = model.spec().trainableHead();
        return !out.activation().equals("identity") && (out.loss().equals("mcxent") || out.loss().equals("negativeloglikelihood")
                || out.activation().equals("softmax"));
    }

    /** The model's output units: classes or targets (per time step, for an output that predicts every step). */
    static int outputUnits(ResolvedModel model) {
        Shape out = model.outputOf(model.spec().output().name());
        return (int) (out instanceof Shape.Sequence q ? q.features() : out.size());
    }

    /** One label per example: a regression with several targets cannot be fed from any format yet. */
    static void requireOneLabel(Path file, boolean classification, int units) {
        if (!classification && units != 1) {
            throw new dev.modelgate.error.BadInputException(file, dev.modelgate.error.Location.UNKNOWN, "", "regression with " + units
                    + " targets needs one label per target; data supports one label per example (regression: 1, or classes)");
        }
    }

    /** A class label must be a whole number from 0 (a class the output has no unit for is the model's mistake, noted, not refused). */
    static boolean isClassIndex(double v) {
        return v == Math.rint(v) && v >= 0;
    }

    /** Refuses a data set of more than {@link #MAX_VALUES} values before it is allocated. */
    static void requireFits(Path file, long rows, Shape input) {
        if (rows > MAX_ROWS) {
            throw new dev.modelgate.error.BadInputException(file, dev.modelgate.error.Location.UNKNOWN, "", rows + " examples; data is at most " + MAX_ROWS + " examples");
        }
        if (Math.multiplyHigh(rows, input.size()) != 0 || rows * input.size() > MAX_VALUES) {
            throw new dev.modelgate.error.BadInputException(file, dev.modelgate.error.Location.UNKNOWN, "", rows + " examples of " + input
                    + " are more than " + MAX_VALUES + " values in all; give fewer examples");
        }
    }
}
