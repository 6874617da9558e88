package dev.modelgate.cli;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.TreeSet;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * A corpus of broken and hostile model configs ({@code src/test/resources/bad-inputs/}), each listed in
 * {@code EXPECTED.tsv} as {@code file<TAB>substring[<TAB>runtime]}. Every one must end the real command line with
 * exit code 2 and exactly one line on stderr ({@code modelgate: error: ...}) that names the file and says what is
 * wrong: no stack trace, nothing on stdout, no hang, and no unbounded memory. Rows marked {@code runtime} run
 * without {@code --static} (the structure passes; the model must be refused before anything is built). HDF5 files
 * run with {@code --isolation worker} (the tests' default is none): one of them crashes the HDF5 library.
 */
class BadInputsTest {
    static final Path CORPUS = Path.of("src/test/resources/bad-inputs");
    static final Path INDEX = CORPUS.resolve("EXPECTED.tsv");
    /** The data files and image folders that the corpus's specs name (not cases of their own). */
    static final Path DATA = CORPUS.resolve("data");
    static final Duration CASE_LIMIT = Duration.ofSeconds(15);
    /** A case that hangs is stopped here rather than holding up the build; CASE_LIMIT is what is asserted. */
    static final Duration HANG_GUARD = Duration.ofSeconds(120);
    static final long MAX_HEAP_GROWTH = 512L << 20;
    static final long MAX_FILE_BYTES = 20L << 10;
    static final long MAX_DEEP_NESTING_BYTES = 100_000;

    @TempDir Path tmp;

    record Row(String file, String expected, boolean runtime) {}

    static List<Row> rows() {
        List<String> lines;
        try {
            lines = Files.readAllLines(INDEX, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        List<Row> rows = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank()) continue;
            String[] cols = line.split("\t", -1);
            if (cols.length < 2 || cols.length > 3 || cols[0].isEmpty() || cols[1].isEmpty()
                    || (cols.length == 3 && !cols[2].equals("runtime"))) {
                fail("EXPECTED.tsv:" + (i + 1) + ": expected 'file<TAB>substring[<TAB>runtime]', got: " + line);
            }
            rows.add(new Row(cols[0], cols[1], cols.length == 3));
        }
        return rows;
    }

    static Set<String> corpusFiles() {
        try (Stream<Path> s = Files.list(CORPUS)) {
            return s.filter(p -> !p.equals(DATA)).map(p -> p.getFileName().toString()).filter(n -> !n.equals("EXPECTED.tsv")).collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void hostileZipsInAnAuditAreOneErrorEachAndTheFineConfigIsStillChecked(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        Path folder = Files.createDirectories(tmp.resolve("experiments"));
        Files.copy(Path.of("samples/mlp/original.yaml"), folder.resolve("original.yaml"));
        Files.writeString(folder.resolve("wider.yaml"), Files.readString(Path.of("samples/mlp/fc1-2x.yaml")));
        List<String> zips = corpusFiles().stream().filter(f -> f.startsWith("zip-")).sorted().toList();
        assertTrue(zips.size() >= 6, zips.toString());
        for (String z : zips) Files.copy(CORPUS.resolve(z), folder.resolve(z));
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--no-cache", "--format", "json");
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, r.code(), r.toString());
        assertFalse(r.err().contains("\tat "), r.err());
        com.fasterxml.jackson.databind.JsonNode json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out());
        long errors = 0, passes = 0;
        for (com.fasterxml.jackson.databind.JsonNode c : json.get("checks")) {
            if (c.get("verdict").asText().equals("ERROR")) errors++;
            if (c.get("verdict").asText().equals("PASS")) passes++;
        }
        assertEquals(zips.size(), errors, "one ERROR entry per hostile zip: " + json.get("checks"));
        assertEquals(1, passes, "the fine pair is still checked");
        assertTrue(ms < CASE_LIMIT.toMillis() * 2, "took " + ms + " ms");
    }

    @Test
    void everyCorpusFileHasExactlyOneRowAndIsSmall() throws IOException {
        Set<String> files = corpusFiles();
        assertTrue(files.size() >= 40, "the corpus has only " + files.size() + " files");
        List<Row> rows = rows();
        Set<String> seen = new HashSet<>();
        for (Row r : rows) {
            assertTrue(seen.add(r.file()), "EXPECTED.tsv lists " + r.file() + " twice");
            assertTrue(files.contains(r.file()), "EXPECTED.tsv lists " + r.file() + ", which is not in " + CORPUS);
            assertFalse(CORPUS.resolve(r.file()).toString().contains(r.expected()),
                    "the expected text of " + r.file() + " is part of its path, so it would prove nothing: " + r.expected());
        }
        Set<String> missing = new TreeSet<>(files);
        missing.removeAll(seen);
        assertTrue(missing.isEmpty(), "corpus files without a row in EXPECTED.tsv: " + missing);
        for (String f : files) {
            Path p = CORPUS.resolve(f);
            assertTrue(Files.isRegularFile(p), p + " is not a regular file");
            long limit = f.startsWith("deep-nesting-") ? MAX_DEEP_NESTING_BYTES : MAX_FILE_BYTES;
            assertTrue(Files.size(p) < limit, p + " is " + Files.size(p) + " bytes, more than " + limit);
        }
        try (Stream<Path> data = Files.walk(DATA)) {
            for (Path p : data.filter(Files::isRegularFile).toList()) assertTrue(Files.size(p) < MAX_FILE_BYTES, p + " is " + Files.size(p) + " bytes");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyBadInputEndsInOneClearErrorLine() {
        Runtime rt = Runtime.getRuntime();
        long heapBefore = usedHeapAfterGc(rt);
        long[] peakAfterCase = {heapBefore};
        String[] peakCase = {"(none)"};

        Stream<DynamicTest> corpus = rows().stream().map(row -> {
            Path file = CORPUS.resolve(row.file());
            return DynamicTest.dynamicTest(row.file() + (row.runtime() ? " (without --static)" : " --static"), file.toUri(), () -> {
                assertOneErrorLine(file, row.file(), row.expected(), row.runtime());
                notePeak(rt, row.file(), peakAfterCase, peakCase);
            });
        });

        Stream<DynamicTest> generated = Stream.of(
                DynamicTest.dynamicTest("huge-comments.yaml: a generated 200 MB file (without --static)", tmp.toUri(), () -> {
                    Path big = tmp.resolve("huge-comments.yaml");
                    writeRepeatedComment(big, 200L << 20);
                    try {
                        assertOneErrorLine(big, "huge-comments.yaml", "MiB; a model config is at most", true);
                    } finally {
                        Files.deleteIfExists(big);
                    }
                    notePeak(rt, "huge-comments.yaml", peakAfterCase, peakCase);
                }),
                DynamicTest.dynamicTest("a-model-dir.yaml: a directory given as a model (without --static)", tmp.toUri(), () -> {
                    Path dir = Files.createDirectories(tmp.resolve("a-model-dir.yaml"));
                    assertOneErrorLine(dir, "a-model-dir.yaml", "is a directory", true);
                }),
                DynamicTest.dynamicTest("no-such-model.yaml: a missing file (without --static)", tmp.toUri(), () -> {
                    Path missing = tmp.resolve("no-such-model.yaml");
                    assertOneErrorLine(missing, "no-such-model.yaml", "file not found", true);
                }));

        // Issue 12 item 6: inputs with no end, or with no bound but the file size: refused before they are read whole.
        Stream<DynamicTest> unbounded = Stream.of(
                unbounded("/dev/zero as a model", () -> Path.of("/dev/zero"), "is not a regular file", rt, peakAfterCase, peakCase),
                unbounded("a FIFO as a model", () -> fifo("model-fifo.yaml"), "is not a regular file", rt, peakAfterCase, peakCase),
                unbounded("a spec of 40,000 nodes (1.1 MB)", () -> manyNodes("many-nodes.yaml", 40_000), "40,000 layers; a model has at most 5,000", rt, peakAfterCase, peakCase),
                unbounded("a 16 MB list of 8 million values", () -> manyValues("many-values.json"), "more than 250,000 values", rt, peakAfterCase, peakCase),
                DynamicTest.dynamicTest("--config /dev/zero and --config FIFO", tmp.toUri(), () -> {
                    Path model = manyNodes("small.yaml", 2);
                    for (Path config : List.of(Path.of("/dev/zero"), fifo("config-fifo.yaml"))) {
                        for (boolean runtime : new boolean[] {false, true}) {
                            List<String> args = new ArrayList<>(List.of("check", model.toString(), model.toString(), "--config", config.toString()));
                            if (!runtime) args.add("--static");
                            assertOneErrorLine(args.toArray(new String[0]), config.getFileName().toString(), "is not a regular file");
                        }
                    }
                    notePeak(rt, "--config /dev/zero", peakAfterCase, peakCase);
                }));

        Stream<DynamicTest> memory = Stream.of(DynamicTest.dynamicTest("heap: bounded memory over the whole corpus", tmp.toUri(), () -> {
            long after = usedHeapAfterGc(rt);
            long growth = after - heapBefore;
            assertTrue(growth < MAX_HEAP_GROWTH, () -> "used heap grew by " + mib(growth) + " over the corpus (" + mib(heapBefore) + " -> "
                    + mib(after) + "; highest used heap after a case, before GC: " + mib(peakAfterCase[0]) + " after " + peakCase[0] + "), more than " + mib(MAX_HEAP_GROWTH));
        }));

        return Stream.of(corpus, generated, unbounded, memory).flatMap(s -> s);
    }

    /**
     * One unbounded input, three ways: {@code check} with and without {@code --static}, and in an {@code audit} beside a
     * fine config, which is still checked (the audit exits 2 with the bad one as one ERROR entry).
     */
    DynamicTest unbounded(String what, Callable<Path> make, String expected, Runtime rt, long[] peak, String[] peakName) {
        return DynamicTest.dynamicTest(what + ": check, check --static and audit", tmp.toUri(), () -> {
            Path file = make.call();
            String name = file.getFileName().toString();
            assertOneErrorLine(file, name, expected, false);
            assertOneErrorLine(file, name, expected, true);
            Path folder = Files.createDirectories(tmp.resolve("audit-" + name));
            Files.writeString(folder.resolve("original.yaml"), SMALL.formatted(8));
            Files.writeString(folder.resolve("wider.yaml"), SMALL.formatted(10));
            Path inFolder = folder.resolve(name.contains(".") ? name : name + ".yaml"); // an audit takes model files by extension
            if (Files.isRegularFile(file)) Files.copy(file, inFolder);
            else if (file.startsWith(tmp)) Files.move(file, inFolder); // a FIFO
            else deviceNode(file, inFolder);
            for (boolean runtime : new boolean[] {false, true}) {
                // The timing rules are off: on a loaded machine a 1 s budget could FAIL the fine pair; this is about the bad one.
                Path noTiming = Files.writeString(tmp.resolve("no-timing.yaml"), "rules:\n  training-time: off\n  inference-latency: off\n");
                List<String> args = new ArrayList<>(List.of("audit", folder.toString(), "--no-cache", "--format", "json", "--iterations", "1",
                        "--config", noTiming.toString()));
                if (!runtime) args.add("--static");
                long t0 = System.nanoTime();
                Cli.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> Cli.run(args.toArray(new String[0])), () -> args + " did not finish");
                long ms = (System.nanoTime() - t0) / 1_000_000;
                assertEquals(2, r.code(), r::toString);
                assertFalse(r.err().contains("\tat "), r::toString);
                var checks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("checks");
                assertEquals(2, checks.size(), r::toString);
                for (var c : checks) {
                    if (c.get("config").asText().endsWith("wider.yaml")) assertEquals("PASS", c.get("verdict").asText(), r::toString);
                    else assertTrue(c.get("error").asText().contains(expected), r::toString);
                }
                assertTrue(ms < CASE_LIMIT.toMillis() + (runtime ? 30_000 : 0), () -> "the audit took " + ms + " ms: " + r);
            }
            notePeak(rt, what, peak, peakName);
        });
    }

    static final String SMALL = "input: {features: 4}\nlayers:\n  - {type: dense, units: %d}\noutput: {classes: 3}\n";

    /**
     * The same device as {@code device} ({@code /dev/zero} is character device 1,5) inside the audited folder; where
     * this process may not make device nodes (not root), a FIFO stands in: no read of either ever ends.
     */
    static void deviceNode(Path device, Path node) throws Exception {
        Process p = new ProcessBuilder("mknod", node.toString(), "c", "1", "5").redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        if (p.waitFor() != 0 || !device.toString().equals("/dev/zero")) {
            Files.deleteIfExists(node);
            assertEquals(0, new ProcessBuilder("mkfifo", node.toString()).start().waitFor(), "mkfifo");
        }
    }

    Path fifo(String name) throws Exception {
        Path f = tmp.resolve(name);
        if (!Files.exists(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
            assertEquals(0, p.waitFor(), "mkfifo");
        }
        return f;
    }

    Path manyNodes(String name, int nodes) throws IOException {
        StringBuilder sb = new StringBuilder("input: {features: 4}\nlayers:\n");
        for (int i = 0; i < nodes; i++) sb.append("  - {type: dense, units: 4}\n");
        return Files.writeString(tmp.resolve(name), sb.append("output: {classes: 3}\n"));
    }

    Path manyValues(String name) throws IOException {
        StringBuilder sb = new StringBuilder(16_100_000).append("{\"input\": {\"features\": 4}, \"description\": [0");
        for (int i = 1; i < 8_000_000; i++) sb.append(",0");
        return Files.writeString(tmp.resolve(name), sb.append("]}"));
    }

    /** Runs {@code check FILE FILE [--static]} and holds the result to the one-line error contract. */
    static void assertOneErrorLine(Path file, String name, String expected, boolean runtime) {
        String path = file.toString();
        List<String> a = new ArrayList<>(runtime ? List.of("check", path, path) : List.of("check", path, path, "--static"));
        // HDF5 files are read in a worker JVM, as outside tests: a damaged one can crash the HDF5 library.
        if (path.endsWith(".h5")) a.addAll(List.of("--isolation", "worker"));
        assertOneErrorLine(a.toArray(String[]::new), name, expected);
    }

    /** Runs the command line and holds the result to the one-line error contract: the line names {@code name}. */
    static void assertOneErrorLine(String[] args, String name, String expected) {
        long[] nanos = new long[1];
        Cli.Result r = assertTimeoutPreemptively(HANG_GUARD, () -> {
            long t0 = System.nanoTime();
            Cli.Result res = Cli.run(args);
            nanos[0] = System.nanoTime() - t0;
            return res;
        }, () -> Arrays.toString(args) + " did not finish within " + HANG_GUARD.toSeconds() + " s");

        Supplier<String> what = () -> String.join(" ", args) + "\nexpected the line to contain: " + expected + "\n" + r;
        assertEquals(2, r.code(), what);
        assertFalse(r.err().contains("\tat "), () -> "a stack trace without --verbose: " + what.get());
        assertEquals("", r.out(), () -> "nothing on stdout: " + what.get());
        String err = r.err().strip();
        assertEquals(1, err.lines().count(), () -> "exactly one line on stderr: " + what.get());
        assertTrue(err.startsWith("modelgate: error: "), what);
        assertTrue(err.contains(name), () -> "the line names the file " + name + ": " + what.get());
        assertTrue(err.replace(name, "").contains(expected), () -> "the line says what is wrong (not counting the file's name): " + what.get());
        assertTrue(nanos[0] < CASE_LIMIT.toNanos(), () -> "took " + nanos[0] / 1_000_000 + " ms (limit " + CASE_LIMIT.toMillis() + " ms): " + what.get());
    }

    /** A YAML comment line repeated to {@code bytes}: larger than any model config may be. */
    static void writeRepeatedComment(Path file, long bytes) throws IOException {
        byte[] line = "# padding: a model config is never this large, and modelgate must not read all of it\n".getBytes(StandardCharsets.US_ASCII);
        byte[] chunk = new byte[(1 << 20) / line.length * line.length];
        for (int i = 0; i < chunk.length; i += line.length) System.arraycopy(line, 0, chunk, i, line.length);
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long written = 0; written < bytes; written += chunk.length) out.write(chunk);
        }
    }

    static void notePeak(Runtime rt, String name, long[] peak, String[] peakName) {
        long used = rt.totalMemory() - rt.freeMemory();
        if (used > peak[0]) {
            peak[0] = used;
            peakName[0] = name;
        }
    }

    static long usedHeapAfterGc(Runtime rt) {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            used = Math.min(used, rt.totalMemory() - rt.freeMemory());
        }
        return used;
    }

    static String mib(long bytes) {
        return (bytes >> 20) + " MiB";
    }
}
