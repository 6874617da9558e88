package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A model given as '-' is read from stdin, its kind from its content, and named '-' in the report. */
class StdinModelTest {
    static Cli.Result withStdin(byte[] in, String... args) {
        InputStream before = System.in;
        System.setIn(new ByteArrayInputStream(in));
        try {
            return Cli.run(args);
        } finally {
            System.setIn(before);
        }
    }

    @Test
    void aSpecOrADl4jConfigOnStdinIsCheckedLikeAFile() throws Exception {
        Cli.Result spec = withStdin(Files.readAllBytes(Path.of("samples/lenet/conv2-4x.yaml")), "check", "samples/lenet/original.yaml", "-", "--static");
        assertEquals(1, spec.code(), spec.err());
        assertTrue(spec.out().contains("modified  -  (modelgate spec") && spec.out().contains("channel-growth"), spec.out());
        Cli.Result dl4j = withStdin(Files.readAllBytes(Path.of("samples/lenet-dl4j/original.json")), "check", "-", "samples/lenet-dl4j/conv1-1.6x.json", "--static");
        assertEquals(0, dl4j.code(), dl4j.err());
        assertTrue(dl4j.out().contains("original  -  (DL4J MultiLayerConfiguration"), dl4j.out());
    }

    @Test
    void emptyStdinTwoDashesOrDashWithAgainstAreOneLine() {
        assertTrue(withStdin(new byte[0], "check", "samples/lenet/original.yaml", "-", "--static").err().contains("stdin is empty"));
        Cli.Result two = withStdin("x".getBytes(), "check", "-", "-", "--static");
        assertEquals(2, two.code());
        assertTrue(two.err().contains("only one model can come from stdin"), two.err());
        Cli.Result against = withStdin("x".getBytes(), "check", "-", "--against", "HEAD");
        assertEquals(2, against.code());
        assertTrue(against.err().contains("'-' (stdin) has none"), against.err());
    }

    @Test
    void theKindComesFromTheContentAKerasHdf5FileToo() throws Exception {
        Cli.Result h5 = withStdin(Files.readAllBytes(Path.of("samples/keras/trained/original.h5")), "check", "-", "samples/keras/trained/original.h5", "--static");
        assertEquals(0, h5.code(), h5.err());
        assertTrue(h5.out().contains("original  -  ("), h5.out());
    }
}
