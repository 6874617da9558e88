package dev.modelgate.spec;

/**
 * The training section: what one training iteration is (batch size, optimizer) and how it starts (seed).
 *
 * @param clipping  DL4J gradient normalization name ({@code clip-element-wise}, ...) or null for none
 */
public record Training(int batchSize, long seed, Optimizer optimizer, String clipping, double clippingThreshold) {
    public static final Training DEFAULT = new Training(32, 42, Optimizer.DEFAULT, null, 0);

    /** An optimizer as the spec names it; fields that do not apply to {@code type} are ignored. */
    public record Optimizer(String type, double learningRate, double momentum, double weightDecay,
                            double beta1, double beta2, double epsilon, double decay) {
        public static final Optimizer DEFAULT = new Optimizer("adam", 1e-3, 0.9, 0, 0.9, 0.999, 1e-8, 0.95);

        @Override public String toString() {
            StringBuilder sb = new StringBuilder(type).append(" lr=").append(learningRate);
            if (type.equals("nesterov") || type.equals("momentum")) sb.append(" momentum=").append(momentum);
            if (weightDecay != 0) sb.append(" weight-decay=").append(weightDecay);
            return sb.toString();
        }
    }
}
