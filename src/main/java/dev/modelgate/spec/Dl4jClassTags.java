package dev.modelgate.spec;

import dev.modelgate.io.LocatedTree;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * DL4J reads its configs with Jackson's polymorphic typing: a type id names a Java class to load and instantiate. A
 * config from an untrusted source could name any class on the classpath (deserialization gadgets), and Jackson loads
 * (and initializes) a class as soon as it resolves the id, before it checks anything. Type ids stand in four places,
 * all checked here before DL4J sees the text:
 * <ul>
 * <li>{@code @class} keys (JSON; DL4J's layers, vertices, activations, losses, updaters, ...);</li>
 * <li>{@code type} keys (DL4J's {@code Distribution} names its class there);</li>
 * <li>the first element of an array that stands where a typed value belongs (Jackson reads {@code [id, value]} as
 *     a typed value when it meets an array instead of an object);</li>
 * <li>YAML tags ({@code !<...>}).</li>
 * </ul>
 * Every type id must be a plain dotted name ({@code [A-Za-z_][A-Za-z0-9_]*} segments) in one of DL4J's configuration
 * packages. Anything else Jackson's TypeFactory would parse is refused: generic parameters ({@code Foo<Bar>}, whose
 * parameters are loaded too), array classes ({@code [Lfoo.Bar;}, {@code Foo[]}), nested-class {@code $} names
 * (DL4J's configs name none) and whitespace or control characters. Nothing is instantiated, nothing loaded.
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
    /** A plain, package-qualified Java class name: nothing TypeFactory would read as generics or an array. */
    private static final Pattern PLAIN_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*(\\.[A-Za-z_][A-Za-z0-9_]*)+");
    /**
     * DL4J's name lists (vertex and input names, typed {@code List<String>}, so never read as typed values): their
     * first name may contain dots (Keras-imported names such as {@code tf.math.add}) without being a type id.
     */
    private static final Pattern NAME_LISTS = Pattern.compile("networkInputs|networkOutputs|topologicalOrderStr|vertexInputs\\.[^\\[]+");

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
                } else if (e.getKey().equals("type") && e.getValue().isTextual() && classLike(e.getValue().asText())) {
                    allowed(tree, child, e.getValue().asText());
                } else {
                    walk(tree, e.getValue(), child);
                }
            }
        } else if (node.isArray()) {
            if (node.size() > 0 && node.get(0).isTextual() && classLike(node.get(0).asText()) && !NAME_LISTS.matcher(path).matches()) {
                allowed(tree, path + "[0]", node.get(0).asText());
            }
            for (int i = 0; i < node.size(); i++) walk(tree, node.get(i), path + "[" + i + "]");
        }
    }

    /** A string Jackson could resolve to a class other than the (absent) default package's: qualified, generic or an array. */
    private static boolean classLike(String s) {
        return s.indexOf('.') >= 0 || s.indexOf('<') >= 0 || s.indexOf('[') >= 0;
    }

    private static void allowed(LocatedTree tree, String path, String className) {
        if (PLAIN_NAME.matcher(className).matches()) {
            for (String prefix : ALLOWED) if (className.startsWith(prefix)) return;
        }
        throw tree.error(path, "class tag '" + dev.modelgate.io.Excerpt.of(className) + "' is not a DL4J configuration type; only plain class names under "
                + String.join(", ", ALLOWED.stream().map(p -> p.substring(0, p.length() - 1)).toList()) + " are read");
    }
}
