package dev.modelgate.model;

import dev.modelgate.TestFiles;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.learning.regularization.WeightDecay;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

class NetworkFactoryTest {
    @TempDir Path dir;

    ResolvedModel model(String optimizer) {
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", """
                input: {features: 6}
                training: {optimizer: %s}
                layers:
                  - {name: fc1, type: dense, units: 4, weight-init: normal}
                  - {name: fc2, type: dense, units: 4, weight-init: uniform}
                output: {classes: 3}
                """.formatted(optimizer)), Optional.empty());
    }

    static List<Regularization> regularization(ComputationGraphConfiguration c, String layer) {
        return ((BaseLayer) ((LayerVertex) c.getVertices().get(layer)).getLayerConf().getLayer()).getRegularization();
    }

    @Test
    void dl4jMemoryCrashDumpsAreOffWhereNetworksAreBuilt() {
        // Surefire sets the property too (for the whole test JVM); this is the default without it, for Java callers
        // and --isolation none: no dl4j-memory-crash-dump-*.txt in the working directory.
        String before = System.clearProperty(NetworkFactory.CRASH_DUMPS);
        try {
            org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(true); // DL4J's default
            NetworkFactory.crashDumpsOffUnlessAsked(); // what loading NetworkFactory does
            assertFalse(org.deeplearning4j.util.CrashReportingUtil.isCrashDumpsEnabled());
            System.setProperty(NetworkFactory.CRASH_DUMPS, "true");
            org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(true);
            NetworkFactory.crashDumpsOffUnlessAsked();
            assertTrue(org.deeplearning4j.util.CrashReportingUtil.isCrashDumpsEnabled(), "asked for with the property: left on");
            org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(false);
        } finally {
            if (before != null) System.setProperty(NetworkFactory.CRASH_DUMPS, before);
            else System.clearProperty(NetworkFactory.CRASH_DUMPS);
        }
    }

    @Test
    void dl4jMemoryCrashDumpsTurnedOnGoToTheTemporaryDirectoryNeverTheWorkingDirectory() throws Exception {
        // DL4J writes a dump where CrashReportingUtil's folder says: the working directory unless set. A real dump,
        // written by DL4J for a network modelgate built, with dumps turned on and no folder given (as a user's
        // -Dorg.deeplearning4j.crash.reporting.enabled=true would): it lands under the temporary directory.
        String enabled = System.getProperty(NetworkFactory.CRASH_DUMPS), folder = System.clearProperty(NetworkFactory.CRASH_DUMP_DIRECTORY);
        Path workingDir = Path.of(System.getProperty("user.dir"));
        try (var before = java.nio.file.Files.list(workingDir)) {
            List<Path> dumpsBefore = before.filter(NetworkFactoryTest::isCrashDump).toList();
            System.setProperty(NetworkFactory.CRASH_DUMPS, "true");
            org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(true);
            org.deeplearning4j.util.CrashReportingUtil.crashDumpOutputDirectory(null); // DL4J's default: the working directory
            NetworkFactory.crashDumpsOffUnlessAsked(); // what loading NetworkFactory does
            assertEquals(NetworkFactory.defaultCrashDumpDirectory().toFile(), org.deeplearning4j.util.CrashReportingUtil.getCrashDumpRootDirectory());
            Network net = NetworkFactory.build(model("adam"));
            org.deeplearning4j.util.CrashReportingUtil.writeMemoryCrashDump(net.model(), new OutOfMemoryError("planted for the test"));
            List<Path> written;
            try (var in = java.nio.file.Files.list(NetworkFactory.defaultCrashDumpDirectory())) {
                written = in.filter(NetworkFactoryTest::isCrashDump).toList();
            }
            assertFalse(written.isEmpty(), "no dump in " + NetworkFactory.defaultCrashDumpDirectory());
            for (Path p : written) java.nio.file.Files.delete(p);
            try (var after = java.nio.file.Files.list(workingDir)) {
                assertEquals(dumpsBefore, after.filter(NetworkFactoryTest::isCrashDump).toList(), "a dump in the working directory " + workingDir);
            }
        } finally {
            org.deeplearning4j.util.CrashReportingUtil.crashDumpsEnabled(false);
            if (enabled != null) System.setProperty(NetworkFactory.CRASH_DUMPS, enabled);
            else System.clearProperty(NetworkFactory.CRASH_DUMPS);
            if (folder != null) {
                System.setProperty(NetworkFactory.CRASH_DUMP_DIRECTORY, folder);
                org.deeplearning4j.util.CrashReportingUtil.crashDumpOutputDirectory(new java.io.File(folder));
            }
        }
    }

    private static boolean isCrashDump(Path p) {
        return p.getFileName().toString().startsWith("dl4j-memory-crash-dump-");
    }

    @Test
    void adamwWeightDecayIsRegisteredOnceAndDecoupled() {
        List<Regularization> r = regularization(NetworkFactory.graphConfig(model("{type: adamw, weight-decay: 0.01}"), OptionalLong.empty()), "fc1");
        assertEquals(1, r.size(), "DL4J's global weightDecay() would register it twice: " + r);
        assertInstanceOf(WeightDecay.class, r.get(0));
    }

    @Test
    void otherOptimizersGetCoupledL2() {
        List<Regularization> r = regularization(NetworkFactory.graphConfig(model("{type: sgd, weight-decay: 0.01}"), OptionalLong.empty()), "fc2");
        assertEquals(1, r.size());
        assertInstanceOf(L2Regularization.class, r.get(0));
        assertEquals(0, regularization(NetworkFactory.graphConfig(model("adam"), OptionalLong.empty()), "fc1").size());
    }

    @Test
    void dl4jsOwnNormalAndUniformSchemesBuild() {
        // 'normal' and 'uniform' as names are DL4J's fan-in-scaled schemes, not distributions with zero spread.
        Network net = NetworkFactory.build(model("adam"));
        assertEquals(6 * 4 + 4 + 4 * 4 + 4 + 4 * 3 + 3, net.numParams());
    }

    @Test
    void aSeedOverrideChangesInitializationAndIsRepeatable() {
        ResolvedModel m = model("adam");
        var a = NetworkFactory.build(m, OptionalLong.of(1)).model().params();
        var b = NetworkFactory.build(m, OptionalLong.of(1)).model().params();
        var c = NetworkFactory.build(m, OptionalLong.of(2)).model().params();
        assertEquals(a, b);
        assertNotEquals(a, c);
    }
}
