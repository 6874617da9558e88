package dev.modelgate.check;

import dev.modelgate.probe.BackendProbe;
import dev.modelgate.spec.ResolvedModel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a model's structure and health depend on: the file's content (not its path), the CSV data it reads, the input
 * shape, the batch, seed and iterations, the backend, and modelgate's version. A hash of all of it names the measurement, in
 * memory and in the {@link MeasurementCache}.
 */
final class MeasurementKey {
    private MeasurementKey() {}

    static String of(ResolvedModel model, CheckOptions o) {
        Path file = model.spec().source();
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            // Content, not the path: where a file lives does not change what it measures (its CSV data is read by content too).
            md.update(Files.readAllBytes(file));
            if (model.spec().data() != null) {
                for (Path data : model.spec().data().files()) hash(md, data);
                md.update(model.spec().data().evaluation().toString().getBytes(StandardCharsets.UTF_8));
            }
            if (model.transfer() != null) {
                // Its starting weights come from the original: a different original is a different measurement.
                md.update(of(model.transfer().original(), o).getBytes(StandardCharsets.UTF_8));
                md.update(model.transfer().layers().toString().getBytes(StandardCharsets.UTF_8));
            }
            md.update(("|" + model.inputText() + "|batch " + o.batchFor(model) + "|inference batch " + o.inferenceBatch() + "|" + model.spec().channelsLast() + "|" + model.spec().head().map(dev.modelgate.spec.ModelSpec.Head::loss).orElse("none")
                    + "|" + o.seed() + "|" + o.iterations() + "|" + BackendProbe.load().backend() + "|" + Version.get()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return file + "|" + System.nanoTime(); // unreadable now: measure, do not reuse
        }
    }

    /**
     * A data file's bytes, or a folder's content (an image folder: each file's path inside it and its bytes, in sorted
     * order, two levels deep as the reader reads it): renaming a class or replacing an image is a different measurement.
     */
    private static void hash(MessageDigest md, Path data) throws IOException {
        if (!Files.isDirectory(data)) {
            md.update(Files.readAllBytes(data));
            return;
        }
        java.util.List<Path> files;
        try (java.util.stream.Stream<Path> s = Files.walk(data, 2)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        for (Path f : files) {
            md.update(data.relativize(f).toString().getBytes(StandardCharsets.UTF_8));
            md.update((byte) 0);
            md.update(Files.readAllBytes(f));
        }
    }
}
