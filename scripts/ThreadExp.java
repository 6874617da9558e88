import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.ops.transforms.Transforms;
import java.lang.management.ManagementFactory;

public class ThreadExp {
    static com.sun.management.OperatingSystemMXBean os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    static INDArray a = Nd4j.rand(DataType.FLOAT, 1024, 1024), b = Nd4j.rand(DataType.FLOAT, 1024, 1024);
    static INDArray big = Nd4j.rand(DataType.FLOAT, 32, 64, 56, 56);
    static INDArray convIn = Nd4j.rand(DataType.FLOAT, 16, 32, 56, 56), convW = Nd4j.rand(DataType.FLOAT, 3, 3, 32, 64);

    static void run(String label) {
        for (int w = 0; w < 3; w++) { a.mmul(b); Transforms.exp(big, true); conv(); }
        double[] r = new double[3];
        String[] names = {"gemm 1024", "exp 6.4M", "conv2d"};
        for (int k = 0; k < 3; k++) {
            long c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            for (int i = 0; i < 20; i++) {
                if (k == 0) a.mmul(b); else if (k == 1) Transforms.exp(big, true); else conv();
            }
            double wall = (System.nanoTime() - t0) / 1e6, cpu = (os.getProcessCpuTime() - c0) / 1e6;
            System.out.printf("%-40s %-10s wall %8.1f ms  cpu %8.1f ms  cpu/wall %.2f%n", label, names[k], wall / 20, cpu / 20, cpu / wall);
        }
    }
    static void conv() {
        org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig c = org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(1).pW(1).dH(1).dW(1).build();
        Nd4j.cnn().conv2d(convIn, convW, c);
    }
    public static void main(String[] args) {
        System.out.println("OMP_NUM_THREADS=" + System.getenv("OMP_NUM_THREADS") + " maxThreads=" + Nd4j.getEnvironment().maxThreads() + " omp=" + org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads() + " blas=" + Nd4j.factory().blas().getMaxThreads());
        run("default");
        String mode = args.length > 0 ? args[0] : "all";
        if (mode.equals("all") || mode.equals("env")) { Nd4j.getEnvironment().setMaxThreads(1); run("Environment.setMaxThreads(1)"); }
        if (mode.equals("all") || mode.equals("master")) { Nd4j.getEnvironment().setMaxMasterThreads(1); run("+Environment.setMaxMasterThreads(1)"); }
        if (mode.equals("all") || mode.equals("omp")) { org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1); run("+NativeOps.setOmpNumThreads(1)"); }
        if (mode.equals("all") || mode.equals("blas")) { Nd4j.factory().blas().setMaxThreads(1); run("+blas().setMaxThreads(1) (openblas_set_num_threads)"); }
        if (mode.equals("set1")) { Nd4j.getEnvironment().setMaxThreads(1); Nd4j.getEnvironment().setMaxMasterThreads(1); org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1); Nd4j.factory().blas().setMaxThreads(1); run("all four set to 1"); }
        if (mode.equals("ompblas")) { org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1); Nd4j.factory().blas().setMaxThreads(1); run("omp+blas set to 1"); }
        System.out.println("now omp=" + org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads() + " blas=" + Nd4j.factory().blas().getMaxThreads());
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(2); Nd4j.factory().blas().setMaxThreads(2); Nd4j.getEnvironment().setMaxThreads(2); Nd4j.getEnvironment().setMaxMasterThreads(2);
        run("back to 2 (omp+blas+env)");
    }
}
