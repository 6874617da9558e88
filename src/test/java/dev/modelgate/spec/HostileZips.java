package dev.modelgate.spec;

import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.lossfunctions.LossFunctions;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * DL4J model zips as a hostile contributor would write them, each built from a genuine ModelSerializer zip of a tiny
 * network (4 -> 3 -> 2, 23 parameters). {@link #main} writes them into the bad-inputs corpus; the tests build them
 * afresh.
 */
public final class HostileZips {
    static final String CONFIGURATION = "configuration.json";
    static final String COEFFICIENTS = "coefficients.bin";

    private HostileZips() {}

    static MultiLayerConfiguration tinyConfiguration(int hidden) {
        return new NeuralNetConfiguration.Builder().seed(1).updater(new org.nd4j.linalg.learning.config.Adam(1e-3)).list()
                .layer(new DenseLayer.Builder().nIn(4).nOut(hidden).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nIn(hidden).nOut(2).activation(Activation.SOFTMAX).build())
                .build();
    }

    /** A genuine zip, as ModelSerializer writes it. */
    static byte[] genuine() throws IOException {
        MultiLayerNetwork net = new MultiLayerNetwork(tinyConfiguration(3));
        net.init();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ModelSerializer.writeModel(net, out, false);
        return out.toByteArray();
    }

    /** The genuine zip's entries, by name, in order. */
    static Map<String, byte[]> entries(byte[] zip) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (var in = new java.util.zip.ZipInputStream(new java.io.ByteArrayInputStream(zip))) {
            for (ZipEntry e; (e = in.getNextEntry()) != null; ) entries.put(e.getName(), in.readAllBytes());
        }
        return entries;
    }

    static byte[] zip(Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(out)) {
            for (var e : entries.entrySet()) {
                z.putNextEntry(new ZipEntry(e.getKey()));
                z.write(e.getValue());
                z.closeEntry();
            }
        }
        return out.toByteArray();
    }

    /** A second configuration of another network (30 hidden units), the one DL4J's ModelSerializer would have built. */
    static byte[] otherConfiguration() {
        return tinyConfiguration(30).toJson().getBytes(StandardCharsets.UTF_8);
    }

    /** Two entries named configuration.json, both in the central directory (the last is what ZipFile.getEntry finds). */
    static byte[] duplicateConfiguration() throws IOException {
        Map<String, byte[]> e = entries(genuine());
        e.put("configuration.jsoX", otherConfiguration());
        return replace(zip(e), "configuration.jsoX", CONFIGURATION);
    }

    /** A configuration.json local entry in front of a genuine zip, listed by no central directory. */
    static byte[] hiddenConfiguration() throws IOException {
        byte[] lone = zip(Map.of(CONFIGURATION, otherConfiguration()));
        int central = indexOf(lone, new byte[] {'P', 'K', 1, 2});
        byte[] genuine = genuine();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(lone, 0, central);
        out.write(genuine);
        return out.toByteArray();
    }

    /** A preprocessor.bin holding a serialized object: ModelSerializer would pass it to ObjectInputStream.readObject. */
    static byte[] serializedPreprocessor(Serializable object) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream o = new ObjectOutputStream(bytes)) {
            o.writeObject(object);
        }
        Map<String, byte[]> e = entries(genuine());
        e.put("preprocessor.bin", bytes.toByteArray());
        return zip(e);
    }

    /** 10 MiB of zeros as updaterState.bin, about 10 KiB compressed. */
    static byte[] compressionBomb() throws IOException {
        Map<String, byte[]> e = entries(genuine());
        e.put("updaterState.bin", new byte[10 << 20]);
        return zip(e);
    }

    /** A configuration.json whose central directory declares 100 bytes; its local entry inflates to more. */
    static byte[] understatedSize() throws IOException {
        byte[] zip = genuine();
        int central = indexOf(zip, new byte[] {'P', 'K', 1, 2});
        java.nio.ByteBuffer.wrap(zip).order(java.nio.ByteOrder.LITTLE_ENDIAN).putInt(central + 24, 100);
        return zip;
    }

    /** A coefficients.bin whose header claims 2^40 parameters (4 TiB of floats), followed by a few bytes. */
    static byte[] hugeCoefficients() throws IOException {
        long huge = 1L << 40;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream d = new DataOutputStream(bytes)) {
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(8);
            d.writeUTF("LONG");
            for (long v : new long[] {2, 1, huge, 1, 1, 8192, 1, 'c'}) d.writeLong(v);
            d.writeUTF("MIXED_DATA_TYPES");
            d.writeLong(huge);
            d.writeUTF("FLOAT");
            d.write(new byte[16]);
        }
        Map<String, byte[]> e = entries(genuine());
        e.put(COEFFICIENTS, bytes.toByteArray());
        return zip(e);
    }

    private static byte[] replace(byte[] data, String from, String to) {
        byte[] f = from.getBytes(StandardCharsets.US_ASCII), t = to.getBytes(StandardCharsets.US_ASCII);
        byte[] out = data.clone();
        for (int i = indexOf(out, f); i >= 0; i = indexOf(out, f)) System.arraycopy(t, 0, out, i, t.length);
        return out;
    }

    private static int indexOf(byte[] data, byte[] what) {
        outer:
        for (int i = 0; i + what.length <= data.length; i++) {
            for (int j = 0; j < what.length; j++) if (data[i + j] != what[j]) continue outer;
            return i;
        }
        return -1;
    }

    /** Writes the corpus files: {@code java -cp ... dev.modelgate.spec.HostileZips src/test/resources/bad-inputs}. */
    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        Files.write(dir.resolve("zip-duplicate-configuration.zip"), duplicateConfiguration());
        Files.write(dir.resolve("zip-hidden-configuration.zip"), hiddenConfiguration());
        Files.write(dir.resolve("zip-preprocessor-serialized.zip"), serializedPreprocessor(new java.util.HashSet<>(java.util.List.of("x"))));
        Files.write(dir.resolve("zip-compression-bomb.zip"), compressionBomb());
        Files.write(dir.resolve("zip-understated-size.zip"), understatedSize());
        Files.write(dir.resolve("zip-huge-coefficients.zip"), hugeCoefficients());
    }
}
