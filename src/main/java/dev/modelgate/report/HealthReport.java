package dev.modelgate.report;

import java.util.List;

/**
 * What running one model showed: activations at initialization and after training, gradients and loss at each
 * training iteration, and whether any parameter became NaN or Inf.
 *
 * @param iterations   training iterations run (each one fit on one minibatch with the model's own optimizer)
 * @param losses       loss at each iteration (NaN/Inf kept as such)
 * @param nonFiniteParams NaN or Inf parameter values after the last iteration
 * @param dl4jParams   the parameter count of the built DL4J network (agrees with modelgate's own count)
 * @param dl4jOutputNonFinite where the activations at initialization hold NaN or Inf: the NaN/Inf values in DL4J's
 *                     own forward pass of the same batch ({@code output()}), so a report can say whether DL4J computes
 *                     them or modelgate's layer-by-layer pass does; -1 where nothing was non-finite (not checked)
 * @param memory       the measured peak memory of a training iteration and an inference call, or null where not measured
 */
public record HealthReport(int batchSize, int iterations, List<ActivationStats> initial, List<ActivationStats> trained,
                           List<LayerGradients> gradients, List<Double> losses, long nonFiniteParams, long dl4jParams,
                           long dl4jOutputNonFinite, MemoryUse memory) {
    public HealthReport {
        initial = List.copyOf(initial);
        trained = List.copyOf(trained);
        gradients = List.copyOf(gradients);
        losses = List.copyOf(losses);
    }

    /** A report without memory measurements. */
    public HealthReport(int batchSize, int iterations, List<ActivationStats> initial, List<ActivationStats> trained,
                        List<LayerGradients> gradients, List<Double> losses, long nonFiniteParams, long dl4jParams, long dl4jOutputNonFinite) {
        this(batchSize, iterations, initial, trained, gradients, losses, nonFiniteParams, dl4jParams, dl4jOutputNonFinite, null);
    }

    /** A report whose activations were finite at initialization: DL4J's own forward pass was not consulted. */
    public HealthReport(int batchSize, int iterations, List<ActivationStats> initial, List<ActivationStats> trained,
                        List<LayerGradients> gradients, List<Double> losses, long nonFiniteParams, long dl4jParams) {
        this(batchSize, iterations, initial, trained, gradients, losses, nonFiniteParams, dl4jParams, -1);
    }

    public java.util.Optional<ActivationStats> initial(String layer) {
        return initial.stream().filter(s -> s.layer().equals(layer)).findFirst();
    }

    public java.util.Optional<ActivationStats> trained(String layer) {
        return trained.stream().filter(s -> s.layer().equals(layer)).findFirst();
    }

    public java.util.Optional<LayerGradients> gradients(String layer) {
        return gradients.stream().filter(g -> g.layer().equals(layer)).findFirst();
    }
}
