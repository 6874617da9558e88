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
}
