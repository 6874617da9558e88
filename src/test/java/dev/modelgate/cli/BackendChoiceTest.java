package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendChoiceTest {
    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverAuto() {
        assertEquals("cpu", BackendChoice.resolve(null, null, false));
        assertEquals("cpu", BackendChoice.resolve("cpu", "cuda", false), "--backend cpu overrides MODELGATE_BACKEND=cuda");
        UsageException env = assertThrows(UsageException.class, () -> BackendChoice.resolve(null, "CUDA", false));
        assertTrue(env.getMessage().startsWith("MODELGATE_BACKEND cuda: this build of modelgate has no CUDA backend"), env.getMessage());
        assertThrows(UsageException.class, () -> BackendChoice.resolve(null, "gpu", false));
    }

    @Test
    void cudaIsNeverASilentCpuRun() {
        UsageException noBuild = assertThrows(UsageException.class, () -> BackendChoice.resolve("cuda", null, false));
        assertTrue(noBuild.getMessage().contains("CUDA") && noBuild.getMessage().contains("-Pcuda"), noBuild.getMessage());
        UsageException withBuild = assertThrows(UsageException.class, () -> BackendChoice.resolve("cuda", null, true));
        assertTrue(withBuild.getMessage().contains("CUDA"), withBuild.getMessage());
    }

    @Test
    void thisBuildHasNoCudaBackend() {
        assertFalse(BackendChoice.cudaOnClasspath(), "the default build is CPU-only (nd4j-native linux-x86_64)");
    }
}
