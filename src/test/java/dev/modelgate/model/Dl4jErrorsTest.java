package dev.modelgate.model;

import dev.modelgate.TestFiles;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.deeplearning4j.exception.DL4JInvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class Dl4jErrorsTest {
    @TempDir Path dir;

    @Test
    void dl4jMessagesBecomeOneLineNamingFileAndLayer() {
        Path p = TestFiles.write(dir, "m.yaml", "input: {features: 4}\nlayers: [{type: dense, units: 3}]\noutput: {classes: 2}\n");
        ResolvedModel m = ModelLoader.loadResolved(p, Optional.empty());
        // The two ways DL4J names a layer in its messages (DL4JInvalidInputException; output-layer validation).
        String a = Dl4jErrors.translate(m, "running", new DL4JInvalidInputException(
                "Cannot do forward pass in Convolution layer (layer name = conv2, layer index = 2): input array channels does not match CNN layer configuration (data format = NCHW, data input channels = 20, [minibatch, channels, height, width]=[2, 20, 12, 12]; expected input channels = 30)\nMore details")).getMessage();
        assertEquals(p + ": layer 'conv2': DL4J failed while running the model: Cannot do forward pass in Convolution layer (layer name = conv2, "
                + "layer index = 2): input array channels does not match CNN layer configuration (data format = NCHW, data input channels = 20, "
                + "[minibatch, channels, height, width]=[2, 20, 12, 12]; expected input channels = 30)", a);
        String b = Dl4jErrors.translate(m, "building", new IllegalStateException("Invalid output layer configuration for layer \"output\": Softmax + nOut=1")).getMessage();
        assertEquals(p + ": layer 'output': DL4J failed while building the model: Invalid output layer configuration for layer \"output\": Softmax + nOut=1", b);
        String c = Dl4jErrors.translate(m, "running", new RuntimeException(new IllegalArgumentException("no layer here"))).getMessage();
        assertEquals(p + ": DL4J failed while running the model: java.lang.IllegalArgumentException: no layer here", c);
    }
}
