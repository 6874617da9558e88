package dev.modelgate.probe;

import dev.modelgate.TestFiles;
import dev.modelgate.error.BadInputException;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real IDX files (MNIST's format), written here byte by byte, read into batches that a real DL4J network takes. */
class IdxDataTest {
    @TempDir Path dir;

    /** An IDX file: magic 0 0 type rank, the dimensions big-endian, then {@code values}. */
    static byte[] idx(int type, int[] dims, byte[] values) {
        ByteBuffer b = ByteBuffer.allocate(4 + 4 * dims.length + values.length);
        b.put((byte) 0).put((byte) 0).put((byte) type).put((byte) dims.length);
        for (int d : dims) b.putInt(d);
        return b.put(values).array();
    }

    Path write(String name, byte[] bytes) throws IOException {
        return Files.write(dir.resolve(name), bytes);
    }

    ResolvedModel load(String input) {
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", """
                input: %s
                training: {batch-size: 2, seed: 1}
                data: {idx: images.idx, labels: labels.idx}
                layers: [{type: dense, units: 4}]
                output: {classes: 2}
                """.formatted(input)), Optional.empty());
    }

    @Test
    void mnistLayoutAPixelLandsAtItsRowAndColumnScaledToOne() throws IOException {
        byte[] px = new byte[2 * 3 * 4];
        px[2 * 4 + 1] = (byte) 255; // image 0, row 2, column 1
        px[12 + 3] = (byte) 51; // image 1, row 0, column 3
        write("images.idx", idx(0x08, new int[] {2, 3, 4}, px));
        write("labels.idx", idx(0x08, new int[] {2}, new byte[] {1, 0}));
        ResolvedModel m = load("{image: [1, 3, 4]}");
        SyntheticData.Batch b = ProbeData.rows(m, new int[] {0, 1});
        assertArrayEquals(new long[] {2, 1, 3, 4}, b.feature().shape());
        assertEquals(1.0, b.feature().getDouble(0, 0, 2, 1), 1e-6);
        assertEquals(0.2, b.feature().getDouble(1, 0, 0, 3), 1e-6, "51 / 255");
        assertEquals(1.2, b.feature().sumNumber().doubleValue(), 1e-5);
        assertEquals(1.0, b.labels().getDouble(0, 1));
        assertEquals(1.0, b.labels().getDouble(1, 0));
        assertArrayEquals(new long[] {2, 2}, NetworkFactory.build(m).output(b.feature()).shape());
    }

    @Test
    void interleavedChannelsGoToTheModelsChannelsFirstLayoutAndGzipIsRead() throws IOException {
        byte[] px = new byte[2 * 2 * 3];
        px[(1 * 2 + 0) * 3 + 2] = (byte) 255; // row 1, column 0, channel 2 (IDX: height, width, channels)
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(idx(0x08, new int[] {1, 2, 2, 3}, px));
        }
        write("images.idx", gz.toByteArray());
        write("labels.idx", idx(0x08, new int[] {1}, new byte[] {0}));
        SyntheticData.Batch b = ProbeData.rows(load("{image: [3, 2, 2]}"), new int[] {0});
        assertEquals(1.0, b.feature().getDouble(0, 2, 1, 0), 1e-6, "channel 2, row 1, column 0");
        assertEquals(1.0, b.feature().sumNumber().doubleValue(), 1e-6);
    }

    @Test
    void aFeatureInputTakesFlattenedImagesAndFloatsAreReadAsTheyAre() throws IOException {
        ByteBuffer f = ByteBuffer.allocate(2 * 6 * 4);
        for (int i = 0; i < 12; i++) f.putFloat(i * 1.5f);
        write("images.idx", idx(0x0D, new int[] {2, 2, 3}, f.array()));
        write("labels.idx", idx(0x08, new int[] {2}, new byte[] {0, 1}));
        ResolvedModel m = load("{features: 6}");
        assertArrayEquals(new float[] {9, 10.5f, 12, 13.5f, 15, 16.5f}, m.data().features()[1]);
    }

    void assertError(String images, String labels, String input, String expected) throws IOException {
        write("images.idx", Files.readAllBytes(dir.resolve(images)));
        write("labels.idx", Files.readAllBytes(dir.resolve(labels)));
        BadInputException e = assertThrows(BadInputException.class, () -> load(input));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void filesThatDoNotFitAreOneLineNamingTheFileAndWhatWasExpected() throws IOException {
        byte[] good = idx(0x08, new int[] {2, 3, 4}, new byte[24]);
        write("good.idx", good);
        write("two-labels.idx", idx(0x08, new int[] {2}, new byte[] {0, 1}));
        write("three-labels.idx", idx(0x08, new int[] {3}, new byte[] {0, 1, 1}));
        write("bad-label.idx", idx(0x09, new int[] {2}, new byte[] {0, -1}));
        write("truncated.idx", Arrays.copyOf(good, good.length - 5));
        write("short-header.idx", Arrays.copyOf(good, 9));
        write("text.idx", "P5 not idx".getBytes());
        write("long.idx", Arrays.copyOf(good, good.length + 3));
        String in = "{image: [1, 3, 4]}";
        assertError("truncated.idx", "two-labels.idx", in, "images.idx: is truncated: its header promises 2 x 3 x 4 values of 1 byte (24 bytes after the header), but it has 19");
        assertError("short-header.idx", "two-labels.idx", in, "images.idx: is truncated: 9 bytes, but its header of 3 dimensions takes 16");
        assertError("text.idx", "two-labels.idx", in, "images.idx: is not an IDX file: it starts with 0x50 0x35");
        assertError("long.idx", "two-labels.idx", in, "images.idx: has 3 bytes after the 2 x 3 x 4 values its header promises");
        assertError("good.idx", "two-labels.idx", "{image: [1, 4, 3]}", "images.idx: images of 3 x 4, but the model's input is 1x4x3: expected 4 x 3 (or 4 x 3 x 1)");
        assertError("good.idx", "two-labels.idx", "{features: 10}", "images.idx: examples of 3 x 4 = 12 values, but the model's input has 10 features");
        assertError("good.idx", "three-labels.idx", in, "labels.idx: 3 labels, but " + dir.resolve("images.idx") + " has 2 examples");
        assertError("good.idx", "bad-label.idx", in, "labels.idx: label 1 (counting from 0) is -1.0, not a class index");
    }
}
