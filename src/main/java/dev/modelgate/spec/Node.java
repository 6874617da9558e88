package dev.modelgate.spec;

import dev.modelgate.error.Location;
import java.util.List;

/**
 * One named node of a model graph. {@code autoNamed} is true when the config gave no name and modelgate made one
 * up (such names shift when layers are inserted, so layer matching does not trust them).
 *
 * @param dl4jLayer the DL4J layer configuration ({@code org.deeplearning4j.nn.conf.layers.Layer}) this node was read
 *                  from, or null (a modelgate spec's node, a vertex, a preprocessor): where there is one, DL4J is the
 *                  source of truth for the node's parameter count
 */
public record Node(String name, LayerOp op, List<String> inputs, boolean autoNamed, Location location, Object dl4jLayer) {
    public Node {
        inputs = List.copyOf(inputs);
    }

    public Node(String name, LayerOp op, List<String> inputs, boolean autoNamed, Location location) {
        this(name, op, inputs, autoNamed, location, null);
    }
}
