package dev.modelgate.fuzz;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.modelgate.cli.Cli;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * Coverage-guided fuzzing (Jazzer) of the loaders, through the whole contract of {@code check --static F F}: any
 * bytes given as a modelgate spec, a DL4J configuration or a DL4J model zip must end in a report (exit 0 or 1) or in
 * exactly one {@code modelgate: error:} line (exit 2), without a stack trace, within the timeout and without a large
 * allocation. An internal error (exit 3), anything else on stderr, a timeout, an out-of-memory error or one of
 * Jazzer's bug detectors (Java deserialization, a class loaded by a name the input chose, an OS command run) is a
 * finding.
 *
 * <p>Seeds: the hostile-input corpus ({@code src/test/resources/bad-inputs/}) and the samples, by extension, from
 * {@link MethodSource} (when fuzzing only; Jazzer keeps them as seeds), plus what {@code LoadersFuzzTestInputs/<method>/}
 * holds: a genuine model zip, and the findings of campaigns that do not fit the corpus. A finding that is bad input
 * goes to the corpus with its row in {@code EXPECTED.tsv}, where {@code BadInputsTest} also checks its message.
 *
 * <p>{@code mvn test} runs only the inputs directory, without Jazzer's bug-detector hooks (regression mode, about
 * 2 s). A campaign: {@code scripts/fuzz [SECONDS] [TARGET...]}, one target per JVM, documented in
 * docs/reliability.md#fuzzing. Its generated corpus goes to {@code .cifuzz-corpus/} (not committed), its findings into
 * the inputs directory.
 */
class LoadersFuzzTest {
    /**
     * Per input, on a loaded 2-core machine: every bad input of the corpus is answered in well under a second. (Not
     * JUnit's {@code @Timeout}: that would bound the whole fuzzing run, and in regression mode Jazzer's own start-up.)
     */
    static final long MAX_SECONDS = 10;
    /** Allocated by this thread for one input; the largest seed (a ResNet DL4J configuration) needs far less. */
    static final long MAX_ALLOCATED_BYTES = 512L << 20;
    /** The HDF5 signature: the HDF5 library is C and runs only in a worker JVM (NativeIsolationTest), not fuzzed here. */
    private static final byte[] HDF5_MAGIC = {(byte) 0x89, 'H', 'D', 'F', '\r', '\n', 0x1a, '\n'};

    /** How long one target is fuzzed with JAZZER_FUZZ=1 (scripts/fuzz can give another duration). */
    static final String CAMPAIGN = "5m";
    private static final Path CORPUS = Path.of("src/test/resources/bad-inputs");
    private static final Path SAMPLES = Path.of("samples");
    private static final Path DIR = tempDir();

    @MethodSource("yamlSeeds")
    @FuzzTest(maxDuration = CAMPAIGN)
    void specYaml(byte[] input) {
        holdsTheContract(input, "model.yaml");
    }

    @MethodSource("jsonSeeds")
    @FuzzTest(maxDuration = CAMPAIGN)
    void dl4jJson(byte[] input) {
        holdsTheContract(input, "model.json");
    }

    @MethodSource("zipSeeds")
    @FuzzTest(maxDuration = CAMPAIGN)
    void modelZip(byte[] input) {
        holdsTheContract(input, "model.zip");
    }

    static Stream<byte[]> yamlSeeds() {
        return seeds(n -> n.endsWith(".yaml") || n.endsWith(".yml"));
    }

    static Stream<byte[]> jsonSeeds() {
        return seeds(n -> n.endsWith(".json"));
    }

    static Stream<byte[]> zipSeeds() {
        return seeds(n -> n.endsWith(".zip"));
    }

    /**
     * The corpus and the samples, as seeds for the fuzzer only: in regression mode {@code BadInputsTest} and the
     * samples' own tests run them with sharper assertions, so here they would only cost time.
     */
    private static Stream<byte[]> seeds(Predicate<String> name) {
        if (!fuzzing()) return Stream.empty();
        return Stream.of(CORPUS, SAMPLES).flatMap(LoadersFuzzTest::files)
                .filter(p -> name.test(p.getFileName().toString())).sorted().map(LoadersFuzzTest::bytes);
    }

    /** Runs {@code check --static F F} on the bytes in this JVM and fails on anything but a report or one error line. */
    private static void holdsTheContract(byte[] input, String fileName) {
        if (input.length >= HDF5_MAGIC.length && Arrays.equals(input, 0, HDF5_MAGIC.length, HDF5_MAGIC, 0, HDF5_MAGIC.length)) return;
        Path file = DIR.resolve(fileName);
        try {
            Files.write(file, input);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Run run = Run.of(file);
        Cli.Result r = run.result();
        if (r.code() == 2) {
            String err = r.err();
            if (!err.startsWith("modelgate: error: ") || err.indexOf('\n') != err.length() - 1 || !r.out().isEmpty()) {
                throw new AssertionError("bad input, but not exactly one error line and nothing else:\n" + r);
            }
        } else if (r.code() != 0 && r.code() != 1) {
            throw new AssertionError("exit " + r.code() + " (only 0, 1 or 2 are answers to a model file):\n" + r);
        } else if (r.out().isEmpty()) {
            throw new AssertionError("exit " + r.code() + " without a report:\n" + r);
        }
        // The first run of a kind of file pays for loading its classes (and Jazzer's instrumenting them): measured again.
        if (run.overBudget()) run = Run.of(file);
        if (run.seconds() > MAX_SECONDS) {
            throw new AssertionError(String.format("took %.1f s for an input of %d bytes, more than %d s:%n%s", run.seconds(), input.length, MAX_SECONDS, r));
        }
        if (run.allocatedBytes() > MAX_ALLOCATED_BYTES) {
            throw new AssertionError("allocated " + (run.allocatedBytes() >> 20) + " MiB for an input of " + input.length + " bytes, more than "
                    + (MAX_ALLOCATED_BYTES >> 20) + " MiB:\n" + r);
        }
    }

    /** One {@code check --static F F} in this JVM: what it printed, how long it took and what this thread allocated. */
    private record Run(Cli.Result result, double seconds, long allocatedBytes) {
        static Run of(Path file) {
            long allocatedBefore = allocatedByThisThread();
            long t0 = System.nanoTime();
            // --isolation worker: a static check runs here all the same; only an HDF5 file would be read in a worker.
            Cli.Result r = Cli.run("check", "--static", "--isolation", "worker", "--format", "json", file.toString(), file.toString());
            return new Run(r, (System.nanoTime() - t0) / 1e9, allocatedByThisThread() - allocatedBefore);
        }

        boolean overBudget() {
            return seconds > MAX_SECONDS || allocatedBytes > MAX_ALLOCATED_BYTES;
        }
    }

    /** Jazzer's own switch between fuzzing and regression mode. */
    private static boolean fuzzing() {
        String v = System.getenv("JAZZER_FUZZ");
        return v != null && !v.isEmpty();
    }

    private static long allocatedByThisThread() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @AfterAll
    static void removeTempDir() throws IOException {
        try (Stream<Path> s = Files.walk(DIR)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("modelgate-fuzz-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Stream<Path> files(Path root) {
        try (Stream<Path> s = Files.walk(root)) {
            List<Path> files = s.filter(Files::isRegularFile).toList();
            return files.stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static byte[] bytes(Path p) {
        try {
            return Files.readAllBytes(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
