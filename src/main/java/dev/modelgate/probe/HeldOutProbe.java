package dev.modelgate.probe;

import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.EvaluationReport;
import dev.modelgate.spec.DataSpec;
import dev.modelgate.spec.Examples;
import dev.modelgate.spec.ResolvedModel;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalLong;

/**
 * Trains a model on the training part of its data and evaluates it on the held-out part, once per seed: the held-out
 * accuracy (or mean squared and absolute error) and loss after every epoch. Seed {@code i} is {@code base + i} for
 * the split, the initialization, the minibatch order and dropout alike, so that two models given the same base and
 * the same data are compared seed by seed (a paired comparison, as DeepCrime repeats trainings).
 */
public final class HeldOutProbe {
    /** Fewer rows than this cannot be split into a training part and a held-out part that says anything. */
    public static final int MIN_ROWS = 10;
    /** Held-out rows evaluated per forward pass: bounds the memory of a large held-out part. */
    private static final int EVALUATION_CHUNK = 256;

    private HeldOutProbe() {}

    public static EvaluationReport measure(ResolvedModel model, long baseSeed, int batchSize, Progress progress) {
        Examples data = model.data();
        DataSpec.Evaluation settings = model.spec().data().evaluation();
        String fingerprint = data.file().getFileName() + "#" + Integer.toHexString(31 * Arrays.deepHashCode(data.features()) + Arrays.hashCode(data.labels()));
        if (data.rows() < MIN_ROWS) {
            return EvaluationReport.skipped(data.classification(), data.outputs(), fingerprint, data.rows() + " rows in " + data.file().getFileName()
                    + " are too few to hold some out (at least " + MIN_ROWS + ")");
        }
        String name = model.spec().source() == null ? model.spec().name() : String.valueOf(model.spec().source().getFileName());
        int epochs = settings.epochsOrDefault();
        double maxSeconds = settings.maxSeconds().orElse(0);
        List<EvaluationReport.SeedRun> runs = new ArrayList<>();
        HeldOutSplit first = null;
        try {
            for (int i = 0; i < settings.seeds(); i++) {
                long seed = baseSeed + i;
                HeldOutSplit split = HeldOutSplit.of(data, settings.validation(), seed);
                if (first == null) first = split;
                progress.phase("held-out evaluation of " + name + ": seed " + (i + 1) + " of " + settings.seeds() + ", "
                        + split.train().length + " training rows, " + split.heldOut().length + " held out");
                runs.add(train(model, split, seed, batchSize, epochs, maxSeconds, progress, name));
            }
        } catch (BadInputException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Dl4jErrors.translate(model, "training on the data", e);
        }
        return new EvaluationReport(data.classification(), data.outputs(), fingerprint, first.train().length, first.heldOut().length,
                settings.epochs().isPresent() || maxSeconds == 0 ? epochs : 0, maxSeconds, runs, null);
    }

    private static EvaluationReport.SeedRun train(ResolvedModel model, HeldOutSplit split, long seed, int batchSize, int epochs,
                                                  double maxSeconds, Progress progress, String name) {
        Network net = NetworkFactory.build(model, OptionalLong.of(seed));
        java.util.Random order = new java.util.Random(seed ^ 0x5DEECE66DL);
        int[] train = split.train().clone();
        List<Double> curveLoss = new ArrayList<>(), curveMetric = new ArrayList<>();
        double[] last = null;
        long start = System.nanoTime();
        int epoch = 0;
        while (epoch < epochs) {
            ProbeData.shuffle(train, order);
            for (int from = 0; from < train.length; from += batchSize) {
                int[] rows = Arrays.copyOfRange(train, from, Math.min(train.length, from + batchSize));
                SyntheticData.Batch b = ProbeData.rows(model, rows);
                Nd4j.getRandom().setSeed(seed * 1_000_003L + epoch * 7919L + from); // dropout draws from ND4J's global generator
                net.fit(b.features(), b.labels());
            }
            epoch++;
            last = evaluate(model, net, split.heldOut());
            curveLoss.add(last[1]);
            curveMetric.add(last[0]);
            progress.step("held-out evaluation of " + name + ": epoch " + epoch + (epochs == Integer.MAX_VALUE ? "" : " of " + epochs));
            if (maxSeconds > 0 && (System.nanoTime() - start) / 1e9 >= maxSeconds) break;
        }
        return new EvaluationReport.SeedRun(seed, last[0], last[1], last[2], epoch, (System.nanoTime() - start) / 1e9, curveLoss, curveMetric);
    }

    /** Held-out {metric, loss, mean absolute error}: accuracy for classification, mean squared error for regression. */
    static double[] evaluate(ResolvedModel model, Network net, int[] heldOut) {
        Examples data = model.data();
        double lossSum = 0, metricSum = 0, absSum = 0;
        for (int from = 0; from < heldOut.length; from += EVALUATION_CHUNK) {
            int[] rows = Arrays.copyOfRange(heldOut, from, Math.min(heldOut.length, from + EVALUATION_CHUNK));
            SyntheticData.Batch b = ProbeData.rows(model, rows);
            lossSum += net.score(b.features(), b.labels()) * rows.length;
            INDArray out = net.output(b.features());
            if (out.rank() == 3) out = out.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.point(out.size(2) - 1)); // a sequence output: its last step
            for (int i = 0; i < rows.length; i++) {
                double label = data.labels()[rows[i]];
                if (data.classification()) {
                    if (out.getRow(i).argMax().getInt(0) == (int) label) metricSum++;
                } else {
                    double err = out.getDouble(i, 0) - label;
                    metricSum += err * err;
                    absSum += Math.abs(err);
                }
            }
        }
        int n = heldOut.length;
        return new double[] {metricSum / n, lossSum / n, data.classification() ? Double.NaN : absSum / n};
    }
}
