package dev.modelgate.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/**
 * A spec's {@code data:} section (or {@code --data}): the team's own examples, for the probes instead of synthetic
 * ones, and for the held-out evaluation of the accuracy rules.
 *
 * @param format     how the examples are stored
 * @param file       the file or folder, resolved against the spec's directory (for IDX: the images file)
 * @param label      the label column: a header name or a 0-based index; null for the last column (CSV only)
 * @param header     whether the first row names the columns (CSV only)
 * @param evaluation how the held-out evaluation splits, trains and repeats
 * @param labelFile  the IDX labels file (IDX only; null otherwise)
 * @param sequenceId the column that groups rows into sequences, a header name or a 0-based index (sequence CSV only)
 */
public record DataSpec(Format format, Path file, String label, boolean header, Evaluation evaluation, Path labelFile, String sequenceId) {
    /**
     * {@code CSV}: one row per example; {@code SEQUENCE_CSV}: one row per time step, grouped by an id column;
     * {@code IMAGES}: a folder of one subfolder per class; {@code IDX}: an IDX images file and an IDX labels file.
     */
    public enum Format { CSV, SEQUENCE_CSV, IMAGES, IDX }

    /** A section without the IDX labels file or sequence id (CSV and image folders). */
    public DataSpec(Format format, Path file, String label, boolean header, Evaluation evaluation) {
        this(format, file, label, header, evaluation, null, null);
    }

    /** A CSV section with the default evaluation settings. */
    public DataSpec(Path csv, String label, boolean header) {
        this(Format.CSV, csv, label, header, Evaluation.DEFAULT);
    }

    public DataSpec withEvaluation(Evaluation e) {
        return new DataSpec(format, file, label, header, e, labelFile, sequenceId);
    }

    /** Every file or folder the examples are read from (a run never writes a report over one; a measurement hashes them). */
    public List<Path> files() {
        return labelFile == null ? List.of(file) : List.of(file, labelFile);
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
