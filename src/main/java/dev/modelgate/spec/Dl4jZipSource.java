package dev.modelgate.spec;

/** A DL4J model zip as ModelSerializer writes it: configuration and trained parameters. */
final class Dl4jZipSource implements ModelSource {
    @Override public String name() { return "DL4J model zip"; }

    @Override public boolean accepts(SourceFile f) { return ModelZip.isZip(f.path()); }

    @Override public ModelSpec read(SourceFile f, KerasReader.LossChoice loss) { return ModelZip.load(f.path()); }
}
