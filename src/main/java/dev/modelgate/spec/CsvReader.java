package dev.modelgate.spec;

import dev.modelgate.io.Excerpt;
import dev.modelgate.io.InputFiles;
import dev.modelgate.io.Suggestions;
import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.csv.CsvMapper;
import com.fasterxml.jackson.dataformat.csv.CsvParser;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads a team's examples from a CSV file named in a spec's {@code data:} section and checks them against the model:
 * every feature a number, as many feature columns as the model's input takes (an image flattened in the order
 * {@code probe.ProbeData} reshapes it), a class label within the model's classes. Errors name the file and line.
 * For a sequence input ({@code id: COLUMN}) every row is one time step: rows with the same id form one sequence, in
 * the order of the file, and each sequence has one label.
 */
final class CsvReader {
    /** More rows than any probe uses (batch x iterations); a guard against handing modelgate a whole data lake. */
    static final int MAX_ROWS = Examples.MAX_ROWS;
    /** Bytes read at most: a guard against a file that never ends. */
    static final long MAX_BYTES = 256L << 20;

    private CsvReader() {}

    /** The file's numeric rows: features (the label and id columns taken out), labels, and for sequences each row's id and line. */
    private record Table(List<float[]> features, List<Double> labels, List<String> ids, List<Integer> lines, String[] header, int labelColumn) {}

    static Examples load(DataSpec spec, ResolvedModel model) {
        Path file = spec.file();
        Shape input = model.input();
        boolean sequences = spec.format() == DataSpec.Format.SEQUENCE_CSV;
        if (input instanceof Shape.Sequence && !sequences) {
            throw new BadInputException(file, Location.UNKNOWN, "", "the model's input is a sequence (" + input + "): give id: COLUMN in 'data', the column that "
                    + "names each row's sequence (one row per time step)");
        }
        if (sequences && !(input instanceof Shape.Sequence)) {
            throw new BadInputException(file, Location.UNKNOWN, "", "id: groups rows into sequences, but the model's input is " + input + ", not a sequence; drop 'id'");
        }
        boolean classification = Examples.classification(model);
        int units = Examples.outputUnits(model);
        Examples.requireOneLabel(file, classification, units);
        Table t = read(spec, classification, sequences);
        if (t.features().isEmpty()) throw new BadInputException(file, Location.UNKNOWN, "", "no data rows");
        long features = t.features().get(0).length;
        long expected = input instanceof Shape.Sequence q ? q.features() : input.size();
        if (features != expected) {
            throw new BadInputException(file, Location.UNKNOWN, "", features + " feature columns, but the model's input has " + expected
                    + (input instanceof Shape.Image ? " values (" + input + ", flattened " + (model.spec().channelsLast() ? "height, width, channels" : "channels first") + ")"
                    : input instanceof Shape.Sequence ? " features per time step (" + input + ")" : " features"));
        }
        double[] labels = t.labels().stream().mapToDouble(Double::doubleValue).toArray();
        if (!sequences) return new Examples(file, t.features().toArray(new float[0][]), labels, classification, units);
        return sequences(file, t, (Shape.Sequence) input, labels, classification, units);
    }

    private static Table read(DataSpec spec, boolean classification, boolean sequences) {
        Path file = spec.file();
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<float[]> rows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] header = null;
        int labelColumn = -1, idColumn = -1, width = -1;
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(new java.io.InputStreamReader(InputFiles.open(file, MAX_BYTES, InputFiles.Role.DATA), java.nio.charset.StandardCharsets.UTF_8))) {
            int line = 0;
            while (it.hasNextValue()) {
                String[] cells = it.nextValue();
                line++; // one record per line: quoted line breaks inside fields are not expected in numeric data
                if (cells.length == 1 && cells[0].isBlank()) continue;
                if (spec.header() && header == null) {
                    header = cells;
                    width = cells.length;
                    labelColumn = spec.label() == null ? width - 1 : column(spec.label(), "label", header, file);
                    if (sequences) idColumn = column(spec.sequenceId(), "id", header, file);
                    continue;
                }
                if (width < 0) {
                    width = cells.length;
                    labelColumn = spec.label() == null ? width - 1 : column(spec.label(), "label", null, file);
                    if (labelColumn >= width) throw new BadInputException(file, Location.UNKNOWN, "", "label column " + labelColumn + " does not exist; the file has " + width + " columns");
                    if (sequences) idColumn = column(spec.sequenceId(), "id", null, file);
                    if (idColumn >= width) throw new BadInputException(file, Location.UNKNOWN, "", "id column " + idColumn + " does not exist; the file has " + width + " columns");
                }
                if (sequences && idColumn == labelColumn) throw new BadInputException(file, Location.UNKNOWN, "", "the id and the label are the same column (" + idColumn + ")");
                String where = file + ":" + line;
                if (cells.length != width) {
                    throw new BadInputException(null, Location.UNKNOWN, "", where + ": " + cells.length + " values, expected " + width
                            + (header != null ? " like the header" : " like the first row"));
                }
                if (rows.size() >= MAX_ROWS) {
                    // A sequence cut off by the limit would be a wrong example, not a shorter data set.
                    if (sequences) throw new BadInputException(file, Location.UNKNOWN, "", "more than " + MAX_ROWS + " rows (time steps); sequence data is at most " + MAX_ROWS);
                    break;
                }
                float[] row = new float[width - (sequences ? 2 : 1)];
                for (int c = 0, f = 0; c < width; c++) {
                    if (c == idColumn) {
                        ids.add(cells[c].trim());
                        continue;
                    }
                    double v = number(cells[c], where, header, c);
                    if (c == labelColumn) {
                        // A class the output has no unit for is the model's mistake, not the data's (one softmax unit
                        // for ten classes): such rows train with no class marked, and the report says so.
                        if (classification && !Examples.isClassIndex(v)) {
                            throw new BadInputException(null, Location.UNKNOWN, "", where + ": " + column(header, c) + ": class " + cells[c].trim()
                                    + " is not a class index (valid: whole numbers from 0)");
                        }
                        labels.add(v);
                    } else {
                        row[f++] = (float) v;
                    }
                }
                rows.add(row);
                if (sequences) lines.add(line);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "file not found");
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException s) throw s;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read as CSV: " + Excerpt.of(why, Excerpt.MESSAGE_CHARS), e);
        }
        return new Table(rows, labels, ids, lines, header, labelColumn);
    }

    /**
     * One example per id, in the order the ids first appear; its time steps in file order, flattened features-major
     * (feature f at step t is value {@code f * length + t}), the layout of DL4J's [batch, features, time] sequences.
     */
    private static Examples sequences(Path file, Table t, Shape.Sequence input, double[] labels, boolean classification, int units) {
        Map<String, List<Integer>> steps = new LinkedHashMap<>();
        for (int r = 0; r < t.ids().size(); r++) steps.computeIfAbsent(t.ids().get(r), k -> new ArrayList<>()).add(r);
        int length = (int) input.length(), features = (int) input.features();
        Examples.requireFits(file, steps.size(), input);
        float[][] x = new float[steps.size()][];
        double[] y = new double[steps.size()];
        int e = 0;
        for (Map.Entry<String, List<Integer>> s : steps.entrySet()) {
            List<Integer> rows = s.getValue();
            int first = rows.get(0);
            String where = file + ":" + t.lines().get(first) + ": sequence '" + Excerpt.of(s.getKey()) + "'";
            if (rows.size() != length) {
                throw new BadInputException(null, Location.UNKNOWN, "", where + " has " + rows.size() + " time steps (rows), but the model's input takes " + length
                        + " (" + input + "); every sequence needs exactly " + length + " rows");
            }
            float[] flat = new float[features * length];
            for (int step = 0; step < length; step++) {
                int r = rows.get(step);
                if (labels[r] != labels[first]) {
                    throw new BadInputException(null, Location.UNKNOWN, "", file + ":" + t.lines().get(r) + ": sequence '" + Excerpt.of(s.getKey()) + "' has label "
                            + plain(labels[r]) + " here but " + plain(labels[first]) + " at line " + t.lines().get(first) + "; a sequence has one label");
                }
                float[] row = t.features().get(r);
                for (int f = 0; f < features; f++) flat[f * length + step] = row[f];
            }
            x[e] = flat;
            y[e++] = labels[first];
        }
        return new Examples(file, x, y, classification, units);
    }

    /** The column that {@code given} names (a header name or a 0-based index), for the key {@code key}. */
    private static int column(String given, String key, String[] header, Path file) {
        if (given.matches("\\d+")) return Integer.parseInt(given);
        if (header == null) throw new BadInputException(file, Location.UNKNOWN, "", key + " '" + Excerpt.of(given) + "' names a column, but the file has no header (header: false)");
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals(given)) return i;
        throw new BadInputException(file, Location.UNKNOWN, "", "no column '" + Excerpt.of(given) + "'"
                + Excerpt.of(Suggestions.didYouMean(given, List.of(header))) + "; columns: " + Excerpt.of(String.join(", ", header), Excerpt.MESSAGE_CHARS));
    }

    private static String plain(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static double number(String cell, String where, String[] header, int c) {
        try {
            double v = Double.parseDouble(cell.trim());
            if (!Double.isFinite(v)) throw new NumberFormatException();
            return v;
        } catch (NumberFormatException e) {
            throw new BadInputException(null, Location.UNKNOWN, "", where + ": " + column(header, c) + ": '" + Excerpt.of(cell) + "' is not a number");
        }
    }

    private static String column(String[] header, int c) {
        return header != null ? "column '" + Excerpt.of(header[c].trim()) + "'" : "column " + (c + 1);
    }
}
