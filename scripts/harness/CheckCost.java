import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.weights.WeightInit;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * Raw DL4J, no modelgate code: the DL4J calls a default check of samples/lenet/original.yaml against conv2-4x.yaml
 * makes, in the same order and numbers, so that modelgate's wall time can be divided by DL4J's own for the same work.
 * The numbers that vary from run to run (warm-up calls, pairs) are the report's, passed in:
 *   health   both models interleaved on one thread: each built, a forward pass of the batch of 32 and 2 training
 *            iterations alone, then the other ITERATIONS - 2 in pairs; each: the forward pass again, two inference
 *            calls at batch 1
 *   timing   on the same thread: two fresh networks, TRAIN_WARMUP training calls of each (alternating), then
 *            TRAIN_PAIRS pairs (those beyond the health probes' pairs: 0 where these were enough); the same for
 *            inference at batch 1; then the per-layer passes as LAYER_TRAIN_PAIRS and LAYER_INFER_PAIRS whole pairs
 * Prints the seconds from this JVM's start to each phase's end (add the JVM's start, which `time` measures outside).
 * Usage (OMP_NUM_THREADS=1): scripts/harness/run CheckCost ITERATIONS TRAIN_WARMUP TRAIN_PAIRS INFER_WARMUP INFER_PAIRS
 *                            LAYER_TRAIN_PAIRS LAYER_INFER_PAIRS
 */
public class CheckCost {
  /** LeNet as modelgate builds the sample spec: a ComputationGraph of the same layers, Nesterov 0.01/0.9. */
  static ComputationGraph lenet(int conv2) {
    ComputationGraphConfiguration c = new NeuralNetConfiguration.Builder().seed(42).updater(new Nesterovs(0.01, 0.9))
        .weightInit(WeightInit.XAVIER).graphBuilder()
        .addInputs("in").setInputTypes(InputType.convolutional(28, 28, 1))
        .addLayer("conv1", new ConvolutionLayer.Builder(5, 5).nOut(20).activation(Activation.IDENTITY).build(), "in")
        .addLayer("pool1", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv1")
        .addLayer("conv2", new ConvolutionLayer.Builder(5, 5).nOut(conv2).activation(Activation.IDENTITY).build(), "pool1")
        .addLayer("pool2", new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build(), "conv2")
        .addLayer("fc1", new DenseLayer.Builder().nOut(500).activation(Activation.RELU).build(), "pool2")
        .addLayer("output", new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build(), "fc1")
        .setOutputs("output").build();
    ComputationGraph g = new ComputationGraph(c);
    g.init();
    return g;
  }

  static INDArray[] x(int batch) { return new INDArray[] {Nd4j.rand(batch, 1, 28, 28)}; }

  static INDArray[] y(int batch) {
    INDArray l = Nd4j.zeros(batch, 10);
    for (int i = 0; i < batch; i++) l.putScalar(i, i % 10, 1);
    return new INDArray[] {l};
  }

  static void threads(int n) {
    NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
    Nd4j.factory().blas().setMaxThreads(n);
  }

  static void health(int iterations) {
    ComputationGraph ga = lenet(50), gb = lenet(200);
    INDArray[] xa = x(32), ya = y(32), xb = x(32), yb = y(32), one = x(1);
    int alone = Math.min(2, iterations);
    ga.feedForward(xa, false, true);
    for (int k = 0; k < alone; k++) ga.fit(xa, ya);
    gb.feedForward(xb, false, true);
    for (int k = 0; k < alone; k++) gb.fit(xb, yb);
    for (int p = 0; p < iterations - alone; p++) {
      if (p % 2 == 0) { ga.fit(xa, ya); gb.fit(xb, yb); } else { gb.fit(xb, yb); ga.fit(xa, ya); }
    }
    for (ComputationGraph g : new ComputationGraph[] {ga, gb}) {
      g.feedForward(g == ga ? xa : xb, false, true);
      g.output(one);
      g.output(one);
    }
  }

  public static void main(String[] a) throws Exception {
    long t0 = System.nanoTime();
    int iterations = Integer.parseInt(a[0]), trainWarmup = Integer.parseInt(a[1]), trainPairs = Integer.parseInt(a[2]),
        inferWarmup = Integer.parseInt(a[3]), inferPairs = Integer.parseInt(a[4]), layerTrain = Integer.parseInt(a[5]), layerInfer = Integer.parseInt(a[6]);
    Nd4j.create(1); // ND4J loads
    double loaded = (System.nanoTime() - t0) / 1e9;
    threads(1);
    health(iterations);
    double healthEnd = (System.nanoTime() - t0) / 1e9;
    ComputationGraph ga = lenet(50), gb = lenet(200);
    INDArray[] xa = x(32), ya = y(32), xb = x(32), yb = y(32), ia = x(1), ib = x(1);
    for (int k = 0; k < trainWarmup; k++) { ga.fit(xa, ya); gb.fit(xb, yb); }
    for (int p = 0; p < trainPairs + layerTrain; p++) { ga.fit(xa, ya); gb.fit(xb, yb); }
    double trainingEnd = (System.nanoTime() - t0) / 1e9;
    for (int k = 0; k < inferWarmup; k++) { ga.output(ia); gb.output(ib); }
    for (int p = 0; p < inferPairs + layerInfer; p++) { ga.output(ia); gb.output(ib); }
    double end = (System.nanoTime() - t0) / 1e9;
    System.out.printf("nd4j-loaded %.2f s, health-end %.2f s, training-end %.2f s, end %.2f s%n", loaded, healthEnd, trainingEnd, end);
  }
}
