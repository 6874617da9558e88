package dev.modelgate.spec;

/** A modelgate model spec: the concise YAML (or JSON) format of docs/spec-format.md. Any other mapping is read as one. */
final class SpecSource implements ModelSource {
    @Override public String name() { return "modelgate spec"; }

    @Override public boolean accepts(SourceFile f) { return f.mapping().root().isObject(); }

    @Override public ModelSpec read(SourceFile f, KerasReader.LossChoice loss) { return SpecReader.read(f.mapping(), f.files()); }
}
