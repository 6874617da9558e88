import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import java.util.Arrays;

/**
 * Raw DL4J, no modelgate code: the median per-pair time ratio of two MLPs (512 inputs, two hidden dense layers of
 * width A and B, 10 classes, Adam; samples/timing/base.yaml's shape), training at batch 64 and inference at batch 1,
 * in interleaved ABBA pairs after a warm-up: what a planted near-limit case measures outside modelgate, as the median
 * of per-pair ratios and as modelgate's statistic (per ABBA block, the faster call of B over the faster call of A).
 * Usage (OMP_NUM_THREADS=1): scripts/harness/run TimePair A B [PAIRS]
 */
public class TimePair {
  /** A ComputationGraph, as modelgate builds a spec: the same calls (fit, outputSingle) as it times. */
  static ComputationGraph mlp(int width) {
    ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam()).weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in").setInputTypes(InputType.feedForward(512))
        .addLayer("fc1", new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build(), "in")
        .addLayer("fc2", new DenseLayer.Builder().nOut(width).activation(Activation.RELU).build(), "fc1")
        .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(), "fc2")
        .setOutputs("output").build();
    ComputationGraph g = new ComputationGraph(c);
    g.init();
    return g;
  }

  interface Call { void run(); }

  static double time(Call c) {
    long t = System.nanoTime();
    c.run();
    return (System.nanoTime() - t) / 1e6;
  }

  /** {median of per-pair ratios, median over ABBA blocks of (faster B call / faster A call)}. */
  static double[] medianRatios(Call a, Call b, int pairs) {
    for (int i = 0; i < 30; i++) { a.run(); b.run(); }
    double[] r = new double[pairs], blocks = new double[pairs / 2];
    for (int i = 0; i + 1 < pairs; i += 2) {
      double a1 = time(a), b1 = time(b), b2 = time(b), a2 = time(a);
      r[i] = b1 / a1;
      r[i + 1] = b2 / a2;
      blocks[i / 2] = Math.min(b1, b2) / Math.min(a1, a2);
    }
    Arrays.sort(r);
    Arrays.sort(blocks);
    return new double[] {r[pairs / 2], blocks[blocks.length / 2]};
  }

  public static void main(String[] args) {
    int a = Integer.parseInt(args[0]), b = Integer.parseInt(args[1]), pairs = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    ComputationGraph na = mlp(a), nb = mlp(b);
    INDArray x = Nd4j.randn(1, new long[] {64, 512}), y = Nd4j.zeros(64, 10);
    for (int i = 0; i < 64; i++) y.putScalar(i, i % 10, 1);
    INDArray x1 = Nd4j.randn(2, new long[] {1, 512});
    double[] train = medianRatios(() -> na.fit(new INDArray[] {x}, new INDArray[] {y}), () -> nb.fit(new INDArray[] {x}, new INDArray[] {y}), pairs);
    double[] infer = medianRatios(() -> na.outputSingle(false, x1), () -> nb.outputSingle(false, x1), pairs * 4);
    System.out.printf("widths %d -> %d: training ratio %.3f (faster-call blocks %.3f), inference ratio %.3f (faster-call blocks %.3f)%n",
        a, b, train[0], train[1], infer[0], infer[1]);
  }
}
