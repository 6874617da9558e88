package dev.modelgate.spec;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A model as modelgate understands it, whatever file it came from: one input, nodes in topological order (the
 * last is the output), and a training section.
 *
 * @param inputShape the shape of one example where the config determines it; empty where only --input-shape can say
 * @param data       the spec's own examples (a CSV file), or null for synthetic data
 * @param baseline   the config this one is a modification of ({@code baseline:}, resolved against the spec's
 *                   directory), or null; {@code modelgate audit} pairs them
 * @param weights    a DL4J model zip (ModelSerializer) whose trained parameters the model starts from, or null
 * @param nativeConfig the DL4J configuration object the model was read from (a MultiLayerConfiguration or
 *                     ComputationGraphConfiguration), or null for a modelgate spec; it is what gets built and run, so
 *                     a DL4J config runs exactly as written
 */
public record ModelSpec(Path source, SourceFormat format, String name, Optional<Shape> inputShape, String inputName,
                        List<Node> nodes, Training training, DataSpec data, Path baseline, Path weights, Object nativeConfig) {

    public ModelSpec {
        nodes = List.copyOf(nodes);
    }

    public Node output() { return nodes.get(nodes.size() - 1); }

    public Optional<Node> node(String name) {
        return nodes.stream().filter(n -> n.name().equals(name)).findFirst();
    }

    public ModelSpec withInputShape(Shape shape) {
        return new ModelSpec(source, format, name, Optional.of(shape), inputName, nodes, training, data, baseline, weights, nativeConfig);
    }

    public ModelSpec withWeights(Path zip) {
        return new ModelSpec(source, format, name, inputShape, inputName, nodes, training, data, baseline, zip, nativeConfig);
    }
}
