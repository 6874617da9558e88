package dev.modelgate.probe;

import dev.modelgate.TestFiles;
import dev.modelgate.error.BadInputException;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.spec.DataSpec;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ModelSpec;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.ShapeInference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real PNG and JPEG files in class subfolders, read into batches that real DL4J networks take. */
class ImageFolderDataTest {
    @TempDir Path dir;

    static String spec(String image, String data) {
        return """
                input: {image: %s}
                training: {batch-size: 2, seed: 1}
                data: %s
                layers: [{type: conv2d, filters: 2, kernel: 3}]
                output: {classes: 2}
                """.formatted(image, data);
    }

    /** A black w x h RGB image with one pixel of colour {@code rgb} at column x, row y. */
    Path png(String path, int w, int h, int x, int y, int rgb) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        img.setRGB(x, y, rgb);
        return write(path, img, "png");
    }

    Path write(String path, BufferedImage img, String format) throws IOException {
        Path f = dir.resolve(path);
        Files.createDirectories(f.getParent());
        assertTrue(ImageIO.write(img, format, f.toFile()), format);
        return f;
    }

    ResolvedModel load(String image) {
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", spec(image, "{images: images}")), Optional.empty());
    }

    @Test
    void channelsFirstAPixelLandsAtChannelRowColumnOfTheBatchDl4jTakes() throws IOException {
        png("images/a/one.png", 8, 6, 4, 1, 0xff0000); // red at column 4, row 1
        png("images/b/one.png", 8, 6, 0, 0, 0x000000);
        ResolvedModel m = load("[3, 6, 8]");
        SyntheticData.Batch b = ProbeData.rows(m, new int[] {0, 1});
        assertArrayEquals(new long[] {2, 3, 6, 8}, b.feature().shape());
        assertEquals(1.0, b.feature().getDouble(0, 0, 1, 4), 1e-6, "red channel, row 1, column 4");
        assertEquals(0.0, b.feature().getDouble(0, 1, 1, 4), 1e-6, "green");
        assertEquals(0.0, b.feature().getDouble(0, 0, 4, 1), 1e-6, "not transposed");
        assertEquals(1.0, b.feature().sumNumber().doubleValue(), 1e-6, "one value set in all");
        assertEquals(1.0, b.labels().getDouble(0, 0), "class a = 0");
        assertEquals(1.0, b.labels().getDouble(1, 1), "class b = 1");
        assertArrayEquals(new long[] {2, 2}, NetworkFactory.build(m).output(b.feature()).shape(), "DL4J takes the batch");
    }

    @Test
    void channelsLastKerasModelsGetHeightWidthChannels() throws IOException {
        png("images/a/one.png", 8, 6, 4, 1, 0x00ff00); // green at column 4, row 1
        png("images/b/one.png", 8, 6, 0, 0, 0x000000);
        Path keras = TestFiles.write(dir, "k.json", """
                {"class_name": "Sequential", "keras_version": "2.12.0", "backend": "tensorflow", "config": {"name": "k", "layers": [
                  {"class_name": "InputLayer", "config": {"batch_input_shape": [null, 6, 8, 3], "dtype": "float32", "name": "in"}},
                  {"class_name": "Conv2D", "config": {"name": "conv", "filters": 2, "kernel_size": [3, 3], "strides": [1, 1], "padding": "valid",
                   "data_format": "channels_last", "dilation_rate": [1, 1], "activation": "relu", "use_bias": true,
                   "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}}},
                  {"class_name": "Flatten", "config": {"name": "flat", "data_format": "channels_last"}},
                  {"class_name": "Dense", "config": {"name": "out", "units": 2, "activation": "softmax", "use_bias": true,
                   "kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}}, "bias_initializer": {"class_name": "Zeros", "config": {}}}}]}}
                """);
        ModelSpec k = ModelLoader.load(keras);
        assertTrue(k.channelsLast());
        ModelSpec withData = new ModelSpec(k.source(), k.format(), k.name(), k.inputs(), k.nodes(), k.training(),
                new DataSpec(DataSpec.Format.IMAGES, dir.resolve("images"), null, false, DataSpec.Evaluation.DEFAULT), k.baseline(), k.weights(),
                k.nativeConfig(), k.channelsLast(), k.notes(), k.lossAssumed(), k.initFromOriginal());
        ResolvedModel m = ShapeInference.resolve(withData);
        SyntheticData.Batch b = ProbeData.rows(m, new int[] {0, 1});
        assertArrayEquals(new long[] {2, 6, 8, 3}, b.feature().shape());
        assertEquals(1.0, b.feature().getDouble(0, 1, 4, 1), 1e-6, "row 1, column 4, green");
        assertEquals(0.0, b.feature().getDouble(0, 1, 4, 0), 1e-6, "red");
        assertEquals(1.0, b.feature().sumNumber().doubleValue(), 1e-6);
        assertArrayEquals(new long[] {2, 2}, NetworkFactory.build(m).output(b.feature()).shape(), "DL4J takes the batch");
    }

    @Test
    void imagesAreResizedBilinearlyAndTurnedGrayscaleByLuminance() throws IOException {
        BufferedImage half = new BufferedImage(16, 16, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 16; y++) for (int x = 0; x < 8; x++) half.getRaster().setSample(x, y, 0, 255); // left half white
        write("images/a/half.png", half, "png");
        png("images/b/green.png", 4, 4, 0, 0, 0x00ff00);
        ResolvedModel m = load("[1, 4, 4]");
        float[] left = m.data().features()[0];
        assertArrayEquals(new float[] {1, 1, 0, 0}, Arrays.copyOfRange(left, 8, 12), 1e-6f, "row 2 of the 4x4: a 16x16 half-white image");
        assertEquals(0.587f, m.data().features()[1][0], 1e-3f, "pure green's luminance (BT.601)");
        assertEquals(0f, m.data().features()[1][1], 1e-6f);
    }

    @Test
    void classesAreSortedSubfoldersAndRowsTakeThemInTurn() throws IOException {
        for (String f : new String[] {"images/cat/1.png", "images/cat/2.png", "images/ant/1.png", "images/dog/1.png", "images/dog/2.png"}) {
            png(f, 4, 4, 0, 0, 0xffffff);
        }
        BufferedImage jpeg = new BufferedImage(4, 4, BufferedImage.TYPE_INT_RGB);
        write("images/dog/3.jpg", jpeg, "jpg");
        Files.writeString(dir.resolve("images/README.md"), "files beside the class folders are not read");
        Files.writeString(dir.resolve("images/cat/.DS_Store"), "hidden files are skipped");
        ResolvedModel m = load("[1, 4, 4]");
        assertArrayEquals(new double[] {0, 1, 2, 1, 2, 2}, m.data().labels(), "ant=0, cat=1, dog=2, round robin");
        assertTrue(m.data().classification());
    }

    BadInputException error() {
        return assertThrows(BadInputException.class, () -> load("[1, 4, 4]"));
    }

    void assertError(String expected) {
        BadInputException e = error();
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void aFileThatIsNotAnImageIsOneLineNamingIt() throws IOException {
        png("images/a/1.png", 4, 4, 0, 0, 0);
        Files.writeString(dir.resolve("images/a/notes.txt"), "x");
        assertError(dir.resolve("images/a/notes.txt") + ": is not a PNG or JPEG image (by its name)");
        Files.delete(dir.resolve("images/a/notes.txt"));
        Files.writeString(dir.resolve("images/a/fake.png"), "not a png at all");
        assertError(dir.resolve("images/a/fake.png") + ": is not a PNG or JPEG image (its content is neither)");
    }

    @Test
    void aFolderWithoutClassSubfoldersOrWithNestedFoldersIsRefused() throws IOException {
        png("images/1.png", 4, 4, 0, 0, 0);
        assertError("images: no class subfolders (1 files directly in it)");
        png("images/a/deeper/1.png", 4, 4, 0, 0, 0);
        assertError("deeper: is a folder inside the class folder 'a'");
    }

    @Test
    void linksMayNotLeadOutOfTheFolderAndTheModelMustTakeImages() throws IOException {
        Path outside = png("elsewhere/secret.png", 4, 4, 0, 0, 0);
        Files.createDirectories(dir.resolve("images/a"));
        Files.createSymbolicLink(dir.resolve("images/a/1.png"), outside);
        assertError("1.png: is a link leading outside the image folder");
        BadInputException features = assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(TestFiles.write(dir, "f.yaml",
                "input: {features: 16}\ndata: {images: images}\nlayers: [{type: dense, units: 2}]\noutput: {classes: 2}\n"), Optional.empty()));
        assertTrue(features.getMessage().contains("an image folder feeds an image input"), features.getMessage());
        BadInputException notFolder = assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(TestFiles.write(dir, "g.yaml",
                spec("[1, 4, 4]", "{images: m.yaml}")), Optional.empty()));
        assertTrue(notFolder.getMessage().contains("'m.yaml' is not a folder"), notFolder.getMessage());
    }

    @Test
    void aHugeImageIsRefusedFromItsHeaderBeforeItIsDecoded() throws IOException {
        // A 5000 x 5000 PNG of one colour compresses to a few kB.
        write("images/a/huge.png", new BufferedImage(5000, 5000, BufferedImage.TYPE_BYTE_GRAY), "png");
        assertError("huge.png: is a 5000 x 5000 image; an image has at most");
    }
}
