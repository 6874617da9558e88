package dev.modelgate.spec;

import java.util.List;
import java.util.Map;

/**
 * A model whose every node has known input and output shapes: the result of {@link ShapeInference}.
 *
 * @param data the spec's CSV examples, read and checked against the model; null for synthetic data
 */
public record ResolvedModel(ModelSpec spec, Shape input, Map<String, List<Shape>> inputShapes, Map<String, Shape> outputShapes, CsvData data) {
    public ResolvedModel {
        inputShapes = Map.copyOf(inputShapes);
        outputShapes = Map.copyOf(outputShapes);
    }

    public Shape outputOf(String node) { return outputShapes.get(node); }

    public List<Shape> inputsOf(String node) { return inputShapes.get(node); }
}
