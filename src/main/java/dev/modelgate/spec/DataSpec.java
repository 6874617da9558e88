package dev.modelgate.spec;

import java.nio.file.Path;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A spec's {@code data:} section (or {@code --data}): the team's own examples, for the probes instead of synthetic
 * ones, and for the held-out evaluation of the accuracy rules.
 *
 * @param format     how the examples are stored
 * @param file       the file or folder, resolved against the spec's directory
 * @param label      the label column: a header name or a 0-based index; null for the last column (CSV only)
 * @param header     whether the first row names the columns (CSV only)
 * @param evaluation how the held-out evaluation splits, trains and repeats
 */
public record DataSpec(Format format, Path file, String label, boolean header, Evaluation evaluation) {
    public enum Format { CSV }

    /** A CSV section with the default evaluation settings. */
    public DataSpec(Path csv, String label, boolean header) {
        this(Format.CSV, csv, label, header, Evaluation.DEFAULT);
    }

    public DataSpec withEvaluation(Evaluation e) {
        return new DataSpec(format, file, label, header, e);
    }

    /**
     * How {@code accuracy-drop} and {@code loss-increase} evaluate a model on this data.
     *
     * @param validation the fraction of rows held out (stratified by class for classification)
     * @param epochs     passes over the training rows per seed; empty: until {@code maxSeconds} (or the default)
     * @param maxSeconds training time per model and seed at most; empty: no limit beyond the epochs
     * @param seeds      repetitions with different splits and initializations, the same for both models (paired)
     */
    public record Evaluation(double validation, OptionalInt epochs, OptionalDouble maxSeconds, int seeds) {
        public static final int DEFAULT_EPOCHS = 20;
        public static final Evaluation DEFAULT = new Evaluation(0.2, OptionalInt.empty(), OptionalDouble.empty(), 5);

        /** Epochs to train: the given ones, else the default where no time limit is given, else as many as fit. */
        public int epochsOrDefault() {
            return epochs.orElse(maxSeconds.isPresent() ? Integer.MAX_VALUE : DEFAULT_EPOCHS);
        }
    }
}
