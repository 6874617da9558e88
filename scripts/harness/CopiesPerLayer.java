import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import java.nio.file.*;
/** Peak resident memory of training iterations over a stack of N blocks, per byte of one copy of all layer outputs. */
public class CopiesPerLayer {
  static long kb(String key) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D", ""));
    return -1;
  }
  /** KIND [JSON_OUT]: the stack's peak training memory; with JSON_OUT, its configuration written there too. */
  public static void main(String[] a) throws Exception {
    String kind = a[0]; int blocks = 8, ch = 32, hw = 112, batch = 16;
    NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(1).updater(new Adam(1e-3)).list();
    int layers = 0;
    for (int i = 0; i < blocks; i++) {
      switch (kind) {
        case "conv-relu" -> { lb.layer(new ConvolutionLayer.Builder(3,3).nOut(ch).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build()); layers += 1; }
        case "conv1x1-relu" -> { lb.layer(new ConvolutionLayer.Builder(1,1).nOut(ch).convolutionMode(ConvolutionMode.Same).activation(Activation.RELU).build()); layers += 1; }
        case "conv-identity" -> { lb.layer(new ConvolutionLayer.Builder(3,3).nOut(ch).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build()); layers += 1; }
        case "conv-bn-act" -> { lb.layer(new ConvolutionLayer.Builder(3,3).nOut(ch).convolutionMode(ConvolutionMode.Same).activation(Activation.IDENTITY).build());
                                lb.layer(new BatchNormalization.Builder().build()); lb.layer(new ActivationLayer(Activation.RELU)); layers += 3; }
        default -> throw new IllegalArgumentException(kind);
      }
    }
    lb.layer(new GlobalPoolingLayer.Builder(PoolingType.AVG).build());
    lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(10).activation(Activation.SOFTMAX).build());
    lb.setInputType(InputType.convolutional(hw, hw, 3));
    MultiLayerConfiguration built = lb.build();
    if (a.length > 1) Files.writeString(Path.of(a[1]), built.toJson()); // for modelgate's own estimate of the same stack
    MultiLayerNetwork net = new MultiLayerNetwork(built);
    net.init();
    INDArray x = Nd4j.randn(1, new long[]{batch, 3, hw, hw}), y = Nd4j.zeros(batch, 10); y.getColumn(0).assign(1);
    System.gc(); Thread.sleep(300);
    long before = kb("VmRSS:");
    for (int k = 0; k < 3; k++) net.fit(x, y);
    long peak = kb("VmHWM:");
    double copy = (double) layers * ch * hw * hw * batch * 4 / 1024;
    System.out.printf("%s: layers %d, one copy of outputs %.0f MiB, peak - before %.0f MiB, copies %.2f, params %d%n", kind, layers, copy / 1024, (peak - before) / 1024.0, (peak - before) / copy, net.numParams());
  }
}
