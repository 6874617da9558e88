package dev.modelgate.report;

import java.util.List;

/**
 * What one model needed in memory while it ran, measured (docs/benchmarks.md, "Measured peak memory"): DL4J's own
 * accounting of what it holds, which is deterministic for a model and a batch, unlike the process's resident size.
 *
 * @param trainingBytes          peak of a training iteration: {@code stateBytes} plus the largest total of ND4J's
 *                               workspaces after either of the first two iterations (HealthProbe.MEMORY_ITERATIONS),
 *                               plus the batch (features and labels)
 * @param inferenceBytes         peak of an inference call at {@code inferenceBatch}: the parameters, the workspaces
 *                               of inference-mode forward passes (measured from empty), plus the input
 * @param stateBytes             the arrays a network keeps outside workspaces while it trains: parameters, their
 *                               gradients and the optimizer's state
 * @param trainingWorkspaceBytes,inferenceWorkspaceBytes the workspace parts of the two peaks
 * @param layers                 per layer, DL4J's own memory report of the configuration (empty where DL4J has none
 *                               for one of its layers)
 */
public record MemoryUse(long trainingBytes, long inferenceBytes, int trainingBatch, int inferenceBatch, long stateBytes,
                        long trainingWorkspaceBytes, long inferenceWorkspaceBytes, List<Layer> layers) {
    public MemoryUse {
        layers = List.copyOf(layers);
    }

    /**
     * One layer in DL4J's memory report ({@code getMemoryReport(InputType)}), float32.
     *
     * @param activationBytes the layer's output for one training batch
     * @param trainingBytes   everything DL4J counts for the layer while training at that batch: parameters, their
     *                        gradients, activations, activation gradients and working memory
     */
    public record Layer(String layer, long parameterBytes, long activationBytes, long trainingBytes) {}

    public java.util.Optional<Layer> layer(String name) {
        return layers.stream().filter(l -> l.layer().equals(name)).findFirst();
    }
}
