package dev.modelgate.spec;

import dev.modelgate.TestFiles;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.cli.Cli;
import dev.modelgate.report.CheckReport;
import dev.modelgate.rule.Thresholds;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.factory.Nd4j;

import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.Map;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Trained DL4J models (ModelSerializer zips) as ORIGINAL or MODIFIED, measured on their trained weights. */
class ModelZipTest {
    @TempDir Path dir;

    /** A DL4J network trained a little, so its weights differ from any fresh initialization, saved as a zip. */
    Path trainedZip() throws Exception {
        // A MultiLayerNetwork, as teams usually save them: DL4J's LeNet, trained a few steps.
        MultiLayerConfiguration conf = MultiLayerConfiguration.fromJson(Files.readString(Path.of("samples/lenet-dl4j/original.json")));
        MultiLayerNetwork net = new MultiLayerNetwork(conf);
        net.init();
        var x = Nd4j.rand(4, 784);
        var y = Nd4j.zeros(4, 10);
        for (int i = 0; i < 4; i++) y.putScalar(i, i % 10, 1);
        for (int i = 0; i < 5; i++) net.fit(x, y);
        Path zip = dir.resolve("trained-lenet.zip");
        ModelSerializer.writeModel(net, zip.toFile(), false);
        return zip;
    }

    @Test
    void aTrainedModelZipChecksAgainstAModificationOnItsTrainedWeights() throws Exception {
        Path zip = trainedZip();
        ModelSpec s = ModelLoader.load(zip);
        assertEquals(SourceFormat.DL4J_MULTILAYER, s.format());
        assertEquals(zip, s.weights());
        Path cfg = TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        Checker checker = new Checker(Thresholds.defaults().overlay(cfg));
        CheckOptions o = CheckOptions.RUN.withIterations(2);
        CheckReport r = checker.check(zip, Path.of("samples/lenet/conv2-4x.yaml"), o);
        assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("channel-growth") && x.message().contains("50 -> 200")), r.results().toString());
        // The same configuration untrained starts elsewhere: the zip's measured activations are its trained weights'.
        CheckReport fresh = checker.check(Path.of("samples/lenet-dl4j/original.json"), Path.of("samples/lenet/conv2-4x.yaml"), o);
        assertNotEquals(fresh.original().health().initial().get(1).max(), r.original().health().initial().get(1).max());
        assertEquals(431_080, r.original().health().dl4jParams());
    }

    @Test
    void brokenZipsAreOneLineErrors() throws Exception {
        Path notAModel = dir.resolve("other.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(notAModel))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("hello".getBytes());
        }
        Cli.Result r = Cli.run("check", notAModel.toString(), notAModel.toString(), "--static");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("is a zip file but not a DL4J model: it has no configuration.json"), r.err());

        Path corrupt = dir.resolve("corrupt.zip");
        byte[] good = Files.readAllBytes(trainedZip());
        Files.write(corrupt, java.util.Arrays.copyOf(good, 200));
        Cli.Result c = Cli.run("check", corrupt.toString(), corrupt.toString(), "--static");
        assertEquals(2, c.code(), c.toString());
        assertTrue(c.err().startsWith("modelgate: error: " + corrupt) && c.err().strip().lines().count() == 1, c.err());
    }

    /**
     * Each hostile zip ends a full check (not --static: the network would be built in this JVM) with exit 2 and one
     * line within seconds, and nothing it carries is deserialized.
     */
    @Test
    void hostileZipsAreRefusedBeforeAnythingIsBuiltOrDeserialized() throws Exception {
        Map<String, byte[]> cases = new LinkedHashMap<>();
        cases.put("the zip holds two entries of this name", HostileZips.duplicateConfiguration());
        cases.put("the local entry's size or checksum differs from the central directory's", HostileZips.hiddenConfiguration());
        cases.put("preprocessor.bin: is a Java-serialized object", HostileZips.serializedPreprocessor(new SerialCanary()));
        cases.put("updaterState.bin: inflates", HostileZips.compressionBomb());
        cases.put("configuration.json: holds more bytes than the 100 its central directory declares", HostileZips.understatedSize());
        cases.put("coefficients.bin: holds 1099511627776 parameters, but configuration.json describes a network of 23", HostileZips.hugeCoefficients());
        for (var c : cases.entrySet()) {
            Path zip = dir.resolve("hostile.zip");
            Files.write(zip, c.getValue());
            long t0 = System.nanoTime();
            Cli.Result r = Cli.run("check", zip.toString(), zip.toString(), "--isolation", "none");
            long ms = (System.nanoTime() - t0) / 1_000_000;
            assertEquals(2, r.code(), c.getKey() + ": " + r);
            assertEquals(1, r.err().strip().lines().count(), r.err());
            assertTrue(r.err().contains(c.getKey()), "expected '" + c.getKey() + "': " + r.err());
            assertTrue(ms < 5_000, c.getKey() + " took " + ms + " ms");
        }
        assertNull(System.getProperty(SerialCanary.PROPERTY), "preprocessor.bin was never deserialized");
    }

    /** The genuine zip's own parameters, bit for bit, are the network's (read by modelgate, not ModelSerializer). */
    @Test
    void theBuiltNetworkHoldsTheZipsTrainedParameters() throws Exception {
        Path zip = trainedZip();
        MultiLayerNetwork saved = ModelSerializer.restoreMultiLayerNetwork(zip.toFile(), false);
        ResolvedModel model = ModelLoader.loadResolved(zip, java.util.Optional.empty());
        Network built = NetworkFactory.build(model);
        assertEquals(saved.params(), built.params());
    }

    /** A zip with optimizer state loads (the state is skipped unread) and says so. */
    @Test
    void anUpdaterStateIsSkippedWithANote() throws Exception {
        MultiLayerNetwork net = new MultiLayerNetwork(HostileZips.tinyConfiguration(3));
        net.init();
        net.fit(Nd4j.rand(2, 4), Nd4j.create(new float[][] {{1, 0}, {0, 1}}));
        Path zip = dir.resolve("with-updater.zip");
        ModelSerializer.writeModel(net, zip.toFile(), true);
        ModelSpec s = ModelLoader.load(zip);
        assertTrue(s.notes().stream().anyMatch(n -> n.contains("updaterState.bin is not read")), s.notes().toString());
        assertEquals(net.params(), NetworkFactory.build(ShapeInference.resolve(s)).params());
    }
}
