package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.zip.ZipEntry;

/**
 * A trained DL4J model saved by ModelSerializer: a zip with {@code configuration.json} (the network's configuration)
 * and {@code coefficients.bin} (its trained parameters). modelgate reads it itself, never through ModelSerializer
 * (which reads the last local entry of a name, sizes nothing, and Java-deserializes {@code preprocessor.bin}): entry
 * by entry with {@link BoundedZip}, the configuration checked like any DL4J config (class tags included), and the
 * network later built from that very configuration, with the parameters of {@code coefficients.bin} only after its
 * header has shown exactly the configuration's parameter count. Activations and gradients are then measured on the
 * trained weights, where a fine-tuning change starts.
 *
 * <p>Entries: {@code configuration.json}, {@code coefficients.bin} and {@code noParams.marker} are read;
 * {@code updaterState.bin} (optimizer state) and {@code normalizer.bin} (a data normalizer) are skipped unread, with a
 * note; Java-serialized entries ({@code preprocessor.bin}, {@code objects/...}) and any other name are refused, so a
 * zip that passes the gate carries nothing that runs code where ModelSerializer later opens it.
 */
public final class ModelZip {
    static final long MAX_CONFIGURATION_BYTES = ModelLoader.MAX_FILE_BYTES;
    static final String CONFIGURATION = "configuration.json";
    static final String NO_PARAMS = "noParams.marker";
    private static final List<String> SKIPPED = List.of("updaterState.bin", "normalizer.bin");

    private ModelZip() {}

    /** Reads the parameters from the elements of {@code coefficients.bin} (ND4J's array format, header included). */
    public interface ParameterReader<T> {
        T read(InputStream coefficients) throws IOException;
    }

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
        List<ZipEntry> central = entries(file);
        String[] text = {null};
        ModelSpec[] spec = {null};
        ParameterHeader[] header = {null};
        long[] coefficientsBytes = {0};
        List<String> skipped = new ArrayList<>();
        BoundedZip.read(file, central, (entry, in) -> {
            switch (entry.getName()) {
                case CONFIGURATION -> {
                    text[0] = utf8(file, in.readAllBytes());
                    spec[0] = ModelLoader.loadDl4jText(file, text[0]);
                }
                case ParameterHeader.ENTRY -> {
                    coefficientsBytes[0] = entry.getSize();
                    if (entry.getSize() > 0) header[0] = ParameterHeader.read(file, in);
                    // A configuration read before (as ModelSerializer orders them) refuses a wrong length before the elements are read.
                    if (spec[0] != null) fits(file, spec[0], header[0], entry.getSize(), central);
                }
                default -> { if (SKIPPED.contains(entry.getName())) skipped.add(entry.getName()); }
            }
        });
        ModelSpec s = spec[0];
        fits(file, s, header[0], coefficientsBytes[0], central);
        for (String name : skipped) {
            s = s.withNote(file.getFileName() + ": " + name + " is not read (" + (name.equals("normalizer.bin") ? "a data normalizer; the "
                    + "health probe's data is not normalized by it" : "optimizer state; training starts from a fresh optimizer") + ")", s.lossAssumed());
        }
        return s.withWeights(file);
    }

    /**
     * The trained parameters of {@code spec}'s zip, read again through the same checks as {@link #load} and handed
     * to {@code reader} only once the header has shown exactly the parameter count of the configuration that was
     * validated (the zip's configuration.json is not read again: the network is built from {@code spec}'s).
     * Empty for a network without parameters.
     */
    public static <T> Optional<T> parameters(ModelSpec spec, ParameterReader<T> reader) {
        Path file = spec.weights();
        List<ZipEntry> central = entries(file);
        List<T> read = new ArrayList<>(1);
        BoundedZip.read(file, central, (entry, in) -> {
            if (!entry.getName().equals(ParameterHeader.ENTRY) || entry.getSize() == 0) return;
            ParameterHeader header = ParameterHeader.read(file, in);
            fits(file, spec, header, entry.getSize(), central);
            read.add(reader.read(new SequenceInputStream(new ByteArrayInputStream(header.bytes()), in)));
        });
        return read.stream().findFirst();
    }

    /** DL4J's parameter count of a configuration, from its layers' ParamInitializers (no network built, nothing native). */
    public static long parameterCount(Object nativeConfig) {
        if (nativeConfig instanceof MultiLayerConfiguration m) {
            return m.getConfs().stream().mapToLong(c -> c.getLayer().initializer().numParams(c)).sum();
        }
        return ((ComputationGraphConfiguration) nativeConfig).getVertices().values().stream().mapToLong(v -> v.numParams(true)).sum();
    }

    private static void fits(Path file, ModelSpec spec, ParameterHeader header, long entryBytes, List<ZipEntry> central) {
        long expected = parameterCount(spec.nativeConfig());
        if (header != null) {
            header.requireFits(file, expected, entryBytes);
        } else if (expected != 0 || central.stream().noneMatch(e -> e.getName().equals(NO_PARAMS))) {
            throw BoundedZip.error(file, ParameterHeader.ENTRY, "is empty, but configuration.json describes a network of " + expected + " parameters");
        }
    }

    /** The central directory, with what each name may be: a model zip's entries, or a one-line reason why not. */
    private static List<ZipEntry> entries(Path file) {
        List<ZipEntry> central = BoundedZip.centralDirectory(file);
        List<String> names = central.stream().map(ZipEntry::getName).toList();
        if (!names.contains(CONFIGURATION) && names.contains("config.json") && names.contains("metadata.json")) {
            throw new BadInputException(file, Location.UNKNOWN, "", "is a Keras 3 '.keras' archive; DL4J's Keras import reads Keras 2 files only: "
                    + "give the model's JSON (model.to_json()) or an HDF5 file saved by tf.keras 2 (model.save(\"model.h5\"))");
        }
        if (!names.contains(CONFIGURATION) && names.stream().anyMatch(n -> n.endsWith("data.pkl"))) {
            throw new BadInputException(file, Location.UNKNOWN, "", "is a PyTorch model (a zip with data.pkl), not a DL4J model zip; "
                    + "modelgate reads modelgate specs, DL4J configurations and model zips, and Keras models");
        }
        if (!names.contains(CONFIGURATION)) {
            throw new BadInputException(file, Location.UNKNOWN, "", "is a zip file but not a DL4J model: it has no configuration.json "
                    + "(a model saved with ModelSerializer.writeModel has configuration.json and coefficients.bin)");
        }
        if (!names.contains(ParameterHeader.ENTRY)) {
            throw new BadInputException(file, Location.UNKNOWN, "", "is a DL4J model zip without coefficients.bin: there are no trained "
                    + "parameters to start from; check its configuration.json instead");
        }
        for (ZipEntry e : central) {
            String name = e.getName();
            if (name.equals("preprocessor.bin") || name.startsWith("objects/")) {
                throw BoundedZip.error(file, name, "is a Java-serialized object, which ModelSerializer would deserialize (that can run code); "
                        + "modelgate reads no such entry: save the model without it");
            }
            if (!name.equals(CONFIGURATION) && !name.equals(ParameterHeader.ENTRY) && !name.equals(NO_PARAMS) && !SKIPPED.contains(name)) {
                throw BoundedZip.error(file, dev.modelgate.io.Excerpt.of(name), "is not an entry of a DL4J model zip (configuration.json, coefficients.bin, "
                        + "noParams.marker, updaterState.bin, normalizer.bin)");
            }
            if (name.equals(CONFIGURATION) && e.getSize() > MAX_CONFIGURATION_BYTES) {
                throw BoundedZip.error(file, name, "is " + (e.getSize() >> 20) + " MiB; a model config is at most " + (MAX_CONFIGURATION_BYTES >> 20) + " MiB");
            }
            if (name.equals(NO_PARAMS) && e.getSize() > 0) throw BoundedZip.error(file, name, "is an empty marker, but holds " + e.getSize() + " bytes");
        }
        return central;
    }

    private static String utf8(Path file, byte[] bytes) {
        try {
            return ModelLoader.strictUtf8(bytes);
        } catch (CharacterCodingException e) {
            throw BoundedZip.error(file, CONFIGURATION, "is not UTF-8 text; DL4J writes its configuration as JSON");
        }
    }
}
