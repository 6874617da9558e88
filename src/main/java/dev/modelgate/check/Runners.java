package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.spec.Hdf5Reader;

import java.util.List;
import java.util.function.Consumer;

/**
 * Where checks run, chosen from {@link RunSettings}: a worker JVM (started with the thread setting and ND4J's backend
 * priorities, replaced after a crash or timeout) or this JVM. The backend asked for is checked against what loaded
 * before anything is measured, so a CUDA run that fell back to the CPU is one error, not one per config of an audit.
 */
public final class Runners {
    private Runners() {}

    /** @param notes receives one-line notes for stderr (e.g. backend auto fell back to the CPU) */
    public static CheckRunner open(RunSettings s, Consumer<String> notes) {
        BackendChoice.Choice choice = BackendChoice.choose(s.backend(), System.getenv("MODELGATE_BACKEND"), BackendChoice.cudaOnClasspath());
        if (!s.inWorker()) {
            prepareThisJvm(s, choice, notes);
            return new Checker(s.loadThresholds(), s.cacheDir() == null ? null : new MeasurementCache(s.cacheDir()), hdf5Reader(s, choice));
        }
        s.loadThresholds(); // a bad thresholds file is one error here, before a worker starts
        WorkerRunner worker = worker(s, choice);
        if (choice.needsVerification()) {
            String note;
            try {
                BackendProbe.Loaded loaded = worker.start();
                note = BackendChoice.verify(choice, loaded.backend(), loaded.cudaSkipped());
            } catch (RuntimeException e) {
                worker.close();
                throw e;
            }
            if (note != null) notes.accept(note);
        }
        return worker;
    }

    private static WorkerRunner worker(RunSettings s, BackendChoice.Choice choice) {
        return new WorkerRunner(settings(s, choice));
    }

    private static WorkerRunner.Settings settings(RunSettings s, BackendChoice.Choice choice) {
        return new WorkerRunner.Settings(s.threads() == null ? "1" : s.threads().toString(),
                s.timeoutSeconds(), s.thresholds(), s.cacheDir(), withPhysicalLimit(s.workerJvmOptions(), s.check().maxMemory()), choice.worker());
    }

    /**
     * How this JVM reads Keras HDF5 files (for static checks, inspect, an audit's reading of its configs): a worker JVM
     * started on first use, whose crash or hang on a damaged file costs that file (a damaged file can crash the HDF5
     * library); in this JVM only with {@code --isolation none}. Close it when done.
     */
    public static Hdf5Reader hdf5Reader(RunSettings s) {
        return hdf5Reader(s, BackendChoice.choose(s.backend(), System.getenv("MODELGATE_BACKEND"), BackendChoice.cudaOnClasspath()));
    }

    private static Hdf5Reader hdf5Reader(RunSettings s, BackendChoice.Choice choice) {
        return s.isolation().equals("none") ? Hdf5Reader.IN_THIS_JVM : WorkerRunner.reader(settings(s, choice));
    }

    /**
     * The worker's resident memory is capped through JavaCPP's own limit at {@code --max-memory} plus
     * {@link #JVM_ALLOWANCE} for the JVM and the native libraries, and never above 80% of this machine's memory
     * (past which the kernel kills it). JavaCPP frees native arrays only when their Java objects are collected, and
     * it forces a collection when an allocation would pass the limit: without a limit near what the run needs, the
     * garbage of thousands of timing calls piles up to whatever the machine has (the zoo ResNet-50 pair's worker
     * grew to 14.9 GiB, docs/benchmarks.md). Past the limit, an allocation that a collection cannot make room for
     * fails as an out-of-memory, which the worker reports (the check then says how far it got, exit 4) instead of
     * vanishing with exit 137. A limit the user set in MODELGATE_WORKER_OPTS stands.
     */
    static List<String> withPhysicalLimit(List<String> jvmOptions, long maxMemory) {
        if (jvmOptions.stream().anyMatch(o -> o.startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes="))) return jvmOptions;
        List<String> out = new java.util.ArrayList<>(jvmOptions);
        out.add(0, "-Dorg.bytedeco.javacpp.maxphysicalbytes=" + physicalLimit(maxMemory, totalMemory()));
        return out;
    }

    /** Resident memory of a worker before a model is built: the JVM, ND4J's native libraries and their pools (measured ~0.3 GiB). */
    static final long JVM_ALLOWANCE = 1L << 30;

    static long physicalLimit(long maxMemory, long machine) {
        long limit = maxMemory >= Long.MAX_VALUE - JVM_ALLOWANCE ? Long.MAX_VALUE : maxMemory + JVM_ALLOWANCE;
        return Math.min(limit, (long) (machine * 0.8));
    }

    private static long totalMemory() {
        try {
            return ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        } catch (RuntimeException | LinkageError e) {
            return 8L << 30;
        }
    }

    /**
     * For measuring in this JVM ({@code inspect}, {@code --isolation none}): the thread setting must already be in
     * force (ND4J reads it once, at load), and a CUDA build checks which backend loaded.
     */
    public static void prepareThisJvm(RunSettings s, Consumer<String> notes) {
        prepareThisJvm(s, BackendChoice.choose(s.backend(), System.getenv("MODELGATE_BACKEND"), BackendChoice.cudaOnClasspath()), notes);
    }

    private static void prepareThisJvm(RunSettings s, BackendChoice.Choice choice, Consumer<String> notes) {
        if (s.check().staticOnly()) return;
        if (s.threads() != null && !String.valueOf(s.threads()).equals(System.getenv("OMP_NUM_THREADS"))) {
            // The launcher normally restarts the JVM with the setting before ND4J loads; this is the in-process path (tests, Java callers).
            throw BadInputException.usage("--threads " + s.threads() + " needs OMP_NUM_THREADS=" + s.threads()
                    + " before DL4J loads; run modelgate through its launcher or main(), or set it in the environment");
        }
        if (choice.needsVerification()) {
            BackendProbe.Loaded loaded = BackendProbe.load();
            String note = BackendChoice.verify(choice, loaded.backend(), loaded.cudaSkipped());
            if (note != null) notes.accept(note);
        }
    }
}
