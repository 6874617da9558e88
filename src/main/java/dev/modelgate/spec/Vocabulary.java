package dev.modelgate.spec;

import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The names a spec may use for activations, weight inits, losses, optimizers and clipping modes, mapped to DL4J's.
 * Names are matched ignoring case, '-' and '_', so {@code leaky-relu}, {@code leakyrelu} and {@code LEAKY_RELU} agree.
 */
public final class Vocabulary {
    private Vocabulary() {}

    public static final Map<String, Activation> ACTIVATIONS = new LinkedHashMap<>();
    public static final Map<String, WeightInit> WEIGHT_INITS = new LinkedHashMap<>();
    public static final Map<String, LossFunctions.LossFunction> LOSSES = new LinkedHashMap<>();
    public static final Map<String, GradientNormalization> CLIPPING = new LinkedHashMap<>();
    public static final java.util.List<String> OPTIMIZERS = java.util.List.of("sgd", "momentum", "nesterov", "adam", "adamw", "rmsprop");

    static {
        for (Activation a : Activation.values()) ACTIVATIONS.put(a.name().toLowerCase(Locale.ROOT).replace("_", "-"), a);
        ACTIVATIONS.put("leaky-relu", Activation.LEAKYRELU);
        ACTIVATIONS.put("linear", Activation.IDENTITY);
        for (WeightInit w : WeightInit.values()) {
            if (w == WeightInit.DISTRIBUTION) continue; // written as {distribution: normal, ...}
            WEIGHT_INITS.put(w.name().toLowerCase(Locale.ROOT).replace('_', '-'), w);
        }
        WEIGHT_INITS.put("he", WeightInit.RELU);
        WEIGHT_INITS.put("he-uniform", WeightInit.RELU_UNIFORM);
        WEIGHT_INITS.put("glorot", WeightInit.XAVIER);
        WEIGHT_INITS.put("glorot-uniform", WeightInit.XAVIER_UNIFORM);
        for (LossFunctions.LossFunction l : LossFunctions.LossFunction.values()) {
            LOSSES.put(l.name().toLowerCase(Locale.ROOT).replace('_', '-'), l);
        }
        LOSSES.put("cross-entropy", LossFunctions.LossFunction.MCXENT);
        LOSSES.put("binary-cross-entropy", LossFunctions.LossFunction.XENT);
        LOSSES.put("nll", LossFunctions.LossFunction.NEGATIVELOGLIKELIHOOD);
        LOSSES.put("mae", LossFunctions.LossFunction.MEAN_ABSOLUTE_ERROR);
        CLIPPING.put("clip-value", GradientNormalization.ClipElementWiseAbsoluteValue);
        CLIPPING.put("clip-l2-per-layer", GradientNormalization.ClipL2PerLayer);
        CLIPPING.put("clip-l2-per-param-type", GradientNormalization.ClipL2PerParamType);
        CLIPPING.put("renormalize-l2-per-layer", GradientNormalization.RenormalizeL2PerLayer);
        CLIPPING.put("renormalize-l2-per-param-type", GradientNormalization.RenormalizeL2PerParamType);
    }

    static String key(String name) {
        return name.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
    }

    /**
     * Finds {@code name} among the keys of {@code vocabulary}, ignoring case, '-' and '_', and returns the canonical
     * name of what it means: the first key with the same DL4J value (DL4J's own names come before the aliases), so
     * {@code he} reads as {@code relu} and {@code cross-entropy} as {@code mcxent}.
     */
    public static <T> Optional<String> canonical(Map<String, T> vocabulary, String name) {
        String k = key(name);
        for (String candidate : vocabulary.keySet()) {
            if (key(candidate).equals(k)) {
                T value = vocabulary.get(candidate);
                return vocabulary.entrySet().stream().filter(e -> e.getValue().equals(value)).map(Map.Entry::getKey).findFirst();
            }
        }
        return Optional.empty();
    }

    /** Canonical spec name for a DL4J activation: {@code LEAKYRELU} -> {@code leakyrelu}. */
    public static String activationName(Activation a) {
        return a.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    public static String lossName(LossFunctions.LossFunction l) {
        for (Map.Entry<String, LossFunctions.LossFunction> e : LOSSES.entrySet()) if (e.getValue() == l) return e.getKey();
        return l.name().toLowerCase(Locale.ROOT);
    }
}
