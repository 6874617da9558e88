package dev.modelgate.spec;

/** Where a model came from; detected from a file's content, never its name. */
public enum SourceFormat {
    MODELGATE_SPEC("modelgate spec"),
    DL4J_MULTILAYER("DL4J MultiLayerConfiguration"),
    DL4J_GRAPH("DL4J ComputationGraphConfiguration"),
    KERAS_SEQUENTIAL("Keras Sequential model"),
    KERAS_FUNCTIONAL("Keras Functional model");

    private final String label;

    SourceFormat(String label) { this.label = label; }

    public String label() { return label; }

    public String id() { return name().toLowerCase().replace('_', '-'); }
}
