package dev.modelgate.spec;

import org.deeplearning4j.nn.conf.distribution.NormalDistribution;
import org.deeplearning4j.nn.conf.distribution.UniformDistribution;
import org.deeplearning4j.nn.conf.layers.BaseLayer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Spec kinds that are described by DL4J's own layer or vertex object (zero-padding, cropping, local response
 * normalization, conv1d, embedding, bidirectional LSTM, scale and shift): the spec says what the user wrote, DL4J
 * propagates the shape, counts the parameters and builds it. The object travels on the node
 * ({@link Node#dl4jLayer()}); each build clones it.
 */
public final class SpecNative {
    /** A spec node's op and the DL4J object that is its truth. */
    record Made(LayerOp.Native op, Object dl4j) {}

    private SpecNative() {}

    /** @param attributes name, value, name, value, ...: what the report shows and what tells changed from unchanged */
    static Made of(String type, LayerOp.Family family, Long width, Object dl4j, String... attributes) {
        Map<String, String> attrs = new LinkedHashMap<>();
        for (int i = 0; i + 1 < attributes.length; i += 2) attrs.put(attributes[i], attributes[i + 1]);
        return new Made(new LayerOp.Native(type, family, width, null, null, attrs.get("activation"), attrs), dl4j);
    }

    /** The activation and weight initialization of a spec layer, on a DL4J builder. */
    public static <B extends BaseLayer.Builder<?>> B weighted(B builder, String activation, WeightInitSpec init) {
        builder.activation(Vocabulary.ACTIVATIONS.get(activation));
        if (init.isNormal()) builder.weightInit(new NormalDistribution(init.mean(), init.std()));
        else if (init.isUniform()) builder.weightInit(new UniformDistribution(init.lower(), init.upper()));
        else builder.weightInit(Vocabulary.WEIGHT_INITS.get(init.scheme()));
        return builder;
    }
}
