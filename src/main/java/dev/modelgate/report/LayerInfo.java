package dev.modelgate.report;

import java.util.List;
import java.util.Map;

/**
 * One layer of one model as measured: shapes, parameters, multiply-accumulates for one example.
 *
 * @param family     matching family (dense, conv, pool, ...), lower case
 * @param width      output channels (conv family) or units (dense, lstm, output); null for layers without a width
 * @param inWidth    input channels (conv family) or input size (dense); null where not meaningful
 * @param attributes the settings that define the layer, in display order (filters, kernel, activation, ...);
 *                   two layers with equal attributes are unchanged
 * @param autoNamed  the config gave no name; modelgate made it up
 * @param line       the 1-based line of the layer in its model file, or 0 where the file says none (DL4J and Keras
 *                   configs are read through DL4J, which keeps no places): what code-scanning reports point at
 */
public record LayerInfo(String name, String type, String family, List<String> inputs, List<String> inputShapes,
                        String outputShape, long params, long macs, Long width, Long inWidth,
                        Map<String, String> attributes, boolean autoNamed, int line) {
    public LayerInfo {
        inputs = List.copyOf(inputs);
        inputShapes = List.copyOf(inputShapes);
        attributes = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(attributes));
    }

    /** A layer whose place in its file is not known. */
    public LayerInfo(String name, String type, String family, List<String> inputs, List<String> inputShapes,
                     String outputShape, long params, long macs, Long width, Long inWidth,
                     Map<String, String> attributes, boolean autoNamed) {
        this(name, type, family, inputs, inputShapes, outputShape, params, macs, width, inWidth, attributes, autoNamed, 0);
    }

    /** Attributes as one line, e.g. {@code filters=20 kernel=5 stride 1 valid activation=relu}. */
    public String summary() {
        StringBuilder sb = new StringBuilder();
        attributes.forEach((k, v) -> {
            if (sb.length() > 0) sb.append(", ");
            sb.append(k).append(' ').append(v);
        });
        return sb.toString();
    }
}
