package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import dev.modelgate.io.Excerpt;
import dev.modelgate.io.InputFiles;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;
import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * Reads a folder of images, one subfolder per class ({@code data: {images: DIR}}; class index = the subfolder's
 * position in sorted name order), into examples for an image input: each PNG or JPEG decoded by the JDK
 * ({@code javax.imageio}), resized bilinearly to the input's height and width, turned into its channels (1: luminance,
 * 3: RGB) and scaled to [0, 1]. Only the folder's class subfolders are read, one level deep: links that lead out of
 * the folder, nested folders and files that are not PNG or JPEG are errors naming the file. ImageIO only ever sees
 * bytes read here (bounded), never a path, and caches nothing on disk.
 */
final class ImageFolderReader {
    /** Images read at most. */
    static final int MAX_IMAGES = 100_000;
    /** Bytes of one image file at most. */
    static final long MAX_IMAGE_BYTES = 16L << 20;
    /** Pixels of one decoded image at most (4096 x 4096): a small PNG can claim a huge image (a decompression bomb). */
    static final long MAX_PIXELS = 4096L * 4096L;

    private ImageFolderReader() {}

    static Examples load(DataSpec spec, ResolvedModel model) {
        Path dir = spec.file();
        if (!(model.input() instanceof Shape.Image image)) {
            throw error(dir, "an image folder feeds an image input (input: {image: [channels, height, width]}), but the model's input is " + model.input());
        }
        if (image.channels() != 1 && image.channels() != 3) {
            throw error(dir, "images give 1 (grayscale) or 3 (RGB) channels, but the model's input has " + image.channels() + " (" + image + ")");
        }
        PixelLayout layout = PixelLayout.of(model, image);
        Path root = real(dir);
        List<Path> classes = classFolders(dir, root);
        List<List<Path>> files = new ArrayList<>();
        long count = 0;
        for (Path c : classes) {
            List<Path> images = images(c, root);
            files.add(images);
            count += images.size();
            if (count > MAX_IMAGES) throw error(dir, "more than " + MAX_IMAGES + " images; an image folder holds at most " + MAX_IMAGES);
        }
        if (count == 0) throw error(dir, "no images in its " + classes.size() + " class subfolders");
        Examples.requireFits(dir, count, image);
        boolean classification = Examples.classification(model);
        int units = Examples.outputUnits(model);
        Examples.requireOneLabel(dir, classification, units);
        // Round robin over the classes (the first image of each, then the second, ...): the rows have an order that
        // does not depend on how the probes shuffle them (ProbeData), and one that a reader of the data can follow.
        float[][] x = new float[(int) count][];
        double[] y = new double[(int) count];
        int e = 0;
        for (int k = 0; e < count; k++) {
            for (int c = 0; c < files.size(); c++) {
                if (k >= files.get(c).size()) continue;
                x[e] = pixels(files.get(c).get(k), layout);
                y[e++] = c;
            }
        }
        return new Examples(dir, x, y, classification, units);
    }

    /** The class subfolders in sorted name order (files beside them are ignored, as Keras' image_dataset_from_directory does). */
    private static List<Path> classFolders(Path dir, Path root) {
        List<Path> classes;
        long files;
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> entries = s.filter(p -> !hidden(p)).sorted().toList();
            classes = entries.stream().filter(Files::isDirectory).toList();
            files = entries.size() - classes.size();
        } catch (IOException e) {
            throw error(dir, "cannot be listed: " + Excerpt.of(e.getMessage(), Excerpt.MESSAGE_CHARS));
        }
        if (classes.isEmpty()) {
            throw error(dir, "no class subfolders" + (files > 0 ? " (" + files + " files directly in it)" : "")
                    + "; an image folder holds one subfolder per class (e.g. cat/, dog/), each with that class's images");
        }
        for (Path c : classes) confined(c, root);
        return classes;
    }

    /** The images of one class folder, in sorted name order; anything else in it is an error. */
    private static List<Path> images(Path folder, Path root) {
        List<Path> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> !hidden(p)).sorted().toList()) {
                if (Files.isDirectory(p)) {
                    throw error(p, "is a folder inside the class folder '" + folder.getFileName() + "'; an image folder has one level of class subfolders");
                }
                String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
                if (!(name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg"))) {
                    throw error(p, "is not a PNG or JPEG image (by its name); a class folder holds only .png, .jpg and .jpeg files (hidden files are skipped)");
                }
                confined(p, root);
                out.add(p);
                if (out.size() > MAX_IMAGES) break; // the caller counts and refuses
            }
        } catch (IOException e) {
            throw error(folder, "cannot be listed: " + Excerpt.of(e.getMessage(), Excerpt.MESSAGE_CHARS));
        }
        return out;
    }

    private static boolean hidden(Path p) {
        return p.getFileName().toString().startsWith(".");
    }

    /** A link inside the folder may lead elsewhere in it, never out of it. */
    private static void confined(Path p, Path root) {
        if (Files.isSymbolicLink(p) && !real(p).startsWith(root)) throw error(p, "is a link leading outside the image folder");
    }

    private static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            throw error(p, "cannot be resolved: " + Excerpt.of(e.getMessage(), Excerpt.MESSAGE_CHARS));
        }
    }

    /** One image as a row of the model's input, in {@code layout}'s order, values in [0, 1]. */
    static float[] pixels(Path file, PixelLayout layout) {
        BufferedImage img = decode(file, InputFiles.readBytes(file, MAX_IMAGE_BYTES, InputFiles.Role.IMAGE));
        int w = img.getWidth(), h = img.getHeight();
        Raster raster = img.getRaster();
        boolean gray = raster.getNumBands() <= 2 && !(img.getColorModel() instanceof IndexColorModel);
        // The source's own channels in [0, 1]: a grayscale image's samples as stored (getRGB would convert its
        // linear gray to sRGB and brighten it), anything else as sRGB; alpha is ignored.
        float[][] src = new float[gray ? 1 : 3][w * h];
        double grayMax = (1 << raster.getSampleModel().getSampleSize(0)) - 1;
        for (int yy = 0; yy < h; yy++) {
            for (int xx = 0; xx < w; xx++) {
                int i = yy * w + xx;
                if (gray) {
                    src[0][i] = (float) (raster.getSample(xx, yy, 0) / grayMax);
                } else {
                    int rgb = img.getRGB(xx, yy);
                    src[0][i] = ((rgb >> 16) & 0xff) / 255f;
                    src[1][i] = ((rgb >> 8) & 0xff) / 255f;
                    src[2][i] = (rgb & 0xff) / 255f;
                }
            }
        }
        float[] row = new float[layout.size()];
        for (int y = 0; y < layout.height(); y++) {
            for (int x = 0; x < layout.width(); x++) {
                for (int c = 0; c < layout.channels(); c++) {
                    float v;
                    if (layout.channels() == src.length) v = bilinear(src[c], w, h, x, y, layout);
                    else if (src.length == 3) v = 0.299f * bilinear(src[0], w, h, x, y, layout) + 0.587f * bilinear(src[1], w, h, x, y, layout)
                            + 0.114f * bilinear(src[2], w, h, x, y, layout); // ITU-R BT.601 luminance, as PIL's convert("L")
                    else v = bilinear(src[0], w, h, x, y, layout); // gray to RGB: the same value in every channel
                    row[layout.index(c, y, x)] = v;
                }
            }
        }
        return row;
    }

    /** Bilinear sample at output pixel (x, y) with half-pixel centres (TensorFlow's resize without antialiasing). */
    private static float bilinear(float[] src, int w, int h, int x, int y, PixelLayout out) {
        double sx = Math.max(0, Math.min(w - 1, (x + 0.5) * w / out.width() - 0.5));
        double sy = Math.max(0, Math.min(h - 1, (y + 0.5) * h / out.height() - 0.5));
        int x0 = (int) sx, y0 = (int) sy, x1 = Math.min(w - 1, x0 + 1), y1 = Math.min(h - 1, y0 + 1);
        double fx = sx - x0, fy = sy - y0;
        double top = src[y0 * w + x0] * (1 - fx) + src[y0 * w + x1] * fx;
        double bottom = src[y1 * w + x0] * (1 - fx) + src[y1 * w + x1] * fx;
        return (float) (top * (1 - fy) + bottom * fy);
    }

    /** PNG or JPEG only, from memory, with its size checked from the header before any pixel is decoded. */
    private static BufferedImage decode(Path file, byte[] bytes) {
        try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            ImageReader reader = null;
            while (readers.hasNext() && reader == null) {
                ImageReader r = readers.next();
                String format = r.getFormatName().toLowerCase(Locale.ROOT);
                if (format.equals("png") || format.equals("jpeg")) reader = r;
            }
            if (reader == null) throw error(file, "is not a PNG or JPEG image (its content is neither)");
            try {
                reader.setInput(in, true, true);
                long w = reader.getWidth(0), h = reader.getHeight(0);
                if (w * h > MAX_PIXELS) throw error(file, "is a " + w + " x " + h + " image; an image has at most " + MAX_PIXELS + " pixels (4096 x 4096)");
                return reader.read(0);
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof BadInputException b) throw b;
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst().orElse("");
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be decoded as PNG or JPEG: " + Excerpt.of(why, Excerpt.MESSAGE_CHARS), e);
        }
    }

    private static BadInputException error(Path file, String problem) {
        return new BadInputException(file, Location.UNKNOWN, "", problem);
    }
}
