import org.deeplearning4j.nn.conf.*;
import org.deeplearning4j.nn.conf.layers.*;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import java.nio.file.*;
import java.util.List;
/** Does DL4J itself compute NaN for the zoo SimpleCNN with an OutputLayer head? Its own feedForward in both modes and output(). */
public class SimpleCnnNaN {
  public static void main(String[] a) throws Exception {
    // DL4J's zoo SimpleCNN (deeplearning4j-zoo, a test dependency), as issue 11 tried it: an OutputLayer head after it.
    MultiLayerConfiguration conf = org.deeplearning4j.zoo.model.SimpleCNN.builder().numClasses(10).build().conf();
    int n = conf.getConfs().size();
    ActivationLayer last = (ActivationLayer) conf.getConf(n - 1).getLayer();
    long classes = ((ConvolutionLayer) conf.getConf(n - 3).getLayer()).getNOut();
    // The variant: the zoo graph with an OutputLayer head appended after its softmax activation.
    NeuralNetConfiguration.ListBuilder lb = new NeuralNetConfiguration.Builder().seed(42).list();
    for (int i = 0; i < n; i++) lb.layer(conf.getConf(i).getLayer().clone());
    lb.layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(classes).nOut(classes).activation(Activation.SOFTMAX).build());
    lb.setInputType(org.deeplearning4j.nn.conf.inputs.InputType.convolutional(48, 48, 3));
    MultiLayerNetwork net = new MultiLayerNetwork(lb.build());
    net.init();
    
    INDArray x = Nd4j.randn(42, new long[]{8, 3, 48, 48});
    for (boolean train : new boolean[]{false, true}) {
      List<INDArray> acts = net.feedForward(x, train);
      StringBuilder sb = new StringBuilder();
      for (int i = 1; i < acts.size(); i++) {
        INDArray t = acts.get(i);
        double max = t.amaxNumber().doubleValue();
        long nan = t.isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        sb.append(String.format("%d:%s max|x|=%.3g nan=%d%n", i - 1, net.getLayer(i - 1).getClass().getSimpleName(), max, nan));
      }
      System.out.println("=== DL4J feedForward train=" + train + "\n" + sb);
    }
    INDArray out = net.output(x, false);
    System.out.println("DL4J output(x,false): NaN count " + out.isNaN().castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber() + " of " + out.length());
  }
}
