package dev.modelgate.check;

import dev.modelgate.probe.BackendProbe;
import dev.modelgate.report.Environment;

/**
 * Where models are measured: the backend ND4J actually loaded in this JVM (read, not assumed), the device (CPU model
 * or GPU name), the thread setting, and library versions. A report measured in a worker JVM carries the worker's
 * environment, computed there; static runs load nothing: backend "none (static)", this machine's CPU.
 */
public final class Environments {
    private Environments() {}

    /** Of this JVM; loads ND4J unless {@code staticOnly}. */
    public static Environment here(boolean staticOnly) {
        String java = System.getProperty("java.version"), os = System.getProperty("os.name") + " " + System.getProperty("os.arch");
        if (staticOnly) {
            return new Environment("none (static)", BackendProbe.cpuDevice(), threads(), java, os, Version.get(), BackendProbe.staticLibraries());
        }
        BackendProbe.Loaded l = BackendProbe.load();
        return new Environment(l.backend(), l.device(), l.threads() == null ? threads() : l.threads(), java, os, Version.get(), l.libraries());
    }

    static String threads() {
        String threads = System.getenv("OMP_NUM_THREADS");
        return threads == null ? "default (OMP_NUM_THREADS unset)" : threads;
    }
}
