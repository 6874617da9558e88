package dev.modelgate.report;

import java.util.List;

/**
 * What training a model on the training part of its data and evaluating it on the held-out part showed, once per
 * seed: the accuracy rules' evidence. Each seed splits the rows, initializes the network and orders the minibatches
 * its own way; the same seeds on the same data give both models of a check the same splits, so their per-seed values
 * are paired.
 *
 * @param classification whether {@code metric} is accuracy (classification) or the mean squared error (regression)
 * @param outputs        the model's output units
 * @param data           what the rows were: the data's name and a fingerprint of its values, so a rule can tell that
 *                       both models were evaluated on the same rows
 * @param epochs         the epochs each seed was to train (the most; {@code maxSeconds} may stop it sooner), or 0 where
 *                       only a time limit was given
 * @param maxSeconds     training time per seed at most, or 0 for no limit
 * @param skipped        why nothing was evaluated (too few rows), or null
 */
public record EvaluationReport(boolean classification, int outputs, String data, int trainRows, int heldOutRows, int epochs, double maxSeconds,
                               List<SeedRun> seeds, String skipped) {
    public EvaluationReport {
        seeds = List.copyOf(seeds);
    }

    public static EvaluationReport skipped(boolean classification, int outputs, String data, String why) {
        return new EvaluationReport(classification, outputs, data, 0, 0, 0, 0, List.of(), why);
    }

    /** "accuracy" or "mse": what {@link SeedRun#metric} is. */
    public String metric() { return classification ? "accuracy" : "mse"; }

    /**
     * One seed's training and held-out evaluation.
     *
     * @param metric   held-out accuracy (fraction of rows whose largest output is their class) or mean squared error
     * @param loss     held-out loss: the model's own loss function (with its regularization), averaged over the rows
     * @param mae      held-out mean absolute error (regression), or NaN for classification
     * @param epochs   epochs trained
     * @param curveLoss   held-out loss after each epoch
     * @param curveMetric held-out metric after each epoch
     */
    public record SeedRun(long seed, double metric, double loss, double mae, int epochs, double seconds,
                          List<Double> curveLoss, List<Double> curveMetric) {
        public SeedRun {
            curveLoss = List.copyOf(curveLoss);
            curveMetric = List.copyOf(curveMetric);
        }
    }
}
