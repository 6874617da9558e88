package dev.modelgate.probe;

import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.nativeblas.NativeOpsHolder;

/**
 * The native thread count of this JVM's ND4J, changed at run time. Measured on ND4J 1.0.0-M2.1 (docs/benchmarks.md):
 * only the OpenMP setting of libnd4j and OpenBLAS's own together make the native work single-threaded (each alone
 * leaves some ops on two threads), and both can be raised again afterwards; ND4J's
 * {@code Environment.setMaxThreads} alone changes nothing measurable. So a health probe (numbers that do not depend
 * on the thread count) uses every core, and timing the threads it was asked for, as do two health probes interleaved
 * (their iterations are timing pairs too).
 */
public final class NativeThreads {
    private NativeThreads() {}

    /** Threads the timing runs with: OMP_NUM_THREADS as this JVM was started with (1 from the launcher), else the cores. */
    public static int configured() {
        String env = System.getenv("OMP_NUM_THREADS");
        try {
            if (env != null) return Math.max(1, Integer.parseInt(env.trim()));
        } catch (NumberFormatException e) {
            // fall through
        }
        return cores();
    }

    public static int cores() {
        return Runtime.getRuntime().availableProcessors();
    }

    /** Sets libnd4j's OpenMP threads, OpenBLAS's threads and ND4J's own thread limits to {@code n}; false where the backend refuses. */
    public static boolean set(int n) {
        try {
            NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(n);
            Nd4j.factory().blas().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxThreads(n);
            Nd4j.getEnvironment().setMaxMasterThreads(n);
            return true;
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    /** The OpenMP thread count libnd4j reports now. */
    public static int current() {
        try {
            return NativeOpsHolder.getInstance().getDeviceNativeOps().ompGetMaxThreads();
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
