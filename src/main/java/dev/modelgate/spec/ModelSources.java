package dev.modelgate.spec;

import java.util.List;

/**
 * The one list of model sources, in the order they are asked; the first that accepts a file reads it. Binary kinds
 * come first (they are recognized by magic bytes, without reading the file as text); the modelgate spec is last,
 * since it is what any other mapping is read as.
 */
public final class ModelSources {
    private static final List<ModelSource> ALL = List.of(
            new Dl4jZipSource(),
            new KerasHdf5Source(),
            new KerasJsonSource(),
            new Dl4jConfigSource(),
            new SpecSource());

    private ModelSources() {}

    public static List<ModelSource> all() { return ALL; }

    /** The source that reads {@code file}; a one-line error when none does. */
    static ModelSource of(SourceFile file) {
        for (ModelSource s : ALL) if (s.accepts(file)) return s;
        throw SourceFile.unknown(file.path());
    }
}
