import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import java.nio.file.*;
/** DL4J's own accounting of a training iteration (workspaces + parameters, gradients, updater state) against the process's resident growth. */
public class WorkspacePeak {
  static long kb(String key) throws Exception {
    for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith(key)) return Long.parseLong(l.replaceAll("\\D", ""));
    return -1;
  }
  static long bytes(INDArray a) { return a == null ? 0 : a.length() * a.data().getElementSize(); }
  static long workspaces() {
    long sum = 0;
    for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) sum += w.getCurrentSize();
    return sum;
  }
  public static void main(String[] a) throws Exception {
    ComputationGraph g = new ComputationGraph(ComputationGraphConfiguration.fromJson(Files.readString(Path.of(a[0]))));
    g.init();
    int hw = Integer.parseInt(a[1]), batch = Integer.parseInt(a[2]);
    INDArray x = Nd4j.randn(1, new long[]{batch, 3, hw, hw});
    long[] outShape = g.outputSingle(false, x).shape();
    outShape[0] = batch;
    INDArray y = Nd4j.zeros(outShape);
    if (y.rank() == 2) y.getColumn(0).assign(1); else y.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0)).assign(1);
    Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    System.gc(); Thread.sleep(300);
    long before = kb("VmRSS:");
    long ws = 0;
    for (int k = 0; k < 3; k++) { g.fit(new INDArray[]{x}, new INDArray[]{y}); ws = Math.max(ws, workspaces()); }
    long state = bytes(g.params()) + bytes(g.getGradientsViewArray()) + bytes(g.getUpdater(false).getStateViewArray());
    long peak = kb("VmHWM:");
    double accounted = (ws + state + bytes(x) + bytes(y)) / 1048576.0, resident = (peak - before) / 1024.0;
    System.out.printf("%s batch %d: workspaces %.0f MiB + state %.0f MiB + batch = %.0f MiB accounted; resident growth %.0f MiB (VmHWM %.0f, before %.0f): resident / accounted %.2f%n",
        a[0], batch, ws / 1048576.0, state / 1048576.0, accounted, resident, peak / 1024.0, before / 1024.0, resident / accounted);
  }
}
