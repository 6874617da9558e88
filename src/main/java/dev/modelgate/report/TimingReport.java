package dev.modelgate.report;

/**
 * Interleaved timing of the original and the modified model: one training iteration and one inference call.
 *
 * @param threads the OMP_NUM_THREADS setting the timing ran with
 */
public record TimingReport(Measurement training, Measurement inference, String threads) {

    /**
     * One operation timed on both models.
     *
     * @param batchSize     examples per call
     * @param original      milliseconds per call of the original, per sample
     * @param ratio         median of the per-pair ratios modified / original
     * @param ratioLow,ratioHigh 95% bootstrap confidence interval of that median
     * @param pairs         interleaved pairs used
     * @param warmupCalls   calls made to each model before measuring
     * @param borderline    the interval still contained the threshold when the time budget ran out
     */
    public record Measurement(String operation, int batchSize, Summary original, Summary modified, double ratio,
                              double ratioLow, double ratioHigh, int pairs, int warmupCalls, boolean borderline) {}

    /** Milliseconds per call: median and interquartile range, and examples per second at the median. */
    public record Summary(double medianMs, double q1Ms, double q3Ms, double examplesPerSecond) {}
}
