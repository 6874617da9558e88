package dev.modelgate.spec;

import java.util.List;
import java.util.Map;

/**
 * A model whose every node has known input and output shapes: the result of {@link ShapeInference}.
 *
 * @param data     the spec's CSV examples, read and checked against the model; null for synthetic data
 * @param transfer where this model's matched layers take their starting weights from ({@code init: from-original}),
 *                 or null: every layer initializes as configured
 */
public record ResolvedModel(ModelSpec spec, Shape input, Map<String, List<Shape>> inputShapes, Map<String, Shape> outputShapes, Examples data,
                            Transfer transfer) {
    public ResolvedModel {
        inputShapes = Map.copyOf(inputShapes);
        outputShapes = Map.copyOf(outputShapes);
    }

    public ResolvedModel(ModelSpec spec, Shape input, Map<String, List<Shape>> inputShapes, Map<String, Shape> outputShapes, Examples data) {
        this(spec, input, inputShapes, outputShapes, data, null);
    }

    /**
     * The original model of a check, and which of its layers each of this model's layers copies its parameters from
     * (modified layer name to original layer name; only layers whose parameters have the same shapes).
     */
    public record Transfer(ResolvedModel original, Map<String, String> layers) {
        public Transfer {
            layers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
        }
    }

    public ResolvedModel withTransfer(Transfer t, ModelSpec noted) {
        return new ResolvedModel(noted, input, inputShapes, outputShapes, data, t);
    }

    /** The shape of one example of every network input, in the order the network takes them ({@link #input} is the first). */
    public List<Shape> inputs() {
        return spec.inputNames().stream().map(outputShapes::get).toList();
    }

    /** The inputs as the reports show them: {@code 1x28x28}, or {@code image 3x32x32, meta 10} for several. */
    public String inputText() {
        if (spec.inputs().size() == 1) return input.toString();
        return spec.inputNames().stream().map(n -> n + " " + outputShapes.get(n)).collect(java.util.stream.Collectors.joining(", "));
    }

    public Shape outputOf(String node) { return outputShapes.get(node); }

    public List<Shape> inputsOf(String node) { return inputShapes.get(node); }
}
