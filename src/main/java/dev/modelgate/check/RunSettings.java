package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.rule.Thresholds;

import java.nio.file.Path;
import java.util.List;

/**
 * Everything a run needs besides its files, as one immutable object of the core: what a command line says, and what
 * a Java caller builds directly. Validated on construction, so a Java caller meets the same errors as the CLI.
 *
 * @param check          the options of each check
 * @param isolation      {@code worker} (each check in a worker JVM: a native crash or hang costs one check) or
 *                       {@code none} (in this JVM)
 * @param threads        OMP_NUM_THREADS of the measuring JVM, or null for the default (1)
 * @param timeoutSeconds longest one check may take in a worker before it is stopped
 * @param backend        {@code cpu}, {@code cuda} or {@code auto}; null: $MODELGATE_BACKEND, else auto
 * @param thresholds     the thresholds file over the defaults, or null for the defaults alone
 * @param cacheDir       the measurement cache, or null for none
 * @param workerJvmOptions extra options for worker JVMs (MODELGATE_WORKER_OPTS)
 */
public record RunSettings(CheckOptions check, String isolation, Integer threads, double timeoutSeconds, String backend,
                          Path thresholds, Path cacheDir, List<String> workerJvmOptions) {
    public static final String DEFAULT_ISOLATION = "worker";
    public static final int DEFAULT_TIMEOUT_SECONDS = 600;

    public RunSettings {
        if (check == null) check = CheckOptions.RUN;
        if (isolation == null) isolation = DEFAULT_ISOLATION;
        if (!List.of("worker", "none").contains(isolation)) throw BadInputException.usage("--isolation must be worker or none, got '" + isolation + "'");
        if (!(timeoutSeconds > 0)) throw BadInputException.usage("--timeout must be a positive number of seconds, got " + timeoutSeconds);
        if (threads != null && (threads < 1 || threads > 1024)) throw BadInputException.usage("--threads must be between 1 and 1024, got " + threads);
        workerJvmOptions = workerJvmOptions == null ? List.of() : List.copyOf(workerJvmOptions);
    }

    /** The defaults: run mode, in a worker JVM, one thread, the CPU unless CUDA is asked for, default thresholds. */
    public static RunSettings defaults() {
        return new RunSettings(CheckOptions.RUN, DEFAULT_ISOLATION, null, DEFAULT_TIMEOUT_SECONDS, null, null, null, List.of());
    }

    public RunSettings withCheck(CheckOptions c) {
        return new RunSettings(c, isolation, threads, timeoutSeconds, backend, thresholds, cacheDir, workerJvmOptions);
    }

    public RunSettings withIsolation(String i) {
        return new RunSettings(check, i, threads, timeoutSeconds, backend, thresholds, cacheDir, workerJvmOptions);
    }

    public RunSettings withCacheDir(Path dir) {
        return new RunSettings(check, isolation, threads, timeoutSeconds, backend, thresholds, dir, workerJvmOptions);
    }

    /** Whether checks run in a worker JVM: with isolation worker, and only where something runs. */
    public boolean inWorker() {
        return isolation.equals("worker") && !check.staticOnly();
    }

    /** The thresholds in effect: the defaults, with the thresholds file over them. */
    public Thresholds loadThresholds() {
        Thresholds t = Thresholds.defaults();
        return thresholds == null ? t : t.overlay(thresholds);
    }
}
