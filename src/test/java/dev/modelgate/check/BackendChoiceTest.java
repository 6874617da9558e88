package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BackendChoiceTest {
    @Test
    void theOptionWinsOverTheEnvironmentWhichWinsOverAuto() {
        assertEquals("cpu", BackendChoice.resolve(null, null, false));
        assertEquals("cpu", BackendChoice.resolve("cpu", "cuda", false), "--backend cpu overrides MODELGATE_BACKEND=cuda");
        BadInputException env = assertThrows(BadInputException.class, () -> BackendChoice.resolve(null, "CUDA", false));
        assertTrue(env.getMessage().startsWith("MODELGATE_BACKEND cuda: this build of modelgate has no CUDA backend"), env.getMessage());
        assertThrows(BadInputException.class, () -> BackendChoice.resolve(null, "gpu", false));
    }

    @Test
    void cudaIsNeverASilentCpuRun() {
        BadInputException noBuild = assertThrows(BadInputException.class, () -> BackendChoice.resolve("cuda", null, false));
        assertTrue(noBuild.getMessage().contains("CUDA") && noBuild.getMessage().contains("-Pcuda"), noBuild.getMessage());
        // A CUDA build accepts the request, tries CUDA first, and refuses what loaded unless it is CUDA.
        BackendChoice.Choice cuda = BackendChoice.choose("cuda", null, true);
        assertEquals("cuda", cuda.preferred());
        assertEquals("cuda", cuda.worker());
        assertTrue(cuda.needsVerification());
        BadInputException withBuild = assertThrows(BadInputException.class, () -> BackendChoice.verify(cuda, "cpu",
                "java.lang.RuntimeException: java.lang.UnsatisfiedLinkError: no jnicudart in java.library.path: /usr/lib"));
        assertEquals("--backend cuda: the CUDA backend did not load (CUDA 11.6 libraries missing: jnicudart not found in java.library.path); "
                + "ND4J fell back to cpu and nothing was measured; use --backend cpu or auto", withBuild.getMessage());
        assertFalse(withBuild.getMessage().contains("\n"), "one line");
        BadInputException noDevice = assertThrows(BadInputException.class, () -> BackendChoice.verify(BackendChoice.choose(null, "cuda", true), "cpu",
                "java.lang.RuntimeException: No CUDA devices were found in system"));
        assertTrue(noDevice.getMessage().startsWith("MODELGATE_BACKEND cuda: the CUDA backend did not load (no CUDA device found)"), noDevice.getMessage());
        assertNull(BackendChoice.verify(cuda, "cuda", null), "CUDA loaded: nothing to say");
    }

    @Test
    void autoInACudaBuildTriesCudaFirstAndSaysWhenItFellBackToTheCpu() {
        BackendChoice.Choice auto = BackendChoice.choose(null, null, true);
        assertEquals("auto", auto.requested());
        assertEquals("cuda", auto.preferred());
        assertEquals("auto", auto.worker(), "the worker puts CUDA first and may fall back");
        assertNull(BackendChoice.verify(auto, "cuda", null));
        String note = BackendChoice.verify(auto, "cpu", "java.lang.RuntimeException: No CUDA devices were found in system");
        assertEquals("modelgate: note: backend auto: the CUDA backend did not load (no CUDA device found); measuring on the cpu instead "
                + "(the report says so)", note);
    }

    @Test
    void theCpuOnlyBuildHasNothingToVerify() {
        for (String option : new String[] {null, "auto", "cpu"}) {
            BackendChoice.Choice c = BackendChoice.choose(option, null, false);
            assertEquals("cpu", c.preferred());
            assertEquals("cpu", c.worker());
            assertFalse(c.needsVerification(), "one backend: nothing else can load");
        }
    }

    @Test
    void cpuInACudaBuildPutsTheCpuFirstAndRefusesAnythingElse() {
        BackendChoice.Choice cpu = BackendChoice.choose("cpu", "cuda", true);
        assertEquals("cpu", cpu.preferred());
        assertEquals("cpu", cpu.worker());
        assertNull(BackendChoice.verify(cpu, "cpu", null));
        BadInputException e = assertThrows(BadInputException.class, () -> BackendChoice.verify(cpu, "cuda", null));
        assertTrue(e.getMessage().startsWith("--backend cpu: ND4J loaded its cuda backend"), e.getMessage());
    }

    @Test
    void whyCudaDidNotLoadInAFewWords() {
        assertEquals("no CUDA device found", BackendChoice.why("java.lang.RuntimeException: No CUDA devices were found in system"));
        assertEquals("the NVIDIA driver is too old for CUDA 11.6",
                BackendChoice.why("java.lang.RuntimeException: CUDA driver version is insufficient for CUDA runtime version"));
        assertEquals("CUDA 11.6 libraries missing: libcudart.so.11.0 not found",
                BackendChoice.why("java.lang.UnsatisfiedLinkError: libcudart.so.11.0: cannot open shared object file: No such file or directory"));
        // Measured here, with a -Pcuda build on this machine (no GPU, no NVIDIA driver): what ND4J gave as its reason.
        assertEquals("no NVIDIA driver: libcuda.so.1 not found", BackendChoice.why("java.lang.UnsatisfiedLinkError: /root/.javacpp/cache/"
                + "cuda-11.6-8.3-1.5.7-linux-x86_64.jar/org/bytedeco/cuda/linux-x86_64/libjnicudart.so: libcuda.so.1: cannot open shared object file: "
                + "No such file or directory"));
        assertEquals("CUDA 11.6 libraries missing: java.lang.NoClassDefFoundError: Could not initialize class org.bytedeco.cuda.global.cudart",
                BackendChoice.why("java.lang.NoClassDefFoundError: Could not initialize class org.bytedeco.cuda.global.cudart"));
        assertTrue(BackendChoice.why(null).contains("ND4J gave no reason"));
        assertEquals("ND4J: java.lang.IllegalStateException: something else", BackendChoice.why("java.lang.IllegalStateException: something else\n\tat x"));
        assertTrue(BackendChoice.why("x".repeat(500)).length() < 200, "shortened");
    }

    @Test
    void thisBuildHasNoCudaBackend() {
        assertFalse(BackendChoice.cudaOnClasspath(), "the default build is CPU-only (nd4j-native linux-x86_64)");
    }
}
