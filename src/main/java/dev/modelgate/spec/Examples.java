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
            case CSV -> CsvReader.load(spec, model);
        };
    }
}
