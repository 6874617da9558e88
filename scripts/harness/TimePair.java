import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
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
 * in interleaved ABBA pairs after a warm-up: what a planted near-limit case measures outside modelgate.
 * Usage (OMP_NUM_THREADS=1): scripts/harness/run TimePair A B [PAIRS]
 */
public class TimePair {
  static MultiLayerNetwork mlp(int width) {
    MultiLayerConfiguration c = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam()).weightInit(WeightInit.XAVIER).list()
        .layer(new DenseLayer.Builder().nIn(512).nOut(width).activation(Activation.RELU).build())
        .layer(new DenseLayer.Builder().nIn(width).nOut(width).activation(Activation.RELU).build())
        .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(width).nOut(10).activation(Activation.SOFTMAX).build())
        .build();
    MultiLayerNetwork n = new MultiLayerNetwork(c);
    n.init();
    return n;
  }

  interface Call { void run(); }

  static double time(Call c) {
    long t = System.nanoTime();
    c.run();
    return (System.nanoTime() - t) / 1e6;
  }

  static double medianRatio(Call a, Call b, int pairs) {
    for (int i = 0; i < 30; i++) { a.run(); b.run(); }
    double[] r = new double[pairs];
    for (int i = 0; i < pairs; i += 2) {
      double a1 = time(a), b1 = time(b), b2 = time(b), a2 = time(a);
      r[i] = b1 / a1;
      if (i + 1 < pairs) r[i + 1] = b2 / a2;
    }
    Arrays.sort(r);
    return r[pairs / 2];
  }

  public static void main(String[] args) {
    int a = Integer.parseInt(args[0]), b = Integer.parseInt(args[1]), pairs = args.length > 2 ? Integer.parseInt(args[2]) : 60;
    MultiLayerNetwork na = mlp(a), nb = mlp(b);
    INDArray x = Nd4j.randn(1, new long[] {64, 512}), y = Nd4j.zeros(64, 10);
    for (int i = 0; i < 64; i++) y.putScalar(i, i % 10, 1);
    INDArray x1 = Nd4j.randn(2, new long[] {1, 512});
    double train = medianRatio(() -> na.fit(x, y), () -> nb.fit(x, y), pairs);
    double infer = medianRatio(() -> na.output(x1), () -> nb.output(x1), pairs * 4);
    System.out.printf("widths %d -> %d: training ratio %.3f, inference ratio %.3f%n", a, b, train, infer);
  }
}
