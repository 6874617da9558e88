package dev.modelgate.spec;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Only DL4J configuration types may be named in a DL4J config; nothing else is ever instantiated. */
class Dl4jClassTagsTest {
    @TempDir Path dir;

    @Test
    void aJsonClassTagOutsideDl4jIsRefusedAndNeverLoaded() throws Exception {
        String json = Files.readString(Path.of("samples/lenet-dl4j/original.json"))
                .replaceFirst("\"org.nd4j.linalg.activations.impl.ActivationIdentity\"", "\"dev.modelgate.spec.Gadget\"");
        Path p = TestFiles.write(dir, "evil.json", json);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(p));
        assertTrue(e.getMessage().contains("class tag 'dev.modelgate.spec.Gadget' is not a DL4J configuration type"), e.getMessage());
        assertTrue(e.getMessage().contains("activationFn.@class"), "names the key path: " + e.getMessage());
        assertEquals(null, System.getProperty("modelgate.test.gadget.loaded"), "the named class was never loaded, let alone instantiated");
    }

    @Test
    void aYamlTypeTagOutsideDl4jIsRefused() throws Exception {
        String yaml = Files.readString(Path.of("src/test/resources/dl4j/mlp.yml")).replace("!<org.nd4j.linalg.activations.impl.ActivationSigmoid>", "!<java.lang.ProcessBuilder>");
        Path p = TestFiles.write(dir, "evil.yml", yaml);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(p));
        assertTrue(e.getMessage().contains("class tag 'java.lang.ProcessBuilder' is not a DL4J configuration type"), e.getMessage());
        assertTrue(e.location().known(), "line and column: " + e.getMessage());
    }

    @Test
    void dl4jsOwnYamlWithItsTypeTagsIsRead() {
        ModelSpec s = ModelLoader.load(Path.of("src/test/resources/dl4j/mlp.yml"));
        assertEquals(SourceFormat.DL4J_MULTILAYER, s.format());
        assertEquals(2, s.nodes().size());
    }

    /**
     * Every other form in which Jackson's polymorphic typing takes a class name: a generic parameter (TypeFactory
     * loads it), an array class, a nested-class name, the array form {@code [id, value]} (read where an object was
     * expected, with no {@code @class} key at all), a Distribution's {@code type} key and a YAML tag naming an array
     * class. Each is refused with its key path, and the canary class is never loaded.
     */
    @Test
    void typeIdsInEveryFormJacksonReadsAreRefusedAndNeverLoaded() throws Exception {
        String lenet = Files.readString(Path.of("samples/lenet-dl4j/original.json"));
        String identity = "{\n        \"@class\" : \"org.nd4j.linalg.activations.impl.ActivationIdentity\"\n      }";
        String xavier = "{\n        \"@class\" : \"org.deeplearning4j.nn.weights.WeightInitXavier\"\n      }";
        assertTrue(lenet.contains(identity) && lenet.contains(xavier), "the sample still reads as this test expects");
        java.util.Map<String, String> forms = new java.util.LinkedHashMap<>();
        forms.put("generic parameter", lenet.replaceFirst(java.util.regex.Pattern.quote("ActivationIdentity\""), "ActivationIdentity<dev.modelgate.spec.Gadget>\""));
        forms.put("array class", lenet.replaceFirst(java.util.regex.Pattern.quote("\"org.nd4j.linalg.activations.impl.ActivationIdentity\""), "\"[Ldev.modelgate.spec.Gadget;\""));
        forms.put("nested class", lenet.replaceFirst(java.util.regex.Pattern.quote("ActivationIdentity\""), "ActivationIdentity\\$Gadget\""));
        forms.put("array form", lenet.replaceFirst(java.util.regex.Pattern.quote(identity), "[\"dev.modelgate.spec.Gadget\", {}]"));
        forms.put("distribution type", lenet.replaceFirst(java.util.regex.Pattern.quote(xavier),
                "{\"@class\": \"org.deeplearning4j.nn.weights.WeightInitDistribution\", \"distribution\": {\"type\": \"dev.modelgate.spec.Gadget\"}}"));
        for (var form : forms.entrySet()) {
            assertTrue(!form.getValue().equals(lenet), form.getKey() + ": the mutation applied");
            Path p = TestFiles.write(dir, "evil.json", form.getValue());
            BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(p), form.getKey());
            assertTrue(e.getMessage().contains("is not a DL4J configuration type"), form.getKey() + ": " + e.getMessage());
            assertEquals(null, System.getProperty("modelgate.test.gadget.loaded"), form.getKey() + ": the named class was never loaded");
        }
        String yaml = Files.readString(Path.of("src/test/resources/dl4j/mlp.yml")).replace("!<org.nd4j.linalg.activations.impl.ActivationSigmoid>", "!<[Ldev.modelgate.spec.Gadget;>");
        Path y = TestFiles.write(dir, "evil.yml", yaml);
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(y));
        assertTrue(e.getMessage().contains("is not a DL4J configuration type"), e.getMessage());
        assertEquals(null, System.getProperty("modelgate.test.gadget.loaded"), "YAML tag: the named class was never loaded");
    }

    /** Dotted names in DL4J's name lists (Keras-imported vertex names) are names, not type ids. */
    @Test
    void dottedVertexNamesAreNotTypeIds() throws Exception {
        String graph = Files.readString(Path.of("samples/resnet-dl4j/original.json"));
        assertTrue(graph.contains("\"networkInputs\" : [ \"input\" ]"), "the sample still reads as this test expects");
        Path p = TestFiles.write(dir, "dotted.json", graph.replace("\"input\"", "\"tf.input.1\""));
        assertEquals(SourceFormat.DL4J_GRAPH, ModelLoader.load(p).format());
    }
}
