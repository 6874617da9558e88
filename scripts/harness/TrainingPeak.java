import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.nio.file.*;
public class TrainingPeak {
  static long kb(String key) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D", ""));
    return -1;
  }
  public static void main(String[] a) throws Exception {
    ComputationGraphConfiguration c = ComputationGraphConfiguration.fromJson(Files.readString(Path.of(a[0])));
    int hw = Integer.parseInt(a[1]), batch = Integer.parseInt(a[2]);
    ComputationGraph g = new ComputationGraph(c);
    g.init();
    INDArray x = Nd4j.randn(1, new long[]{batch, 3, hw, hw});
    long[] outShape = g.outputSingle(false, x).shape();
    outShape[0] = batch;
    INDArray y = Nd4j.zeros(outShape);
    if (y.rank() == 2) y.getColumn(0).assign(1); else y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1);
    System.gc(); Thread.sleep(300);
    long before = kb("VmRSS:"), hwmBefore = kb("VmHWM:");
    long t0 = System.nanoTime();
    for (int k = 0; k < 3; k++) g.fit(new INDArray[]{x}, new INDArray[]{y});
    long peak = kb("VmHWM:");
    System.out.printf("%s batch %d: rss before %.0f MiB (hwm %.0f), peak %.0f MiB, training delta %.0f MiB, %.1f s per fit%n", a[0], batch, before/1024.0, hwmBefore/1024.0, peak/1024.0, (peak-before)/1024.0, (System.nanoTime()-t0)/3e9);
  }
}
