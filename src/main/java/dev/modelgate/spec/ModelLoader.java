package dev.modelgate.spec;

import dev.modelgate.io.FileScope;
import dev.modelgate.io.InputFiles;
import dev.modelgate.io.LocatedTree;
import dev.modelgate.error.Location;
import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * Loads a model config of any supported kind, detected from its content: a modelgate spec, or a DL4J
 * MultiLayerConfiguration / ComputationGraphConfiguration as JSON or YAML (top-level {@code confs} vs
 * {@code vertices}; DL4J itself would accept one as the other with zero layers).
 */
public final class ModelLoader {
    /** Larger than any real config; a guard against being handed a data file. */
    public static final long MAX_FILE_BYTES = InputFiles.MAX_CONFIG_BYTES;

    private ModelLoader() {}

    /** A DL4J configuration given as text (from a file or from inside a model zip), detected by its top-level keys. */
    static ModelSpec loadDl4jText(Path file, String text) {
        boolean json = firstNonBlank(text) == '{';
        LocatedTree tree = LocatedTree.read(file, text, json ? new JsonFactory() : new YAMLFactory());
        NodeLimit.check(tree);
        if (!tree.root().isObject() || !(tree.root().has("confs") || tree.root().has("vertices"))) {
            throw new BadInputException(file, Location.UNKNOWN, "configuration.json", "is not a DL4J MultiLayerConfiguration or ComputationGraphConfiguration");
        }
        Dl4jClassTags.check(tree);
        if (tree.root().has("confs")) {
            MultiLayerConfiguration conf = parseDl4j(file, () -> MultiLayerConfiguration.fromJson(text), SourceFormat.DL4J_MULTILAYER);
            return dl4jObjects(file, () -> Dl4jConfigReader.multiLayer(file, conf));
        }
        ComputationGraphConfiguration conf = parseDl4j(file, () -> ComputationGraphConfiguration.fromJson(text), SourceFormat.DL4J_GRAPH);
        return dl4jObjects(file, () -> Dl4jConfigReader.graph(file, conf));
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
        return load(file, loss, FileScope.OWN_FOLDER, Hdf5Reader.IN_THIS_JVM);
    }

    /** @param hdf5 reads the configs of a Keras HDF5 file (outside a worker JVM: a worker, see {@link Hdf5Reader}) */
    public static ModelSpec load(Path file, KerasReader.LossChoice loss, Hdf5Reader hdf5) {
        return load(file, loss, FileScope.OWN_FOLDER, hdf5);
    }

    /** @param files where the files a spec names ({@code data.csv}, {@code baseline}) may be */
    public static ModelSpec load(Path file, KerasReader.LossChoice loss, FileScope files) {
        return load(file, loss, files, Hdf5Reader.IN_THIS_JVM);
    }

    /**
     * @param files where the files a spec names ({@code data.csv}, {@code baseline}) may be
     * @param hdf5  reads the configs of a Keras HDF5 file (outside a worker JVM: a worker, see {@link Hdf5Reader})
     */
    public static ModelSpec load(Path file, KerasReader.LossChoice loss, FileScope files, Hdf5Reader hdf5) {
        // Before any source looks at it: a device or FIFO has no size to bound and may never end (or never answer).
        InputFiles.requireRegularFile(file, InputFiles.Role.MODEL);
        SourceFile f = new SourceFile(file, files, hdf5);
        return ModelSources.of(f).read(f, loss);
    }

    /**
     * The files a model names (a spec's data files or image folder, and {@code baseline}), confined as a check reads them; none
     * for the other kinds, or where the model cannot be read (its check will say why). For the output policy: a
     * report is never written over anything a run reads.
     */
    public static List<Path> referencedFiles(Path file, FileScope files) {
        if (!java.nio.file.Files.isRegularFile(file)) return List.of();
        try {
            SourceFile f = new SourceFile(file, files, Hdf5Reader.IN_THIS_JVM); // only specs are read here: never HDF5
            ModelSource source = ModelSources.of(f);
            if (!(source instanceof SpecSource)) return List.of();
            ModelSpec spec = source.read(f, KerasReader.LossChoice.NONE);
            List<Path> out = new java.util.ArrayList<>();
            if (spec.data() != null) out.addAll(spec.data().files());
            if (spec.baseline() != null) out.add(spec.baseline());
            return out;
        } catch (BadInputException e) {
            return List.of();
        }
    }

    /** A DL4J configuration file, already parsed as a tree (for the class allow-list) and detected by its top-level key. */
    static ModelSpec dl4jConfiguration(Path file, String text, LocatedTree tree, boolean json, KerasReader.LossChoice loss) {
        Dl4jClassTags.check(tree);
        if (tree.root().has("confs")) {
            MultiLayerConfiguration conf = parseDl4j(file, () -> json ? MultiLayerConfiguration.fromJson(text) : MultiLayerConfiguration.fromYaml(text), SourceFormat.DL4J_MULTILAYER);
            return dl4jObjects(file, () -> {
                if (conf.getConfs().isEmpty()) return Dl4jConfigReader.multiLayer(file, conf); // its own error
                KerasReader.AddedHead head = KerasReader.addLossHeadIfNone(conf, loss); // before the reader sees the layers
                return withHead(Dl4jConfigReader.multiLayer(file, conf), head);
            });
        }
        ComputationGraphConfiguration conf = parseDl4j(file, () -> json ? ComputationGraphConfiguration.fromJson(text) : ComputationGraphConfiguration.fromYaml(text), SourceFormat.DL4J_GRAPH);
        return dl4jObjects(file, () -> withHead(Dl4jConfigReader.graph(file, conf), KerasReader.addLossHeadIfNone(conf, loss)));
    }

    private static ModelSpec withHead(ModelSpec spec, KerasReader.AddedHead head) {
        return head == null ? spec : spec.withNote(head.note(), head.assumed());
    }

    /** Loads and resolves shapes, using {@code inputShape} only where the config does not determine its own. */
    public static ResolvedModel loadResolved(Path file, Optional<Shape> inputShape) {
        return loadResolved(file, InputShapes.of(inputShape), KerasReader.LossChoice.NONE);
    }

    public static ResolvedModel loadResolved(Path file, InputShapes given, KerasReader.LossChoice loss) {
        return loadResolved(file, given, loss, FileScope.OWN_FOLDER, Hdf5Reader.IN_THIS_JVM);
    }

    /**
     * What the command line gives every model, beside its file: input shapes ({@code --input-shape}) for a config that
     * does not determine its own, and examples ({@code --data}: a CSV file with a header row, the label last) in place
     * of any data section.
     */
    public record Given(InputShapes shapes, Optional<Path> data) {}

    public static ResolvedModel loadResolved(Path file, InputShapes given, KerasReader.LossChoice loss, FileScope files, Hdf5Reader hdf5) {
        return loadResolved(file, new Given(given, Optional.empty()), loss, files, hdf5);
    }

    public static ResolvedModel loadResolved(Path file, Given given, KerasReader.LossChoice loss, FileScope files, Hdf5Reader hdf5) {
        ModelSpec loaded = withInputShapes(load(file, loss, files, hdf5), given.shapes());
        ModelSpec spec = given.data().isEmpty() ? loaded : loaded.withData(new DataSpec(given.data().get(), null, true)
                .withEvaluation(loaded.data() == null ? DataSpec.Evaluation.DEFAULT : loaded.data().evaluation()));
        return spec.nativeConfig() == null ? ShapeInference.resolve(spec) : dl4jObjects(file, () -> ShapeInference.resolve(spec));
    }

    /**
     * The model with every input's shape: its own where the config determines it, else what --input-shape gives (by
     * name, or the one unnamed shape for a model with one input). A given shape must agree with the config's own.
     */
    static ModelSpec withInputShapes(ModelSpec spec, InputShapes given) {
        Path file = spec.source();
        List<String> names = spec.inputNames();
        for (String n : given.named().keySet()) {
            if (!names.contains(n)) {
                throw new BadInputException(file, Location.UNKNOWN, "input", "--input-shape names input '" + n + "', which the model does not have"
                        + dev.modelgate.io.Suggestions.didYouMean(n, names) + "; its inputs: " + String.join(", ", names));
            }
        }
        if (given.unnamed().isPresent() && names.size() > 1) {
            throw new BadInputException(file, Location.UNKNOWN, "input", "the model has " + names.size() + " inputs (" + String.join(", ", names)
                    + "); give one --input-shape NAME=SHAPE for each input that needs one" + missing(spec));
        }
        List<ModelSpec.Input> inputs = new java.util.ArrayList<>();
        for (ModelSpec.Input in : spec.inputs()) {
            Optional<Shape> shape = names.size() == 1 && given.unnamed().isPresent() ? given.unnamed() : Optional.ofNullable(given.named().get(in.name()));
            if (shape.isPresent() && in.shape().isPresent() && in.shape().get() instanceof Shape.Features flat
                    && !(shape.get() instanceof Shape.Features) && shape.get().size() == flat.size()) {
                // A config built for flat input (DL4J's VGG16: InputType.convolutionalFlat(224, 224, 3) takes 150,528
                // values) given as the image it flattens (3,224,224): the same input, as the config takes it.
                shape = Optional.empty();
            }
            if (shape.isPresent() && in.shape().isPresent() && !in.shape().get().equals(shape.get())) {
                String which = names.size() == 1 ? "its input shape " : "the shape of input '" + in.name() + "' as ";
                throw new BadInputException(file, Location.UNKNOWN, "input", "the config determines " + which + in.shape().get()
                        + ", but --input-shape says " + shape.get() + "; drop --input-shape or make them agree");
            }
            inputs.add(shape.isPresent() ? new ModelSpec.Input(in.name(), shape) : in);
        }
        return spec.withInputs(inputs);
    }

    /** "; needed for: a, b" naming the inputs whose shape the config does not determine. */
    static String missing(ModelSpec spec) {
        List<String> need = spec.inputs().stream().filter(i -> i.shape().isEmpty()).map(ModelSpec.Input::name).toList();
        return need.isEmpty() ? "" : " (needed for: " + String.join(", ", need) + ")";
    }

    /**
     * The DL4J reading boundary. DL4J's fromJson/fromYaml check nothing: a field left out, null, empty or of the
     * wrong size comes back as an object that fails only when something reads it (a null layer, a null pooling
     * type, a one-element kernel). Everything modelgate does with such objects before building anything (reading
     * them into a model, inferring shapes) happens inside this boundary, where such a failure is the config's:
     * one line, exit 2, the cause kept for --verbose.
     */
    static <T> T dl4jObjects(Path file, java.util.function.Supplier<T> read) {
        try {
            return read.get();
        } catch (BadInputException e) {
            throw e;
        } catch (NullPointerException | IndexOutOfBoundsException | ArithmeticException | ClassCastException
                 | IllegalArgumentException | IllegalStateException | UnsupportedOperationException e) {
            throw new BadInputException(file, Location.UNKNOWN, "", "DL4J read this configuration into an incomplete object (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + dev.modelgate.io.Excerpt.of(e.getMessage())) + "): a field is missing, null, empty or of the wrong "
                    + "size; DL4J's toJson() writes every field", e);
        }
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
            throw new BadInputException(file, Location.UNKNOWN, "", "looks like a " + kind.label() + " but DL4J cannot read it: "
                    + dev.modelgate.io.Excerpt.of(msg, dev.modelgate.io.Excerpt.MESSAGE_CHARS), e); // DL4J's message quotes the file
        }
    }

    static String readText(Path file) {
        return InputFiles.readUtf8(file, MAX_FILE_BYTES, InputFiles.Role.MODEL);
    }

    /** UTF-8 text, or an exception at the first byte that is not UTF-8 (never a replacement character). */
    static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
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
