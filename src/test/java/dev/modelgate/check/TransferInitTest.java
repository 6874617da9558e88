package dev.modelgate.check;

import dev.modelgate.TestFiles;
import dev.modelgate.cli.Cli;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.probe.StructureProbe;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code init: from-original}: a modification starts its matched layers from the original's trained weights. */
class TransferInitTest {
    /** Keras's small CNN, saved with its weights; a modification widens fc1, so fc1 and output cannot be copied. */
    static final Path TRAINED = Path.of("src/test/resources/keras/small-cnn.h5");

    @TempDir Path dir;

    Path spec(String init) {
        return TestFiles.write(dir, "wider-fc1-" + init + ".yaml", "input: {image: [1, 12, 12]}\n" + (init.isEmpty() ? "" : "init: " + init + "\n")
                + "layers:\n  - {name: conv1, type: conv2d, filters: 4, kernel: 3, activation: relu}\n  - {name: pool1, type: max-pool, kernel: 2}\n"
                + "  - {name: fc1, type: dense, units: 32, activation: relu}\noutput: {name: output, classes: 3}\n");
    }

    CheckReport check(Path modified) {
        Path cfg = TestFiles.write(dir, "off.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        CheckOptions o = new CheckOptions(false, Optional.empty(), OptionalLong.of(7), 2, 1, 60, CheckOptions.DEFAULT_MAX_MEMORY);
        return new Checker(Thresholds.defaults().overlay(cfg)).check(TRAINED, modified, o);
    }

    static ActivationStats initial(ModelReport m, String layer) {
        return m.health().initial().stream().filter(a -> a.layer().equals(layer)).findFirst().orElseThrow();
    }

    @Test
    void matchedLayersStartFromTheOriginalsTrainedWeights() {
        CheckReport r = check(spec("from-original"));
        assertEquals(List.of("init: from-original: conv1 starts from the trained weights of small-cnn.h5; initialized as configured: "
                + "fc1 (shape differs), output (shape differs)"), r.modified().notes());
        // Same weights, same seeded data: conv1 computes what the trained original's conv1 computes (the Keras model
        // runs channels-last, the spec channels-first, so sums may differ in the last bits).
        ActivationStats o = initial(r.original(), "conv1"), m = initial(r.modified(), "conv1");
        assertEquals(o.max(), m.max(), 1e-6);
        assertEquals(o.mean(), m.mean(), 1e-6);
        assertEquals(o.std(), m.std(), 1e-6);
        assertEquals(o.zeroFraction(), m.zeroFraction());
        assertNotEquals(initial(r.original(), "fc1").max(), initial(r.modified(), "fc1").max());

        CheckReport fresh = check(spec("configured"));
        assertEquals(List.of(), fresh.modified().notes());
        assertNotEquals(initial(fresh.original(), "conv1").max(), initial(fresh.modified(), "conv1").max());
    }

    @Test
    void theCopiedParametersAreTheOriginals() {
        ResolvedModel original = ModelLoader.loadResolved(TRAINED, Optional.empty());
        ResolvedModel modified = ModelLoader.loadResolved(spec("from-original"), Optional.empty());
        var so = StructureProbe.measure(original);
        var sm = StructureProbe.measure(modified);
        ResolvedModel linked = dev.modelgate.resolve.Resolver.withTransfer(original, so, modified, sm, dev.modelgate.probe.LayerMatcher.match(so.layers(), sm.layers()));
        Network a = NetworkFactory.build(original), b = NetworkFactory.build(linked, OptionalLong.of(3));
        assertEquals(a.paramTable("conv1").get("W"), b.paramTable("conv1").get("W"));
        assertEquals(a.paramTable("conv1").get("b"), b.paramTable("conv1").get("b"));
        assertNotEquals(a.paramTable("fc1").get("W").shapeInfoToString(), b.paramTable("fc1").get("W").shapeInfoToString());
    }

    @Test
    void aMisspelledInitIsAnError() {
        Path bad = TestFiles.write(dir, "bad.yaml", "input: {features: 4}\ninit: from-orignal\nlayers:\n  - {type: dense, units: 4}\noutput: {classes: 2}\n");
        Cli.Result r = Cli.run("check", bad.toString(), bad.toString(), "--static");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("init: unknown value 'from-orignal' (did you mean 'from-original'?); valid: configured, from-original"), r.err());
    }
}
