package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import dev.modelgate.io.Excerpt;
import dev.modelgate.io.InputFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * Reads examples from an IDX images file and an IDX labels file (MNIST's format: {@code data: {idx: ..., labels: ...}}),
 * each optionally gzip-compressed. The header is parsed here: two zero bytes, the element type (0x08 unsigned byte,
 * 0x09 signed byte, 0x0B short, 0x0C int, 0x0D float, 0x0E double), the number of dimensions, and each dimension as
 * a big-endian 32-bit count; the values follow in row-major order. Unsigned bytes are pixels and are scaled to [0, 1];
 * every other type is read as it is. Images are {@code [n, height, width]} (one channel) or
 * {@code [n, height, width, channels]}; a feature input takes any {@code [n, ...]} of as many values per example.
 */
final class IdxReader {
    /** Bytes of one file at most, after decompression. */
    static final long MAX_BYTES = 256L << 20;

    private IdxReader() {}

    /** A parsed IDX file: its dimensions (the first is the example count) and its values. */
    record Idx(Path file, int type, int[] dims, ByteBuffer values) {
        long perExample() {
            long n = 1;
            for (int d = 1; d < dims.length; d++) n *= dims[d];
            return n;
        }

        double value(long i) {
            return switch (type) {
                case 0x08 -> values.get((int) i) & 0xff;
                case 0x09 -> values.get((int) i);
                case 0x0B -> values.getShort((int) (i * 2));
                case 0x0C -> values.getInt((int) (i * 4));
                case 0x0D -> values.getFloat((int) (i * 4));
                default -> values.getDouble((int) (i * 8));
            };
        }

        String dimsText(int from) {
            return Arrays.stream(dims, from, dims.length).mapToObj(Integer::toString).collect(Collectors.joining(" x "));
        }
    }

    static Examples load(DataSpec spec, ResolvedModel model) {
        Idx images = read(spec.file());
        Idx labels = read(spec.labelFile());
        Shape input = model.input();
        Path file = images.file();
        if (input instanceof Shape.Sequence || input instanceof Shape.Volume) {
            throw error(file, "IDX data feeds a feature or image input, but the model's input is " + input);
        }
        int n = images.dims()[0];
        if (images.dims().length < 2) throw error(file, "has one dimension (" + n + "); an images file is [count, height, width] or [count, values]");
        if (labels.dims().length != 1) throw error(labels.file(), "has dimensions " + labels.dimsText(0) + "; a labels file has one dimension (one label per example)");
        if (labels.dims()[0] != n) throw error(labels.file(), labels.dims()[0] + " labels, but " + file + " has " + n + " examples");
        Examples.requireFits(file, n, input);
        PixelLayout layout = input instanceof Shape.Image image ? PixelLayout.of(model, image) : null;
        if (layout != null) requireImageDims(images, layout, image(input));
        else if (images.perExample() != input.size()) {
            throw error(file, "examples of " + images.dimsText(1) + " = " + images.perExample() + " values, but the model's input has " + input.size() + " features");
        }
        boolean classification = Examples.classification(model);
        int units = Examples.outputUnits(model);
        Examples.requireOneLabel(file, classification, units);
        double scale = images.type() == 0x08 ? 1 / 255.0 : 1; // pixels
        int width = (int) images.perExample();
        float[][] x = new float[n][];
        double[] y = new double[n];
        for (int e = 0; e < n; e++) {
            float[] row = new float[width];
            long base = (long) e * width;
            for (int i = 0; i < width; i++) {
                // IDX stores an image row-major with interleaved channels: value i is pixel (i / c) channel i % c.
                int target = layout == null ? i : layout.index(i % layout.channels(), i / layout.channels() / layout.width(), i / layout.channels() % layout.width());
                row[target] = (float) (images.value(base + i) * scale);
            }
            x[e] = row;
            y[e] = labels.value(e);
            if (classification && !Examples.isClassIndex(y[e])) {
                throw error(labels.file(), "label " + e + " (counting from 0) is " + y[e] + ", not a class index (valid: whole numbers from 0)");
            }
        }
        return new Examples(file, x, y, classification, units);
    }

    private static Shape.Image image(Shape s) { return (Shape.Image) s; }

    /** [n, h, w] for one channel, or [n, h, w, c]: what the model's input takes, else one line saying which. */
    private static void requireImageDims(Idx images, PixelLayout layout, Shape.Image input) {
        int[] d = images.dims();
        boolean fits = (d.length == 3 && layout.channels() == 1 && d[1] == layout.height() && d[2] == layout.width())
                || (d.length == 4 && d[1] == layout.height() && d[2] == layout.width() && d[3] == layout.channels());
        if (!fits) {
            String expected = layout.height() + " x " + layout.width() + (layout.channels() == 1 ? " (or " + layout.height() + " x " + layout.width() + " x 1)" : " x " + layout.channels());
            throw error(images.file(), "images of " + images.dimsText(1) + ", but the model's input is " + input + ": expected " + expected
                    + " (IDX dimensions after the count: height, width[, channels])");
        }
    }

    /** The whole file, bounded (decompressed if it is gzip), with its header checked against its length. */
    static Idx read(Path file) {
        byte[] bytes = bytes(file);
        if (bytes.length < 4) throw error(file, "is truncated: " + bytes.length + " bytes; an IDX file starts with 4 bytes (0x00 0x00, a type byte, a dimension count)");
        if (bytes[0] != 0 || bytes[1] != 0) {
            throw error(file, String.format("is not an IDX file: it starts with 0x%02x 0x%02x; an IDX file starts with 0x00 0x00, a type byte and a dimension count", bytes[0] & 0xff, bytes[1] & 0xff));
        }
        int type = bytes[2] & 0xff;
        int size = switch (type) {
            case 0x08, 0x09 -> 1;
            case 0x0B -> 2;
            case 0x0C, 0x0D -> 4;
            case 0x0E -> 8;
            default -> throw error(file, String.format("has element type 0x%02x; valid: 0x08 (unsigned byte), 0x09 (byte), 0x0B (short), 0x0C (int), 0x0D (float), 0x0E (double)", type));
        };
        int rank = bytes[3] & 0xff;
        if (rank < 1 || rank > 4) throw error(file, "has " + rank + " dimensions; IDX data here has 1 to 4 (count first)");
        int header = 4 + 4 * rank;
        if (bytes.length < header) throw error(file, "is truncated: " + bytes.length + " bytes, but its header of " + rank + " dimensions takes " + header);
        ByteBuffer buf = ByteBuffer.wrap(bytes); // big-endian, as IDX is
        int[] dims = new int[rank];
        long values = 1;
        for (int d = 0; d < rank; d++) {
            dims[d] = buf.getInt(4 + 4 * d);
            if (dims[d] <= 0) throw error(file, "dimension " + (d + 1) + " is " + dims[d] + "; every dimension is at least 1");
            values *= dims[d];
            if (values > MAX_BYTES) throw error(file, "claims more than " + MAX_BYTES + " values; IDX data is at most " + InputFiles.size(MAX_BYTES));
        }
        long expected = values * size;
        long actual = bytes.length - header;
        Idx idx = new Idx(file, type, dims, ByteBuffer.wrap(bytes, header, (int) actual).slice());
        if (actual < expected) {
            throw error(file, "is truncated: its header promises " + idx.dimsText(0) + " values of " + size + " byte" + (size == 1 ? "" : "s") + " (" + expected
                    + " bytes after the header), but it has " + actual);
        }
        if (actual > expected) throw error(file, "has " + (actual - expected) + " bytes after the " + idx.dimsText(0) + " values its header promises");
        return idx;
    }

    /** At most {@link #MAX_BYTES} on disk and after decompression (a small .gz can inflate without end). */
    private static byte[] bytes(Path file) {
        byte[] raw = InputFiles.readBytes(file, MAX_BYTES, InputFiles.Role.IDX);
        if (raw.length < 2 || (raw[0] & 0xff) != 0x1f || (raw[1] & 0xff) != 0x8b) return raw;
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
            byte[] out = in.readNBytes((int) MAX_BYTES + 1);
            if (out.length > MAX_BYTES) throw error(file, "inflates to more than " + InputFiles.size(MAX_BYTES) + "; IDX data is at most " + InputFiles.size(MAX_BYTES));
            return out;
        } catch (IOException e) {
            throw error(file, "is not a readable gzip file: " + Excerpt.of(String.valueOf(e.getMessage()), Excerpt.MESSAGE_CHARS));
        }
    }

    private static BadInputException error(Path file, String problem) {
        return new BadInputException(file, Location.UNKNOWN, "", problem);
    }
}
