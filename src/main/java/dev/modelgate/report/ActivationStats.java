package dev.modelgate.report;

/**
 * One layer's output over the probe batch, in inference mode.
 *
 * @param min,max           extreme finite values (NaN and Inf are counted apart, not folded in)
 * @param zeroFraction      share of values exactly 0 (dead ReLU units show here)
 * @param saturatedFraction share of values within 1% of a sigmoid/tanh bound; null for other activations
 */
public record ActivationStats(String layer, double min, double max, double mean, double std, long nan, long inf,
                              double zeroFraction, Double saturatedFraction) {
    public boolean finite() { return nan == 0 && inf == 0; }
}
