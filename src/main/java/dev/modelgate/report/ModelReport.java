package dev.modelgate.report;

import java.util.List;

/**
 * What was measured of one model.
 *
 * @param source  the file as given on the command line
 * @param format  {@code modelgate-spec}, {@code dl4j-multilayer} or {@code dl4j-graph}
 * @param health  activations, gradients and losses from running the model, or null when nothing ran
 * @param notes   what modelgate decided about the model that its file did not say (e.g. the loss of a Keras model
 *                saved without a training config); empty for most models
 * @param data    the ranges of the model's CSV data (a spec's {@code data:} section), or null for synthetic data
 * @param evaluation the held-out evaluation on that data (trained per seed, evaluated on rows it did not train on), or
 *                null where the model has no data or nothing ran
 */
public record ModelReport(String source, String format, String name, String inputShape, List<LayerInfo> layers,
                          HealthReport health, List<String> notes, DataSummary data, EvaluationReport evaluation) {
    public ModelReport {
        layers = List.copyOf(layers);
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    /** A model not evaluated on data. */
    public ModelReport(String source, String format, String name, String inputShape, List<LayerInfo> layers, HealthReport health,
                       List<String> notes, DataSummary data) {
        this(source, format, name, inputShape, layers, health, notes, data, null);
    }

    /** A model probed with synthetic data. */
    public ModelReport(String source, String format, String name, String inputShape, List<LayerInfo> layers, HealthReport health, List<String> notes) {
        this(source, format, name, inputShape, layers, health, notes, null);
    }

    /** Parameters of the whole model: the sum over its layers. */
    public long totalParams() { return layers.stream().mapToLong(LayerInfo::params).sum(); }

    /** Multiply-accumulates per example of the whole model: the sum over its layers whose count is known. */
    public long totalMacs() { return layers.stream().mapToLong(LayerInfo::macs).filter(m -> m >= 0).sum(); }

    /** Whether every layer's MAC count is known (a negative count is unknown); otherwise {@link #totalMacs} is a lower bound. */
    public boolean macsKnown() { return layers.stream().allMatch(l -> l.macs() >= 0); }

    public ModelReport withSource(String s) {
        return new ModelReport(s, format, name, inputShape, layers, health, notes, data, evaluation);
    }

    public ModelReport withNotes(List<String> n) {
        return new ModelReport(source, format, name, inputShape, layers, health, n, data, evaluation);
    }

    public ModelReport withHealth(HealthReport h) {
        return new ModelReport(source, format, name, inputShape, layers, h, notes, data, evaluation);
    }

    /**
     * This model (its source, name, structure and notes) with another report's measurements: its health and
     * evaluation. A file is measured by its content, so a copy, a revision that did not change it, or the health a
     * worker sent before a stop carries the measurements under this file's name.
     */
    public ModelReport withMeasurementsOf(ModelReport measured) {
        return withHealth(measured.health()).withEvaluation(measured.evaluation());
    }

    public ModelReport withEvaluation(EvaluationReport e) {
        return new ModelReport(source, format, name, inputShape, layers, health, notes, data, e);
    }

    public java.util.Optional<LayerInfo> layer(String name) {
        return layers.stream().filter(l -> l.name().equals(name)).findFirst();
    }
}
