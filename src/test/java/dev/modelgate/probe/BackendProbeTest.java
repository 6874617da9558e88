package dev.modelgate.probe;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The pure parts of reading back what ND4J loaded, on inputs a GPU machine would give, and the real thing on this one. */
class BackendProbeTest {
    @Test
    void backendNamesFromTheLoadedClass() {
        assertEquals("cpu", BackendProbe.backendName("org.nd4j.linalg.cpu.nativecpu.CpuBackend"));
        assertEquals("cuda", BackendProbe.backendName("org.nd4j.linalg.jcublas.JCublasBackend"));
        assertEquals("aurorabackend", BackendProbe.backendName("org.nd4j.linalg.aurora.AuroraBackend"));
    }

    @Test
    void theCpuModelFromProcCpuinfo() {
        List<String> x86 = List.of("processor\t: 0", "vendor_id\t: AuthenticAMD", "model name\t: AMD EPYC 7B13 64-Core Processor", "",
                "processor\t: 1", "model name\t: AMD EPYC 7B13 64-Core Processor");
        assertEquals("AMD EPYC 7B13 64-Core Processor", BackendProbe.cpuModel(x86));
        assertEquals("ARMv7 Processor rev 4 (v7l)", BackendProbe.cpuModel(List.of("processor : 0", "Processor : ARMv7 Processor rev 4 (v7l)")));
        assertNull(BackendProbe.cpuModel(List.of("processor\t: 0", "BogoMIPS\t: 50.00")), "aarch64 often names no model");
        assertEquals("AMD EPYC (2 cores)", BackendProbe.cpuDevice("AMD EPYC", 2, "amd64"));
        assertEquals("CPU (aarch64, 1 core)", BackendProbe.cpuDevice(null, 1, "aarch64"));
    }

    @Test
    void theGpuNameFromNd4jsEnvironmentInformation() {
        // The shape of Nd4j.getExecutioner().getEnvironmentInformation().get("cuda.devicesInformation") (keys from Nd4jEnvironment).
        Map<String, Object> rtx = Map.of("cuda.deviceName", "NVIDIA GeForce RTX 3090", "cuda.deviceMajor", 8, "cuda.deviceMinor", 6,
                "cuda.totalMemory", 25_769_803_776L, "cuda.freeMemory", 1L);
        Map<String, Object> t4 = Map.of("cuda.deviceName", "Tesla T4", "cuda.deviceMajor", 7, "cuda.deviceMinor", 5, "cuda.totalMemory", 15_843_721_216L);
        assertEquals("NVIDIA GeForce RTX 3090 (compute 8.6, 24.0 GiB)", BackendProbe.gpuDevice(List.of(rtx), 0));
        assertEquals("Tesla T4 (compute 7.5, 14.8 GiB, device 1 of 2)", BackendProbe.gpuDevice(List.of(rtx, t4), 1));
        assertEquals("CUDA device (ND4J gave no device information)", BackendProbe.gpuDevice(null, 0));
    }

    @Test
    void whyNd4jSkippedCudaFromWhatItPrinted() {
        // nd4j-cuda prints the root cause's stack trace, then Nd4jBackend logs the skip (the exception on the next line, via logback).
        String printed = "java.lang.UnsatisfiedLinkError: no jnicudart in java.library.path: /usr/java/packages/lib:/usr/lib64\n"
                + "\tat java.base/java.lang.ClassLoader.loadLibrary(ClassLoader.java:2434)\n"
                + "WARN  o.n.l.f.Nd4jBackend - Skipped [JCublasBackend] backend (unavailable): {}\n"
                + "java.lang.RuntimeException: java.lang.UnsatisfiedLinkError: no jnicudart in java.library.path: /usr/java/packages/lib:/usr/lib64\n"
                + "\tat org.nd4j.linalg.jcublas.JCublasBackend.isAvailable(JCublasBackend.java:57)\n";
        assertEquals("java.lang.RuntimeException: java.lang.UnsatisfiedLinkError: no jnicudart in java.library.path: /usr/java/packages/lib:/usr/lib64",
                BackendProbe.skippedReason(printed, "JCublasBackend"));
        assertEquals("java.lang.RuntimeException: No CUDA devices were found in system", BackendProbe.skippedReason(
                "WARN  o.n.l.f.Nd4jBackend - Skipped [JCublasBackend] backend (unavailable): java.lang.RuntimeException: No CUDA devices were found in system\n",
                "JCublasBackend"));
        assertEquals("java.lang.RuntimeException: No CUDA devices were found in system", BackendProbe.skippedReason(
                "java.lang.RuntimeException: No CUDA devices were found in system\n\tat org.nd4j.linalg.jcublas.JCublasBackend.canRun(JCublasBackend.java:70)\n",
                "JCublasBackend"), "the stack trace alone (logging off)");
        assertNull(BackendProbe.skippedReason("", "JCublasBackend"));
        assertNull(BackendProbe.skippedReason("INFO  o.n.l.f.Nd4jBackend - Loaded [CpuBackend] backend\n", "JCublasBackend"));
    }

    @Test
    void helpersAndThreads() {
        assertEquals("", BackendProbe.helpers(" GCC: \"7.5.0\"\nSTD version: 201103L\nDEFAULT_ENGINE: samediff::ENGINE_CPU\nHAVE_FLATBUFFERS\nHAVE_OPENBLAS\n"));
        assertEquals("cudnn", BackendProbe.helpers("CUDA: 11.6\nHAVE_FLATBUFFERS\nHAVE_CUDNN\n"));
        assertEquals("onednn", BackendProbe.helpers("HAVE_FLATBUFFERS\nHAVE_ONEDNN\nHAVE_OPENBLAS\n"));
        assertEquals("1", BackendProbe.threads("1", 1));
        assertEquals("2 (OMP_NUM_THREADS unset: ND4J's default)", BackendProbe.threads(null, 2));
        assertEquals("default (OMP_NUM_THREADS unset)", BackendProbe.threads(null, null));
    }

    @Test
    void onThisMachineNd4jLoadsItsCpuBackendOnThisCpu() {
        BackendProbe.Loaded l = BackendProbe.load();
        assertEquals("cpu", l.backend(), "this machine has no GPU and this build no CUDA backend");
        assertTrue(BackendProbe.loadedHere());
        assertEquals(BackendProbe.cpuDevice(), l.device());
        assertTrue(l.device().endsWith("(" + Runtime.getRuntime().availableProcessors() + " cores)")
                || l.device().endsWith("(1 core)"), l.device());
        assertEquals("1.0.0-M2.1", l.libraries().get("deeplearning4j"), l.libraries().toString());
        assertEquals("1.0.0-M2.1", l.libraries().get("nd4j-native"), l.libraries().toString());
        assertEquals("OPENBLAS", l.libraries().get("blas"), l.libraries().toString());
        assertTrue(l.libraries().containsKey("openblas") && l.libraries().containsKey("javacpp"), l.libraries().toString());
        assertNull(l.cudaSkipped());
        assertEquals(System.getenv("OMP_NUM_THREADS"), l.threads(), "surefire sets OMP_NUM_THREADS=1");
    }
}
