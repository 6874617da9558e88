package dev.modelgate.report;

import java.util.List;

/**
 * What was measured of one model.
 *
 * @param source  the file as given on the command line
 * @param format  {@code modelgate-spec}, {@code dl4j-multilayer} or {@code dl4j-graph}
 * @param smoke   the result of running the model once, or null when nothing ran (--static)
 */
public record ModelReport(String source, String format, String name, String inputShape, List<LayerInfo> layers,
                          long totalParams, long totalMacs, SmokeRun smoke) {
    public ModelReport {
        layers = List.copyOf(layers);
    }

    public ModelReport withSmoke(SmokeRun run) {
        return new ModelReport(source, format, name, inputShape, layers, totalParams, totalMacs, run);
    }

    public java.util.Optional<LayerInfo> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }

    /** One forward and one backward pass on a synthetic batch: proof that the model builds and runs. */
    public record SmokeRun(int batchSize, double loss, long parameters) {}
}
