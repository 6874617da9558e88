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
                md.update(Files.readAllBytes(model.spec().data().file()));
                md.update(model.spec().data().evaluation().toString().getBytes(StandardCharsets.UTF_8));
            }
            if (model.transfer() != null) {
                // Its starting weights come from the original: a different original is a different measurement.
                md.update(of(model.transfer().original(), o).getBytes(StandardCharsets.UTF_8));
                md.update(model.transfer().layers().toString().getBytes(StandardCharsets.UTF_8));
            }
            md.update(("|" + model.inputText() + "|batch " + o.batchFor(model) + "|" + model.spec().channelsLast() + "|" + model.spec().head().map(dev.modelgate.spec.ModelSpec.Head::loss).orElse("none")
                    + "|" + o.seed() + "|" + o.iterations() + "|" + BackendProbe.load().backend() + "|" + Version.get()).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(md.digest());
        } catch (IOException | NoSuchAlgorithmException e) {
            return file + "|" + System.nanoTime(); // unreadable now: measure, do not reuse
        }
    }
}
