package dev.modelgate.spec;

/** A Keras model's {@code model.to_json()}, through DL4J's import. */
final class KerasJsonSource implements ModelSource {
    @Override public String name() { return "Keras model JSON"; }

    @Override public boolean accepts(SourceFile f) { return KerasReader.isKerasJson(f.mapping().root()); }

    @Override public ModelSpec read(SourceFile f, KerasReader.LossChoice loss) {
        return KerasReader.fromJson(f.path(), f.text(), f.mapping().root(), loss);
    }
}
