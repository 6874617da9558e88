package dev.modelgate.spec;

import dev.modelgate.io.LocatedTree;
import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Loads a model config of any supported kind, detected from its content: a modelgate spec, or a DL4J
 * MultiLayerConfiguration / ComputationGraphConfiguration as JSON or YAML (top-level {@code confs} vs
 * {@code vertices}; DL4J itself would accept one as the other with zero layers).
 */
public final class ModelLoader {
    /** Larger than any real config; a guard against being handed a data file. */
    public static final long MAX_FILE_BYTES = 16L << 20;

    private ModelLoader() {}

    /** A DL4J configuration given as text (from a file or from inside a model zip), detected by its top-level keys. */
    static ModelSpec loadDl4jText(Path file, String text) {
        boolean json = firstNonBlank(text) == '{';
        LocatedTree tree = LocatedTree.read(file, text, json ? new JsonFactory() : new YAMLFactory());
        if (!tree.root().isObject() || !(tree.root().has("confs") || tree.root().has("vertices"))) {
            throw new BadInputException(file, Location.UNKNOWN, "configuration.json", "is not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration");
        }
        Dl4jClassTags.check(tree);
        if (tree.root().has("confs")) {
            return Dl4jConfigReader.multiLayer(file, parseDl4j(file, () -> MultiLayerConfiguration.fromJson(text), SourceFormat.DL4J_MULTILAYER));
        }
        return Dl4jConfigReader.graph(file, parseDl4j(file, () -> ComputationGraphConfiguration.fromJson(text), SourceFormat.DL4J_GRAPH));
    }

    public static ModelSpec load(Path file) {
        return load(file, KerasReader.LossChoice.NONE);
    }

    /**
     * Reads a model of any kind, the kind detected from its content by {@link ModelSources}.
     *
     * @param loss the loss for a Keras model saved without a training config (ignored for every other kind)
     */
    public static ModelSpec load(Path file, KerasReader.LossChoice loss) {
        return load(file, loss, Hdf5Reader.IN_THIS_JVM);
    }

    /** @param hdf5 reads the configs of a Keras HDF5 file (outside a worker JVM: a worker, see {@link Hdf5Reader}) */
    public static ModelSpec load(Path file, KerasReader.LossChoice loss, Hdf5Reader hdf5) {
        SourceFile f = new SourceFile(file, hdf5);
        return ModelSources.of(f).read(f, loss);
    }

    /** A DL4J configuration file, already parsed as a tree (for the class allow-list) and detected by its top-level key. */
    static ModelSpec dl4jConfiguration(Path file, String text, LocatedTree tree, boolean json, KerasReader.LossChoice loss) {
        Dl4jClassTags.check(tree);
        if (tree.root().has("confs")) {
            MultiLayerConfiguration conf = parseDl4j(file, () -> json ? MultiLayerConfiguration.fromJson(text) : MultiLayerConfiguration.fromYaml(text), SourceFormat.DL4J_MULTILAYER);
            if (conf.getConfs().isEmpty()) return Dl4jConfigReader.multiLayer(file, conf); // its own error
            KerasReader.AddedHead head = KerasReader.addLossHeadIfNone(conf, loss); // before the reader sees the layers
            return withHead(Dl4jConfigReader.multiLayer(file, conf), head);
        }
        ComputationGraphConfiguration conf = parseDl4j(file, () -> json ? ComputationGraphConfiguration.fromJson(text) : ComputationGraphConfiguration.fromYaml(text), SourceFormat.DL4J_GRAPH);
        KerasReader.AddedHead head = KerasReader.addLossHeadIfNone(conf, loss);
        return withHead(Dl4jConfigReader.graph(file, conf), head);
    }

    private static ModelSpec withHead(ModelSpec spec, KerasReader.AddedHead head) {
        return head == null ? spec : spec.withNote(head.note(), head.assumed());
    }

    /** Loads and resolves shapes, using {@code inputShape} only where the config does not determine its own. */
    public static ResolvedModel loadResolved(Path file, Optional<Shape> inputShape) {
        return loadResolved(file, inputShape, KerasReader.LossChoice.NONE);
    }

    public static ResolvedModel loadResolved(Path file, Optional<Shape> inputShape, KerasReader.LossChoice loss) {
        return loadResolved(file, inputShape, loss, Hdf5Reader.IN_THIS_JVM);
    }

    public static ResolvedModel loadResolved(Path file, Optional<Shape> inputShape, KerasReader.LossChoice loss, Hdf5Reader hdf5) {
        ModelSpec spec = load(file, loss, hdf5);
        if (inputShape.isPresent() && spec.inputShape().isPresent() && spec.inputShape().get() instanceof Shape.Features flat
                && !(inputShape.get() instanceof Shape.Features) && inputShape.get().size() == flat.size()) {
            // A config built for flat input (DL4J's VGG16: InputType.convolutionalFlat(224, 224, 3) takes 150,528 values)
            // given as the image it flattens (3,224,224): the same input, as the config takes it.
            inputShape = Optional.empty();
        }
        if (inputShape.isPresent()) {
            if (spec.inputShape().isPresent() && !spec.inputShape().get().equals(inputShape.get())) {
                throw new BadInputException(file, Location.UNKNOWN, "input", "the config determines its input shape " + spec.inputShape().get()
                        + ", but --input-shape says " + inputShape.get() + "; drop --input-shape or make them agree");
            }
            spec = spec.withInputShape(inputShape.get());
        }
        return ShapeInference.resolve(spec);
    }

    private interface Dl4jParse<T> { T parse(); }

    private static <T> T parseDl4j(Path file, Dl4jParse<T> parse, SourceFormat kind) {
        try {
            return parse.parse();
        } catch (RuntimeException e) {
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) root = root.getCause();
            String msg = root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
            int nl = msg.indexOf('\n');
            if (nl > 0) msg = msg.substring(0, nl);
            throw new BadInputException(file, Location.UNKNOWN, "", "looks like a " + kind.label() + " but DL4J cannot read it: " + msg, e);
        }
    }

    static String readText(Path file) {
        try {
            if (Files.isDirectory(file)) throw new BadInputException(file, Location.UNKNOWN, "", "is a directory, expected a model config file");
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is " + (size >> 20) + " MiB; a model config is at most " + (MAX_FILE_BYTES >> 20) + " MiB");
            }
            byte[] bytes = Files.readAllBytes(file);
            try {
                return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException e) {
                throw new BadInputException(file, Location.UNKNOWN, "", "is not UTF-8 text; a model config is a YAML or JSON text file");
            }
        } catch (NoSuchFileException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "file not found");
        } catch (IOException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "cannot be read: " + e.getMessage());
        }
    }

    static char firstNonBlank(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\uFEFF' || Character.isWhitespace(c)) continue;
            return c;
        }
        return 0;
    }
}
