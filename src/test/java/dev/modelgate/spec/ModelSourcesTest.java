package dev.modelgate.spec;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Kinds of model file are told apart by content, through the one registry of sources. */
class ModelSourcesTest {
    @TempDir
    Path dir;

    @Test
    void aKerasModelSavedAsAJsonStringIsTheModelInsideIt() throws Exception {
        // json.dump(model.to_json(), f): the file is one JSON string holding the model's JSON.
        String model = Files.readString(Path.of("samples/keras/lenet/original.json"));
        Path f = dir.resolve("dumped.json");
        Files.writeString(f, new ObjectMapper().writeValueAsString(model));
        ModelSpec spec = ModelLoader.load(f);
        assertEquals(SourceFormat.KERAS_SEQUENTIAL, spec.format());
        assertEquals(ModelLoader.load(Path.of("samples/keras/lenet/original.json")).nodes().size(), spec.nodes().size());
    }

    @Test
    void anErrorQuotesOnlyAShortExcerptOfAValue() throws Exception {
        Path f = dir.resolve("long.json");
        Files.writeString(f, "\"" + "x".repeat(5000) + "\"");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.load(f));
        assertTrue(e.getMessage().length() < 300, e.getMessage());
        assertTrue(e.getMessage().contains("(5000 characters)"), e.getMessage());
    }

    @Test
    void aKerasModelEndingInAnActivationAfterDenseTrainsWithThatActivation() {
        ModelSpec spec = ModelLoader.load(Path.of("src/test/resources/keras/dense-then-activation.json"));
        assertTrue(spec.output().op() instanceof LayerOp.Output, spec.output().op().toString());
        assertEquals("fc4", spec.output().name(), "Dense and Activation are one output layer");
        assertTrue(spec.head().isPresent());
    }

    @Test
    void aKerasModelEndingInAConvolutionTrainsWithALossHeadPerPixel() {
        ModelSpec spec = ModelLoader.load(Path.of("src/test/resources/keras/conv-last.json"));
        assertEquals("cnn-loss", spec.output().op().type());
        assertEquals("mse", spec.head().orElseThrow().loss());
        assertTrue(spec.notes().get(0).contains("a loss head added after 'conv2'"), spec.notes().toString());
    }

    @Test
    void aDl4jConfigurationWithoutALossHeadTrainsWithOneAddedAndSaysSo() {
        // DL4J builds such a configuration but cannot train it (its zoo SimpleCNN ends in a softmax ActivationLayer).
        ModelSpec spec = ModelLoader.load(Path.of("src/test/resources/dl4j/no-loss-head.json"));
        assertTrue(spec.head().isPresent(), spec.output().toString());
        assertEquals("loss", spec.output().op().type());
        assertTrue(spec.notes().get(0).contains("a loss head added after the last layer (the configuration has none)"), spec.notes().toString());
        assertTrue(spec.lossAssumed());
    }

    @Test
    void everyKindHasASourceAndTheSpecIsAskedLast() {
        var names = ModelSources.all().stream().map(ModelSource::name).toList();
        assertEquals("modelgate spec", names.get(names.size() - 1));
        assertTrue(names.containsAll(java.util.List.of("DL4J model zip", "Keras HDF5 file", "Keras model JSON", "DL4J configuration")), names.toString());
    }
}
