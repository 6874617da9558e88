package dev.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HDF5 library runs only in worker JVMs (issue 12, item 3): a Keras file that crashes it (SIGSEGV in H5HG_read,
 * found by mutating small-mlp.h5) is one line about that file, exit 2, in {@code check} (static or not), {@code inspect}
 * and {@code audit} (which reports every other config), and the JVM's crash log never lands in the working directory.
 * Run in this JVM, the same file ends the test JVM.
 */
class NativeIsolationTest {
    static final Path CRASHES = Path.of("src/test/resources/bad-inputs/keras-h5-crashes-hdf5.h5");
    static final Path GOOD = Path.of("src/test/resources/keras/small-mlp.h5");
    static final String CRASHED = "could not be read: the HDF5 reader crashed";

    @TempDir Path dir;

    @Test
    void aFileThatCrashesTheHdf5LibraryIsOneLineInCheckAndInspect() throws IOException {
        Set<Path> before = crashLogsHere();
        for (List<String> args : List.of(
                List.of("check", "--static", CRASHES.toString(), GOOD.toString()),
                List.of("check", GOOD.toString(), CRASHES.toString()),
                List.of("inspect", "--static", CRASHES.toString()))) {
            Cli.Result r = Cli.run(Stream.concat(args.stream(), Stream.of("--isolation", "worker")).toArray(String[]::new));
            assertEquals(2, r.code(), () -> args + ": " + r);
            assertEquals(1, r.err().strip().lines().count(), () -> args + ": one line: " + r);
            assertTrue(r.err().startsWith("modelgate: error: " + CRASHES + ": " + CRASHED), () -> args + ": " + r);
        }
        assertEquals(before, crashLogsHere(), "no hs_err file in the working directory");
    }

    @Test
    void anAuditReportsEveryOtherConfigWhenOneCrashesTheHdf5Library() throws IOException {
        Path folder = Files.createDirectories(dir.resolve("experiments"));
        Files.copy(GOOD, folder.resolve("original.h5"));
        Files.copy(CRASHES, folder.resolve("a-crashes.h5"));
        Files.copy(GOOD, folder.resolve("b-same.h5"));
        Files.copy(Path.of("src/test/resources/keras/small-cnn.h5"), folder.resolve("c-other.h5"));
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--isolation", "worker", "--format", "json");
        assertEquals(2, r.code(), r::toString);
        JsonNode checks = new ObjectMapper().readTree(r.out()).path("checks");
        Map<String, JsonNode> byName = new HashMap<>();
        for (JsonNode c : checks) byName.put(Path.of(c.path("config").asText()).getFileName().toString(), c);
        assertEquals(Set.of("a-crashes.h5", "b-same.h5", "c-other.h5"), byName.keySet(), r::toString);
        assertTrue(byName.get("a-crashes.h5").path("error").asText().contains(CRASHED), r::toString);
        assertEquals("PASS", byName.get("b-same.h5").path("verdict").asText(), r::toString);
        assertFalse(byName.get("c-other.h5").path("verdict").asText().isEmpty(), r::toString);
        assertTrue(byName.get("c-other.h5").path("error").isMissingNode() || byName.get("c-other.h5").path("error").isNull(), r::toString);
    }

    static Set<Path> crashLogsHere() throws IOException {
        try (Stream<Path> s = Files.list(Path.of("."))) {
            return s.filter(p -> p.getFileName().toString().startsWith("hs_err_pid")).collect(Collectors.toSet());
        }
    }
}
