package dev.modelgate.spec;

import dev.modelgate.error.Location;
import java.util.List;

/**
 * One named node of a model graph. {@code autoNamed} is true when the config gave no name and modelgate made one
 * up (such names shift when layers are inserted, so layer matching does not trust them).
 */
public record Node(String name, LayerOp op, List<String> inputs, boolean autoNamed, Location location) {
    public Node {
        inputs = List.copyOf(inputs);
    }
}
