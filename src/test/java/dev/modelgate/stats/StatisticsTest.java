package dev.modelgate.stats;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StatisticsTest {
    @Test
    void quantilesInterpolateLinearly() {
        double[] v = {5, 1, 4, 2, 3};
        assertEquals(3, Statistics.median(v));
        assertEquals(1, Statistics.quantile(v, 0));
        assertEquals(5, Statistics.quantile(v, 1));
        assertEquals(2, Statistics.quantile(v, 0.25));
        assertEquals(2.5, Statistics.median(new double[] {1, 2, 3, 4}));
        assertEquals(1.75, Statistics.quantile(new double[] {1, 2, 3, 4}, 0.25));
        assertThrows(IllegalArgumentException.class, () -> Statistics.median(new double[0]));
    }

    @Test
    void bootstrapIntervalOfConstantDataIsThePoint() {
        double[] ci = Statistics.bootstrapMedianInterval(new double[] {2, 2, 2, 2, 2, 2}, 0.95, 500, 1);
        assertArrayEquals(new double[] {2, 2}, ci);
    }

    @Test
    void bootstrapIntervalCoversTheTrueMedianAtAboutTheNominalRate() {
        // Samples of 31 from N(1, 0.1): the 95% interval should contain 1.0 in roughly 95 of 100 repetitions.
        Random rng = new Random(7);
        int covered = 0;
        for (int rep = 0; rep < 100; rep++) {
            double[] v = new double[31];
            for (int i = 0; i < v.length; i++) v[i] = 1 + 0.1 * rng.nextGaussian();
            double[] ci = Statistics.bootstrapMedianInterval(v, 0.95, 400, rep);
            assertTrue(ci[0] <= Statistics.median(v) && Statistics.median(v) <= ci[1]);
            if (ci[0] <= 1.0 && 1.0 <= ci[1]) covered++;
        }
        assertTrue(covered >= 85 && covered <= 100, "covered " + covered + " of 100");
    }

    @Test
    void bootstrapIntervalNarrowsWithMoreSamplesAndIsRepeatable() {
        Random rng = new Random(3);
        double[] small = new double[10], large = new double[200];
        for (int i = 0; i < small.length; i++) small[i] = 2 + 0.2 * rng.nextGaussian();
        for (int i = 0; i < large.length; i++) large[i] = 2 + 0.2 * rng.nextGaussian();
        double[] a = Statistics.bootstrapMedianInterval(small, 0.95, 1000, 5), b = Statistics.bootstrapMedianInterval(large, 0.95, 1000, 5);
        assertTrue(b[1] - b[0] < a[1] - a[0]);
        assertArrayEquals(a, Statistics.bootstrapMedianInterval(small, 0.95, 1000, 5));
    }

    @Test
    void theMeanIntervalIsStudentsT() {
        // 5 differences with mean 2 and sample sd 1.5811: t(0.975, 4) = 2.7764, half-width 2.7764 * 1.5811 / sqrt(5) = 1.9632.
        double[] m = Statistics.meanInterval(new double[] {0, 1, 2, 3, 4}, 0.95);
        assertEquals(2.0, m[0], 1e-12);
        assertEquals(2.0 - 1.9632, m[1], 1e-4);
        assertEquals(2.0 + 1.9632, m[2], 1e-4);
    }

    @Test
    void equalDifferencesHaveNoSpreadAndOneDifferenceHasNoInterval() {
        assertArrayEquals(new double[] {0.5, 0.5, 0.5}, Statistics.meanInterval(new double[] {0.5, 0.5, 0.5}, 0.95));
        assertArrayEquals(new double[] {0, 0, 0}, Statistics.meanInterval(new double[] {0}, 0.95));
        double[] one = Statistics.meanInterval(new double[] {0.1}, 0.95);
        assertEquals(Double.NEGATIVE_INFINITY, one[1]);
        assertEquals(Double.POSITIVE_INFINITY, one[2]);
    }
}
