package dev.modelgate.stats;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** The few statistics the timing protocol needs: quantiles and a bootstrap interval for a median. */
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
}
