package dev.modelgate.spec;

import com.fasterxml.jackson.databind.JsonNode;
import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import dev.modelgate.io.LocatedTree;

import java.nio.file.Path;
import java.util.List;

/**
 * The most layers (nodes, vertices) a model may have, checked on the parsed tree before anything else reads it:
 * the layer matching, shape inference and rules grow faster than linearly with the node count (a 40,000-node spec
 * once took 6.3 GB), and no real model comes near the limit (DL4J's zoo graphs have a few hundred vertices:
 * ResNet-50's configuration has 9,362 JSON values in all).
 */
public final class NodeLimit {
    public static final int MAX_NODES = 5_000;

    /** Where each kind of config lists its nodes: spec layers or nodes, DL4J confs or vertices, Keras layers. */
    private static final List<String> NODE_LISTS = List.of("layers", "nodes", "confs", "vertices", "config.layers", "config");

    private NodeLimit() {}

    /** Refuses a config whose node list is longer than {@link #MAX_NODES}, at that list. */
    static void check(LocatedTree tree) {
        for (String path : NODE_LISTS) {
            JsonNode list = tree.root();
            for (String key : path.split("\\.")) list = list == null ? null : list.get(key);
            if (list != null && (list.isArray() || list.isObject()) && list.size() > MAX_NODES) {
                throw tree.error(path, tooMany(list.size()));
            }
        }
    }

    /** The same limit for a model however it was read (a DL4J configuration inside a zip, a Keras import). */
    static void check(Path source, int nodes) {
        if (nodes > MAX_NODES) throw new BadInputException(source, Location.UNKNOWN, "", tooMany(nodes));
    }

    private static String tooMany(int n) {
        return String.format("%,d layers; a model has at most %,d (real models have a few hundred)", n, MAX_NODES);
    }
}
