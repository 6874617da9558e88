package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RelauncherTest {
    static String wanted(String... args) {
        return Relauncher.wantedThreads(args);
    }

    @Test
    void runsThatLoadDl4jHereWantOneThreadUnlessTold() {
        assertEquals("1", wanted("inspect", "a.yaml"));
        assertEquals("1", wanted("check", "a.yaml", "b.yaml", "--isolation", "none"));
        assertEquals("4", wanted("check", "a.yaml", "b.yaml", "--isolation", "none", "--threads", "4"));
        assertEquals("2", wanted("inspect", "a.yaml", "--threads=2"));
    }

    @Test
    void checksInAWorkerNeedNoRelaunch() {
        assertNull(wanted("check", "a.yaml", "b.yaml"), "the worker JVM is started with the setting");
        assertNull(wanted("audit", "dir", "--threads", "4"));
    }

    @Test
    void runsThatLoadNothingNativeAreNotRelaunched() {
        assertNull(wanted("check", "a.yaml", "b.yaml", "--static"));
        assertNull(wanted("rules"));
        assertNull(wanted("--version"));
        assertNull(wanted("check", "--help"));
        assertNull(wanted());
    }

    @Test
    void aMalformedThreadCountIsLeftToTheUsageError() {
        assertNull(wanted("inspect", "a", "--threads", "zero"));
        assertNull(wanted("inspect", "a", "--threads", "0"));
    }

    @Test
    void inACudaBuildAnInProcessRunIsRestartedWithTheBackendItAskedFor() {
        assertEquals(java.util.Map.of(), Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml", "--backend", "cpu"}, null, false),
                "the CPU-only build has one backend: nothing to set");
        assertEquals(java.util.Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0"),
                Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml", "--backend", "cpu"}, "cuda", true));
        assertEquals(java.util.Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100"),
                Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml"}, null, true), "auto: CUDA first");
        assertEquals(java.util.Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0"),
                Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml"}, "CPU", true), "MODELGATE_BACKEND");
        assertEquals(java.util.Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100"),
                Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml", "--backend=cuda"}, "cpu", true), "the option wins");
        assertEquals(java.util.Map.of(), Relauncher.wantedBackendEnvironment(new String[] {"inspect", "a.yaml", "--backend", "tpu"}, null, true),
                "left to the usage error");
    }
}
