package dev.modelgate.spec;

/**
 * A DL4J MultiLayerConfiguration or ComputationGraphConfiguration, JSON or YAML, as {@code toJson()}/{@code toYaml()}
 * write them: told apart by the top-level {@code confs} vs {@code vertices} key (DL4J itself would accept one as the
 * other with zero layers).
 */
final class Dl4jConfigSource implements ModelSource {
    @Override public String name() { return "DL4J configuration"; }

    @Override public boolean accepts(SourceFile f) {
        var root = f.mapping().root();
        return root.has("confs") || root.has("vertices");
    }

    @Override public ModelSpec read(SourceFile f, KerasReader.LossChoice loss) {
        return ModelLoader.dl4jConfiguration(f.path(), f.text(), f.mapping(), f.json(), loss);
    }
}
