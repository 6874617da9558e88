package dev.modelgate.spec;

import dev.modelgate.io.FileScope;
import dev.modelgate.io.LocatedTree;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;

import java.nio.file.Path;

/**
 * A file being identified by the {@link ModelSource}s: its path, and its text and parsed tree, each read at most once
 * and only when a source asks (a zip or HDF5 file is never read as text), and the reader of its HDF5 content (a
 * worker JVM outside one: see {@link Hdf5Reader}).
 */
public final class SourceFile {
    private final Path path;
    private final FileScope files;
    private final Hdf5Reader hdf5;
    private String text;
    private LocatedTree tree;

    SourceFile(Path path, FileScope files, Hdf5Reader hdf5) {
        this.path = path;
        this.files = files;
        this.hdf5 = hdf5;
    }

    public Path path() { return path; }

    /** Where the files this one names may be. */
    FileScope files() { return files; }

    /** The Keras configs inside the file, which is HDF5. */
    Hdf5Reader.KerasConfigs kerasConfigs() {
        return hdf5.kerasConfigs(path);
    }

    /** The file as UTF-8 text, bounded in size; a one-line error when it is not text. */
    String text() {
        if (text == null) text = ModelLoader.readText(path);
        return text;
    }

    boolean json() {
        char c = ModelLoader.firstNonBlank(text());
        return c == '{' || c == '[';
    }

    /** The text parsed as JSON or YAML (by its first character), with line and column of every node. */
    LocatedTree tree() {
        if (tree == null) {
            tree = LocatedTree.read(path, text(), json() ? new JsonFactory() : new YAMLFactory());
            String inner = tree.root().isTextual() ? tree.root().asText().trim() : "";
            if (inner.startsWith("{") && inner.endsWith("}")) {
                // json.dump(model.to_json(), f), a common way to save a Keras model, writes its JSON as one JSON string:
                // the model is the document inside it (lines and columns then count in that document).
                text = inner;
                tree = LocatedTree.read(path, text, new JsonFactory());
            }
            NodeLimit.check(tree); // before any source reads the nodes

        }
        return tree;
    }

    /** The parsed tree, which must be a mapping at the top level to be any model this version reads. */
    LocatedTree mapping() {
        LocatedTree t = tree();
        if (!t.root().isObject()) {
            throw new BadInputException(path, t.locate(""), "", "expected a mapping at the top level (a model spec or a DL4J configuration), got "
                    + Fields.describe(t.root()));
        }
        return t;
    }

    static BadInputException unknown(Path path) {
        return new BadInputException(path, Location.UNKNOWN, "", "is not a model file modelgate reads");
    }
}
