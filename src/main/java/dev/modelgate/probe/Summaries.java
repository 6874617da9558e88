package dev.modelgate.probe;

import dev.modelgate.report.ActivationStats;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.reduce.longer.MatchCondition;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.BooleanIndexing;
import org.nd4j.linalg.indexing.conditions.Condition;
import org.nd4j.linalg.indexing.conditions.Conditions;

/**
 * Summaries of one array in the array's own precision, by ND4J reductions that allocate nothing of the array's size:
 * counts by {@code MatchCondition} (a reduction to one number), min/max/sum/std by ND4J's own reductions. Only two
 * cases fall back to a double copy of the one array being summarized (so at most one layer's worth at a time): an
 * array holding NaN or Inf (min, max, mean and std are over the finite values only), and values so large that a
 * float sum of squares could overflow.
 */
final class Summaries {
    static final double SATURATION_MARGIN = 0.01;
    /** Beyond this sum-of-squares bound (max^2 x n), a float accumulator could overflow (float max 3.4e38). */
    static final double FLOAT_SAFE_SQUARES = 1e36;

    private Summaries() {}

    /** Elements of {@code a} meeting {@code c}, compared exactly (eps 0: 1e-6 is not 0). */
    static long count(INDArray a, Condition c) {
        return Nd4j.getExecutioner().exec(new MatchCondition(a, 0.0, c)).getLong(0);
    }

    static long nonFinite(INDArray a) {
        return count(a, Conditions.isNan()) + count(a, Conditions.isInfinite());
    }

    static ActivationStats activation(String layer, INDArray a, String saturating) {
        long n = a.length();
        long nan = count(a, Conditions.isNan()), inf = count(a, Conditions.isInfinite());
        double zeros = (double) count(a, Conditions.equals(0.0)) / n;
        Double saturated = null;
        if ("tanh".equals(saturating)) saturated = (double) count(a, Conditions.absGreaterThan(1 - SATURATION_MARGIN)) / n;
        else if ("sigmoid".equals(saturating)) {
            saturated = (double) (count(a, Conditions.lessThan(SATURATION_MARGIN)) + count(a, Conditions.greaterThan(1 - SATURATION_MARGIN))) / n;
        }
        double min = Double.NaN, max = Double.NaN, mean = Double.NaN, std = Double.NaN;
        if (nan + inf == 0 && n > 0) {
            min = a.minNumber().doubleValue();
            max = a.maxNumber().doubleValue();
            double peak = Math.max(Math.abs(min), Math.abs(max));
            if (peak * peak * n < FLOAT_SAFE_SQUARES) {
                mean = a.sumNumber().doubleValue() / n;
                std = a.stdNumber(false).doubleValue(); // population std, as E[x^2] - mean^2 gives
                if (a.dataType() == DataType.DOUBLE || Double.isFinite(std)) {
                    return new ActivationStats(layer, min, max, mean, std, 0, 0, zeros, saturated);
                }
            }
        }
        if (n - nan - inf > 0) {
            double[] m = finiteMoments(a, nan + inf);
            min = m[0];
            max = m[1];
            mean = m[2];
            std = m[3];
        }
        return new ActivationStats(layer, min, max, mean, std, nan, inf, zeros, saturated);
    }

    /** min, max, mean, std of the finite values, in double, from a copy of this one array (the rare path). */
    private static double[] finiteMoments(INDArray raw, long nonFinite) {
        INDArray a = raw.castTo(DataType.DOUBLE);
        if (a == raw) a = raw.dup();
        long finite = a.length() - nonFinite;
        try {
            if (nonFinite > 0) BooleanIndexing.replaceWhere(a, Double.NaN, Conditions.isInfinite());
            double min = a.minNumber().doubleValue(), max = a.maxNumber().doubleValue(); // skip NaN
            if (nonFinite > 0) BooleanIndexing.replaceWhere(a, 0.0, Conditions.isNan());
            double mean = a.sumNumber().doubleValue() / finite;
            double sq = Math.pow(a.norm2Number().doubleValue(), 2) / finite;
            return new double[] {min, max, mean, Math.sqrt(Math.max(0, sq - mean * mean))};
        } finally {
            a.close();
        }
    }

    /**
     * Sum of squares and largest magnitude of one gradient array, in double: from the float array's own reductions,
     * or from a double copy of it where a float sum of squares could overflow.
     */
    static double[] squaresAndMaxAbs(INDArray g) {
        double abs = g.amaxNumber().doubleValue();
        if (g.dataType() == DataType.DOUBLE || abs * abs * g.length() < FLOAT_SAFE_SQUARES) {
            double l2 = g.norm2Number().doubleValue();
            if (g.dataType() == DataType.DOUBLE || Double.isFinite(l2) || !Double.isFinite(abs)) return new double[] {l2 * l2, abs};
        }
        INDArray d = g.castTo(DataType.DOUBLE);
        try {
            return new double[] {Math.pow(d.norm2Number().doubleValue(), 2), abs};
        } finally {
            d.close();
        }
    }
}
