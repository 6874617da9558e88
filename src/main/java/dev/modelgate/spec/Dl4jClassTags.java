package dev.modelgate.spec;

import dev.modelgate.io.LocatedTree;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/**
 * DL4J reads its configs with Jackson's polymorphic typing: every {@code @class} key (JSON) or {@code !<...>} tag
 * (YAML) names a Java class to instantiate. A config from an untrusted source could name any class on the classpath
 * (deserialization gadgets). Before DL4J sees a config, every class it names must lie in DL4J's configuration
 * packages; anything else is refused, and nothing is instantiated.
 */
final class Dl4jClassTags {
    /** The packages of DL4J/ND4J configuration types (layers, vertices, preprocessors, activations, losses, ...). */
    static final List<String> ALLOWED = List.of(
            "org.deeplearning4j.nn.conf.",
            "org.deeplearning4j.nn.weights.",
            "org.nd4j.linalg.activations.impl.",
            "org.nd4j.linalg.lossfunctions.impl.",
            "org.nd4j.linalg.learning.config.",
            "org.nd4j.linalg.learning.regularization.",
            "org.nd4j.linalg.schedule.");

    private Dl4jClassTags() {}

    static void check(LocatedTree tree) {
        walk(tree, tree.root(), "");
        for (Map.Entry<String, String> tag : tree.typeTags().entrySet()) allowed(tree, tag.getKey(), tag.getValue());
    }

    private static void walk(LocatedTree tree, JsonNode node, String path) {
        if (node.isObject()) {
            var fields = node.fields();
            while (fields.hasNext()) {
                var e = fields.next();
                String child = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (e.getKey().equals("@class")) {
                    if (!e.getValue().isTextual()) throw tree.error(child, "a class tag must be a class name, got " + Fields.describe(e.getValue()));
                    allowed(tree, child, e.getValue().asText());
                } else {
                    walk(tree, e.getValue(), child);
                }
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) walk(tree, node.get(i), path + "[" + i + "]");
        }
    }

    private static void allowed(LocatedTree tree, String path, String className) {
        for (String prefix : ALLOWED) if (className.startsWith(prefix)) return;
        throw tree.error(path, "class tag '" + className + "' is not a DL4J configuration type; only classes under "
                + String.join(", ", ALLOWED.stream().map(p -> p.substring(0, p.length() - 1)).toList()) + " are read");
    }
}
