package dev.modelgate.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * The few statistics modelgate needs: quantiles and a bootstrap interval for a median (the timing protocol), and a
 * t interval of a mean of paired differences (the held-out evaluation; commons-math3 gives the t quantile).
 */
public final class Statistics {
    private Statistics() {}

    /** Linear-interpolation quantile (q in [0, 1]) of unsorted values. */
    public static double quantile(double[] values, double q) {
        if (values.length == 0) throw new IllegalArgumentException("no values");
        double[] s = values.clone();
        Arrays.sort(s);
        double pos = q * (s.length - 1);
        int lo = (int) Math.floor(pos), hi = (int) Math.ceil(pos);
        return s[lo] + (s[hi] - s[lo]) * (pos - lo);
    }

    public static double median(double[] values) {
        return quantile(values, 0.5);
    }

    public static double[] array(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).toArray();
    }

    /**
     * Percentile-bootstrap confidence interval of the median: resample the values with replacement, take each
     * resample's median, and return the (1-level)/2 and (1+level)/2 quantiles of those medians. Seeded, so the same
     * samples always give the same interval.
     */
    public static double[] bootstrapMedianInterval(double[] values, double level, int resamples, long seed) {
        Random rng = new Random(seed);
        double[] medians = new double[resamples];
        double[] sample = new double[values.length];
        for (int r = 0; r < resamples; r++) {
            for (int i = 0; i < values.length; i++) sample[i] = values[rng.nextInt(values.length)];
            medians[r] = median(sample);
        }
        return new double[] {quantile(medians, (1 - level) / 2), quantile(medians, (1 + level) / 2)};
    }

    /**
     * The mean of paired differences and its two-sided t confidence interval at {@code level}: {mean, low, high}.
     * With one difference there is no spread to estimate and the interval is unbounded, unless the difference is 0
     * (two identical models). All differences equal give a zero-width interval.
     */
    public static double[] meanInterval(double[] differences, double level) {
        int n = differences.length;
        if (n == 0) throw new IllegalArgumentException("no values");
        double mean = Arrays.stream(differences).average().orElseThrow();
        double ss = 0;
        for (double d : differences) ss += (d - mean) * (d - mean);
        if (n < 2) return mean == 0 ? new double[] {0, 0, 0} : new double[] {mean, Double.NEGATIVE_INFINITY, Double.POSITIVE_INFINITY};
        if (ss == 0) return new double[] {mean, mean, mean};
        double half = new org.apache.commons.math3.distribution.TDistribution(null, n - 1).inverseCumulativeProbability((1 + level) / 2)
                * Math.sqrt(ss / (n - 1) / n);
        return new double[] {mean, mean - half, mean + half};
    }
}
