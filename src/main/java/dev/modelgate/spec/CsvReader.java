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
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a team's examples from a CSV file named in a spec's {@code data:} section and checks them against the model:
 * every feature a number, as many feature columns as the model's input takes (an image flattened in channels, height,
 * width order), a class label within the model's classes. Errors name the file and line.
 */
final class CsvReader {
    /** More rows than any probe uses (batch x iterations); a guard against handing modelgate a whole data lake. */
    static final int MAX_ROWS = 1_000_000;
    /** Bytes read at most: a guard against a file that never ends. */
    static final long MAX_BYTES = 256L << 20;

    private CsvReader() {}

    static Examples load(DataSpec spec, ResolvedModel model) {
        Path file = spec.file();
        ModelSpec.Head out = model.spec().trainableHead();
        long units = model.outputOf(model.spec().output().name()).size();
        Shape input = model.input();
        if (input instanceof Shape.Sequence) {
            throw new BadInputException(file, Location.UNKNOWN, "", "CSV data is supported for feature and image inputs, not for sequences");
        }
        boolean classification = !out.activation().equals("identity") && (out.loss().equals("mcxent") || out.loss().equals("negativeloglikelihood")
                || out.activation().equals("softmax"));
        if (!classification && units != 1) {
            throw new BadInputException(file, Location.UNKNOWN, "", "regression with " + units + " targets needs one label column per target; "
                    + "CSV data supports one label column (regression: 1 or classes)");
        }
        CsvMapper mapper = new CsvMapper();
        mapper.enable(CsvParser.Feature.WRAP_AS_ARRAY);
        List<float[]> rows = new ArrayList<>();
        List<Double> labels = new ArrayList<>();
        String[] header = null;
        int labelColumn = -1, width = -1;
        try (MappingIterator<String[]> it = mapper.readerFor(String[].class).readValues(new java.io.InputStreamReader(InputFiles.open(file, MAX_BYTES, InputFiles.Role.DATA), java.nio.charset.StandardCharsets.UTF_8))) {
            int line = 0;
            while (it.hasNextValue()) {
                String[] cells = it.nextValue();
                line++; // one record per line: quoted line breaks inside fields are not expected in numeric data
                if (cells.length == 1 && cells[0].isBlank()) continue;
                if (spec.header() && header == null) {
                    header = cells;
                    width = cells.length;
                    labelColumn = labelColumn(spec, header, file);
                    continue;
                }
                if (width < 0) {
                    width = cells.length;
                    labelColumn = spec.label() == null ? width - 1 : labelColumn(spec, null, file);
                    if (labelColumn >= width) throw new BadInputException(file, Location.UNKNOWN, "", "label column " + labelColumn + " does not exist; the file has " + width + " columns");
                }
                String where = file + ":" + line;
                if (cells.length != width) {
                    throw new BadInputException(null, Location.UNKNOWN, "", where + ": " + cells.length + " values, expected " + width
                            + (header != null ? " like the header" : " like the first row"));
                }
                if (rows.size() >= MAX_ROWS) break;
                float[] row = new float[width - 1];
                for (int c = 0, f = 0; c < width; c++) {
                    double v = number(cells[c], where, header, c);
                    if (c == labelColumn) {
                        // A class the output has no unit for is the model's mistake, not the data's (one softmax unit
                        // for ten classes): such rows train with no class marked, and the report says so.
                        if (classification && (v != Math.rint(v) || v < 0)) {
                            throw new BadInputException(null, Location.UNKNOWN, "", where + ": " + column(header, c) + ": class " + cells[c].trim()
                                    + " is not a class index (valid: whole numbers from 0)");
                        }
                        labels.add(v);
                    } else {
                        row[f++] = (float) v;
                    }
                }
                rows.add(row);
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "file not found");
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException s) throw s;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read as CSV: " + Excerpt.of(why, Excerpt.MESSAGE_CHARS), e);
        }
        if (rows.isEmpty()) throw new BadInputException(file, Location.UNKNOWN, "", "no data rows");
        long features = width - 1;
        if (features != input.size()) {
            throw new BadInputException(file, Location.UNKNOWN, "", features + " feature columns, but the model's input has " + input.size()
                    + (input instanceof Shape.Image ? " values (" + input + ", flattened channels first)" : " features"));
        }
        return new Examples(file, rows.toArray(new float[0][]), labels.stream().mapToDouble(Double::doubleValue).toArray(), classification, (int) units);
    }

    private static int labelColumn(DataSpec spec, String[] header, Path file) {
        if (spec.label() == null) return header == null ? -1 : header.length - 1;
        if (spec.label().matches("\\d+")) return Integer.parseInt(spec.label());
        if (header == null) throw new BadInputException(file, Location.UNKNOWN, "", "label '" + Excerpt.of(spec.label()) + "' names a column, but the file has no header (header: false)");
        for (int i = 0; i < header.length; i++) if (header[i].trim().equals(spec.label())) return i;
        throw new BadInputException(file, Location.UNKNOWN, "", "no column '" + Excerpt.of(spec.label()) + "'"
                + Excerpt.of(Suggestions.didYouMean(spec.label(), List.of(header))) + "; columns: " + Excerpt.of(String.join(", ", header), Excerpt.MESSAGE_CHARS));
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
