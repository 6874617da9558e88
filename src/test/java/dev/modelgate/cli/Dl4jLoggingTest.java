package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DL4J's, ND4J's and JavaCPP's warnings do not land on stderr (issue 12, item 12): the shipped logback.xml turns their
 * loggers off; -Dmodelgate.log.dl4j=INFO (what --verbose gives a worker) turns them on. Run in a fresh JVM each time,
 * since --verbose in another test changes the levels of this one.
 */
class Dl4jLoggingTest {
    /** Logs one warning under each library's logger, as DL4J does on a deprecated setting or a memory crash. */
    public static void main(String[] args) {
        for (String name : List.of("org.deeplearning4j.nn.multilayer.MultiLayerNetwork", "org.nd4j.linalg.factory.Nd4jBackend",
                "org.bytedeco.javacpp.Loader", "oshi.hardware")) {
            org.slf4j.LoggerFactory.getLogger(name).warn("noise from " + name);
        }
    }

    static String stderrOf(String... jvmOptions) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        cmd.addAll(List.of(jvmOptions));
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Dl4jLoggingTest.class.getName()));
        Process p = new ProcessBuilder(cmd).start();
        p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), err);
        return err;
    }

    @Test
    void dl4jWarningsAreSilentUnlessVerbose() throws Exception {
        assertEquals("", stderrOf(), "nothing on stderr by default");
        String verbose = stderrOf("-D" + CommonOptions.DL4J_LOG_LEVEL + "=INFO");
        for (String lib : List.of("org.deeplearning4j", "org.nd4j", "org.bytedeco", "oshi")) assertTrue(verbose.contains("noise from " + lib), verbose);
    }
}
