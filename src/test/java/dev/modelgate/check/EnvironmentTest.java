package dev.modelgate.check;

import dev.modelgate.TestFiles;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.render.JsonRenderer;
import dev.modelgate.render.Style;
import dev.modelgate.render.TextRenderer;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every report says where it was measured: the backend that actually loaded (read back, not assumed), the device,
 * threads and library versions; and a worker that loaded something other than what was required measures nothing.
 */
class EnvironmentTest {
    @TempDir Path dir;
    static final Path MLP = Path.of("samples/mlp/original.yaml");
    static final CheckOptions FAST = CheckOptions.RUN.withTimeBudget(1).withIterations(2);

    /** This machine's CPU model as /proc/cpuinfo names it, read independently of modelgate. */
    static String cpuModel() throws Exception {
        Path cpuinfo = Path.of("/proc/cpuinfo");
        if (!Files.isReadable(cpuinfo)) return null;
        return Files.readAllLines(cpuinfo, StandardCharsets.UTF_8).stream().filter(l -> l.startsWith("model name"))
                .map(l -> l.substring(l.indexOf(':') + 1).trim().replaceAll("\\s+", " ")).findFirst().orElse(null);
    }

    static void assertMeasuredOnThisCpu(Environment e) throws Exception {
        assertEquals("cpu", e.backend(), "this machine has no GPU and this build no CUDA backend");
        assertTrue(e.device() != null && !e.device().isBlank(), "a device");
        String model = cpuModel();
        if (model != null) assertTrue(e.device().contains(model), e.device() + " names the CPU model " + model);
        assertTrue(e.device().contains(Runtime.getRuntime().availableProcessors() + " core"), e.device());
        assertEquals("1", e.threads(), "OMP_NUM_THREADS=1 (surefire, and the worker's default)");
        assertEquals("1.0.0-M2.1", e.libraries().get("deeplearning4j"), e.libraries().toString());
        assertEquals("1.0.0-M2.1", e.libraries().get("nd4j-native"), e.libraries().toString());
        assertTrue(e.libraries().containsKey("javacpp"), e.libraries().toString());
    }

    Path noTiming() {
        return TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
    }

    @Test
    void aRunInThisJvmRecordsTheCpuItRanOn() throws Exception {
        CheckReport r = new Checker(Thresholds.defaults().overlay(noTiming())).check(MLP, MLP, FAST);
        assertMeasuredOnThisCpu(r.environment());
        // ... in every format that shows the environment, and through JSON and back (merge).
        String json = new JsonRenderer().render(r);
        assertEquals(r.environment(), ReportCodec.entries(json).get(0).report().environment());
        String text = new TextRenderer(Style.PLAIN).render(r);
        assertTrue(text.contains("environment: backend cpu, device " + r.environment().device() + ", threads 1, java "), text);
        assertTrue(text.contains("libraries: deeplearning4j 1.0.0-M2.1, nd4j-native 1.0.0-M2.1"), text);
    }

    @Test
    void aRunInAWorkerRecordsWhatTheWorkerLoaded() throws Exception {
        try (WorkerRunner w = new WorkerRunner(new WorkerRunner.Settings("1", 120, noTiming(), null, List.of()))) {
            BackendProbe.Loaded loaded = w.start();
            assertEquals("cpu", loaded.backend());
            assertNull(loaded.cudaSkipped());
            CheckReport r = w.check(MLP, MLP, FAST);
            assertMeasuredOnThisCpu(r.environment());
            assertEquals(loaded.device(), r.environment().device());
            assertEquals(r.environment(), Environments.here(false), "the same, whether read here or taken from the worker: one CPU");
        }
    }

    @Test
    void aStaticRunLoadsNoBackendButStillNamesTheMachine() {
        Environment e = Environments.here(true);
        assertEquals("none (static)", e.backend());
        assertEquals(BackendProbe.cpuDevice(), e.device());
        assertEquals("1.0.0-M2.1", e.libraries().get("deeplearning4j"));
    }

    @Test
    void theWorkerIsStartedWithTheBackendAskedFor() {
        assertEquals(Map.of("BACKEND_PRIORITY_CPU", "100", "BACKEND_PRIORITY_GPU", "0"), BackendChoice.environment("cpu"));
        assertEquals(Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100"), BackendChoice.environment("auto"));
        assertEquals(Map.of("BACKEND_PRIORITY_CPU", "0", "BACKEND_PRIORITY_GPU", "100"), BackendChoice.environment("cuda"));
        assertThrows(IllegalArgumentException.class, () -> new WorkerRunner.Settings("1", 1, null, null, List.of(), "gpu"));
        assertEquals("cpu", new WorkerRunner.Settings("1", 1, null, null, List.of()).backend(), "the default build's choice");
    }

    @Test
    void aWorkerThatFellBackToTheCpuMeasuresNothingWhenCudaWasRequired() {
        BackendProbe.Loaded cpu = new BackendProbe.Loaded("cpu", "AMD EPYC (2 cores)", "1", 1, Map.of(),
                "java.lang.RuntimeException: No CUDA devices were found in system");
        BackendProbe.Loaded cuda = new BackendProbe.Loaded("cuda", "Tesla T4 (compute 7.5, 14.8 GiB)", "1", 1, Map.of(), null);
        String refused = WorkerRunner.refusal("cuda", cpu);
        assertTrue(refused.startsWith("the CUDA backend was required but did not load in the worker JVM (ND4J loaded cpu; it skipped CUDA: "
                + "java.lang.RuntimeException: No CUDA devices were found in system)"), refused);
        assertNull(WorkerRunner.refusal("cuda", cuda));
        assertNull(WorkerRunner.refusal("auto", cpu), "auto accepts the CPU (and the report says so)");
        assertNull(WorkerRunner.refusal("auto", cuda));
        assertNull(WorkerRunner.refusal("cpu", cpu));
        assertTrue(WorkerRunner.refusal("cpu", cuda).startsWith("the CPU backend was required"));
    }
}
