package dev.modelgate.spec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.modelgate.io.InputFiles;

import java.nio.file.Path;
import java.util.Set;

/**
 * Whether a file an audit finds is meant as a model, by its content, as the pre-commit hook decides it: a folder of
 * experiments also holds a DVC {@code params.yaml}, a {@code dvc.yaml}, a {@code package.json} or a workflow file,
 * which are not models and not the experiment author's mistake. Only a YAML/JSON mapping that parses and has none of
 * the keys any model format starts with is not a model; a file that does not parse, or has such a key, is read as a
 * model (so that a broken model is reported, never skipped).
 */
public final class ModelFiles {
    private ModelFiles() {}

    /** Top-level keys of modelgate specs, DL4J configurations and Keras model JSON. */
    static final Set<String> MODEL_KEYS = Set.of("input", "layers", "nodes", "output", "training", "defaults", "confs", "vertices",
            "networkInputs", "class_name");

    /** Null where the file is (or may be) a model; else why it is not. */
    public static String notAModel(Path file) {
        String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
        boolean json = name.endsWith(".json");
        if (!json && !name.endsWith(".yaml") && !name.endsWith(".yml")) return null; // zips and HDF5 files: their readers decide
        JsonNode root;
        try {
            String text = InputFiles.readUtf8(file, InputFiles.MAX_CONFIG_BYTES, InputFiles.Role.MODEL);
            // The same bounded parser the loaders use (nesting, value count, no alias expansion): discovery reads
            // strangers' files too.
            root = dev.modelgate.io.LocatedTree.read(file, text, json ? new com.fasterxml.jackson.core.JsonFactory() : new YAMLFactory()).root();
        } catch (RuntimeException e) { // BadInputException included
            return null; // unreadable or malformed: its check says why
        }
        if (root == null || !root.isObject()) return "not a model: a " + (root == null ? "empty file" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT))
                + ", where a model config is a mapping";
        for (String key : MODEL_KEYS) if (root.has(key)) return null;
        java.util.List<String> keys = new java.util.ArrayList<>();
        root.fieldNames().forEachRemaining(keys::add);
        String shown = keys.size() <= 4 ? String.join(", ", keys) : String.join(", ", keys.subList(0, 4)) + ", ...";
        return "not a model: its top-level keys (" + dev.modelgate.io.Excerpt.of(shown) + ") are none of a model's (input, layers or nodes; confs or vertices; class_name)";
    }
}
