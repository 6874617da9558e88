package dev.modelgate.spec;

import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;

/**
 * A trained DL4J model saved by ModelSerializer: a zip with {@code configuration.json} (the network's configuration)
 * and {@code coefficients.bin} (its trained parameters). Read here is the configuration (checked like any DL4J
 * config, class tags included); the parameters are loaded when the network is built, so activations and gradients
 * are measured on the trained weights, where a fine-tuning change starts.
 */
final class ModelZip {
    static final long MAX_CONFIGURATION_BYTES = ModelLoader.MAX_FILE_BYTES;

    private ModelZip() {}

    /** A zip by content: the local file header's magic number, whatever the file is called. */
    static boolean isZip(Path file) {
        if (!Files.isRegularFile(file)) return false;
        try (InputStream in = Files.newInputStream(file)) {
            byte[] magic = in.readNBytes(4);
            return magic.length == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
        } catch (IOException e) {
            return false;
        }
    }

    static ModelSpec load(Path file) {
        try (ZipFile zip = new ZipFile(file.toFile())) {
            ZipEntry conf = zip.getEntry("configuration.json");
            if (conf == null && zip.getEntry("config.json") != null && zip.getEntry("metadata.json") != null) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is a Keras 3 '.keras' archive; DL4J's Keras import reads Keras 2 files only: "
                        + "give the model's JSON (model.to_json()) or an HDF5 file saved by tf.keras 2 (model.save(\"model.h5\"))");
            }
            if (conf == null && zip.stream().anyMatch(e -> e.getName().endsWith("data.pkl"))) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is a PyTorch model (a zip with data.pkl), not a DL4J model zip; "
                        + "modelgate reads modelgate specs, DL4J configurations and model zips, and Keras models");
            }
            if (conf == null) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is a zip file but not a DL4J model: it has no configuration.json "
                        + "(a model saved with ModelSerializer.writeModel has configuration.json and coefficients.bin)");
            }
            if (zip.getEntry("coefficients.bin") == null) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is a DL4J model zip without coefficients.bin: there are no trained "
                        + "parameters to start from; check its configuration.json instead");
            }
            if (conf.getSize() > MAX_CONFIGURATION_BYTES) {
                throw new BadInputException(file, Location.UNKNOWN, "configuration.json", "is larger than " + (MAX_CONFIGURATION_BYTES >> 20) + " MiB");
            }
            String text;
            try (InputStream in = zip.getInputStream(conf)) {
                text = new String(in.readNBytes((int) MAX_CONFIGURATION_BYTES + 1), StandardCharsets.UTF_8);
            }
            ModelSpec spec = ModelLoader.loadDl4jText(file, text);
            return spec.withWeights(file);
        } catch (ZipException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "is not a readable zip file (" + e.getMessage() + "); a DL4J model zip is written by ModelSerializer.writeModel");
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage());
        }
    }
}
