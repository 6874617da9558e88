package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import dev.modelgate.probe.MemoryEstimate;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MemoryGuardTest {
    @TempDir Path dir;
    static final String HUGE = "input: {features: 64}\nlayers:\n  - {name: huge, type: dense, units: 2000000000}\noutput: {classes: 10}\n";

    @Test
    void aTwoBillionUnitLayerIsRefusedBeforeAnythingIsAllocated() throws Exception {
        // A child JVM: its memory and time are this check's alone (ND4J would take seconds and gigabytes to load).
        Path huge = TestFiles.write(dir, "huge.yaml", HUGE);
        long start = System.nanoTime();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), "dev.modelgate.cli.Main", "check", "samples/mlp/original.yaml", huge.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(2, p.waitFor(), out);
        double seconds = (System.nanoTime() - start) / 1e9;
        // The whole child JVM, start-up included: 0.6 s on an idle machine, 6.2 s once at a load average of 12 on 2
        // cores; the bad-input contract's 15 s is the bound (allocating terabytes would take far longer, or fail).
        assertTrue(seconds < 15, "refused in " + seconds + " s");
        assertTrue(out.startsWith("modelgate: error: " + huge + ": training needs about 3.7 TiB"), out);
        assertTrue(out.contains("--max-memory") && out.contains("nothing was allocated"), out);
    }

    @Test
    void theLimitIsConfigurableAndChecksBothModelsTogether() {
        Path a = Path.of("samples/lenet/original.yaml"), b = Path.of("samples/lenet/conv2-4x.yaml");
        Checker checker = new Checker(Thresholds.defaults());
        BadInputException small = assertThrows(BadInputException.class, () -> checker.check(a, b, CheckOptions.RUN.withMaxMemory(1 << 20)));
        assertTrue(small.getMessage().contains("more than the 1.0 MiB allowed"), small.getMessage());
        ResolvedModel ma = ModelLoader.loadResolved(a, Optional.empty()), mb = ModelLoader.loadResolved(b, Optional.empty());
        long ea = MemoryEstimate.of(ma, StructureProbe.measure(ma), 32).total(), eb = MemoryEstimate.of(mb, StructureProbe.measure(mb), 32).total();
        long between = Math.max(ea, eb) + (ea + eb - Math.max(ea, eb)) / 2; // enough for either alone, not for both
        BadInputException both = assertThrows(BadInputException.class, () -> MemoryGuard.check(ma, StructureProbe.measure(ma), mb, StructureProbe.measure(mb),
                CheckOptions.RUN.withMaxMemory(between)));
        assertTrue(both.getMessage().contains("timing holds both models"), both.getMessage());
    }

    @Test
    void theEstimateIsInTheRightRange() {
        // LeNet, 431,080 parameters, batch 32, Nesterov: parameters x 4 bytes x 3 = 5.2 MB; activations a few MB.
        ResolvedModel m = ModelLoader.loadResolved(Path.of("samples/lenet/original.yaml"), Optional.empty());
        MemoryEstimate e = MemoryEstimate.of(m, StructureProbe.measure(m), 32);
        assertEquals(431_080L * 4 * 3, e.parameterBytes());
        assertTrue(e.total() > 5e6 && e.total() < 100e6, MemoryEstimate.human(e.total()));
    }
}
