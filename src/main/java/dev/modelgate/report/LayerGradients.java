package dev.modelgate.report;

import java.util.List;

/**
 * One layer's gradients over the probe's training iterations, per example (DL4J's raw gradients are sums over the
 * minibatch; these are divided by the batch size).
 *
 * @param weightL2   L2 norm of the weight gradient (all weight arrays of the layer, biases and batch-norm
 *                   statistics excluded), one value per iteration; empty for a layer without weights
 * @param allL2      L2 norm of every trainable parameter's gradient of the layer, per iteration
 * @param maxAbs     largest absolute gradient element of the layer, per iteration
 * @param weightMaxAbs largest absolute element of the weight gradient, per iteration; empty without weights
 * @param nonFinite  NaN or Inf gradient elements seen over all iterations
 */
public record LayerGradients(String layer, List<Double> weightL2, List<Double> allL2, List<Double> maxAbs,
                             List<Double> weightMaxAbs, long nonFinite) {
    public LayerGradients {
        weightL2 = List.copyOf(weightL2);
        allL2 = List.copyOf(allL2);
        maxAbs = List.copyOf(maxAbs);
        weightMaxAbs = List.copyOf(weightMaxAbs);
    }

    /** The largest finite all-parameter L2 over the iterations (NaN if none): what the explosion rule sees by default. */
    public double peakL2() {
        return allL2.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).max().orElse(Double.NaN);
    }

    /** The median weight-gradient L2 over the iterations (NaN without weights): what the vanishing rule sees by default. */
    public double medianWeightL2() {
        double[] v = weightL2.stream().mapToDouble(Double::doubleValue).filter(Double::isFinite).sorted().toArray();
        if (v.length == 0) return Double.NaN;
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
