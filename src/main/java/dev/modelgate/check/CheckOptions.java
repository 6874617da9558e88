package dev.modelgate.check;

import dev.modelgate.spec.Shape;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * How to run a check.
 *
 * @param staticOnly     structure only: nothing is built or run
 * @param inputShape     used only where a config does not determine its own input shape
 * @param seed           overrides the configs' seeds for synthetic data and initialization
 * @param iterations     training iterations of the health probe (activations after training, gradients, loss)
 * @param inferenceBatch examples per inference call when timing latency
 * @param timeBudget     seconds the timing may take at most, both operations together
 * @param maxMemory      bytes a run may need (estimated before anything is allocated); more is refused
 * @param loss           the loss for a Keras model saved without a training config ({@code --loss}); empty: the other
 *                       model's loss, else one assumed from the output activation
 */
public record CheckOptions(boolean staticOnly, Optional<Shape> inputShape, OptionalLong seed, int iterations,
                           int inferenceBatch, double timeBudget, long maxMemory, Optional<String> loss) {
    public CheckOptions(boolean staticOnly, Optional<Shape> inputShape, OptionalLong seed, int iterations,
                        int inferenceBatch, double timeBudget, long maxMemory) {
        this(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, Optional.empty());
    }

    /** Half of this machine's memory: DL4J's native buffers, the JVM and the system share the rest. */
    public static final long DEFAULT_MAX_MEMORY = defaultMaxMemory();

    private static long defaultMaxMemory() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / 2;
        } catch (RuntimeException | LinkageError e) {
            return 4L << 30;
        }
    }

    public static final int DEFAULT_ITERATIONS = 10;
    public static final double DEFAULT_TIME_BUDGET = 60;

    public static final CheckOptions STATIC = new CheckOptions(true, Optional.empty(), OptionalLong.empty(), DEFAULT_ITERATIONS, 1, DEFAULT_TIME_BUDGET, DEFAULT_MAX_MEMORY);
    public static final CheckOptions RUN = new CheckOptions(false, Optional.empty(), OptionalLong.empty(), DEFAULT_ITERATIONS, 1, DEFAULT_TIME_BUDGET, DEFAULT_MAX_MEMORY);

    public CheckOptions withTimeBudget(double seconds) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, seconds, maxMemory, loss);
    }

    public CheckOptions withIterations(int k) {
        return new CheckOptions(staticOnly, inputShape, seed, k, inferenceBatch, timeBudget, maxMemory, loss);
    }

    public CheckOptions withLoss(String name) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, Optional.ofNullable(name));
    }

    public CheckOptions withMaxMemory(long bytes) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, bytes, loss);
    }
}
