package dev.modelgate.cli;

import dev.modelgate.TestFiles;
import dev.modelgate.rule.RuleRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The command line as a user meets it: exit codes, one-line errors, report files. */
class CliTest {
    @TempDir Path dir;

    static final String ORIGINAL = "samples/lenet/original.yaml";
    static final String FAILING = "samples/lenet/conv2-4x.yaml";

    static void assertOneLineError(Cli.Result r, String expected) {
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains(expected), r.toString());
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r);
        assertEquals("", r.out(), "nothing on stdout: " + r);
    }

    @Test
    void passingCheckExitsZero() {
        Cli.Result r = Cli.run("check", ORIGINAL, ORIGINAL, "--static");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().startsWith("modelgate check: PASS"), r.out());
    }

    @Test
    void failingCheckExitsOneAndNamesTheRule() {
        Cli.Result r = Cli.run("check", ORIGINAL, FAILING, "--static");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().startsWith("modelgate check: FAIL"), r.out());
        assertTrue(r.out().contains("conv2: output channels 50 -> 200 (4.0x, max allowed 2.0x)"), r.out());
        assertEquals("", r.err());
    }

    @Test
    void missingFileExitsTwoWithOneLine() {
        Cli.Result r = Cli.run("check", ORIGINAL, "no/such/model.yaml");
        assertOneLineError(r, "modelgate: error: no/such/model.yaml: file not found");
        assertEquals(1, r.err().strip().lines().count(), r.err());
    }

    @Test
    void invalidSpecExitsTwoNamingFileLineAndKey() {
        Path bad = TestFiles.write(dir, "bad.yaml", "input: {features: 4}\nlayers:\n  - {type: dense, untis: 3}\noutput: {classes: 2}\n");
        assertOneLineError(Cli.run("check", ORIGINAL, bad.toString(), "--static"), bad + ":3:19: layers[0].untis: unknown key 'untis' (did you mean 'units'?)");
    }

    @Test
    void aModelThatRunsButMisbehavesFailsRatherThanErrors() {
        // relu with cross-entropy: DL4J's builder would refuse it; modelgate runs it and shows the NaN loss it causes.
        Path cfg = TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        Path bad = TestFiles.write(dir, "bad.yaml", "input: {features: 4}\nlayers: [{type: dense, units: 3}]\noutput: {classes: 3, activation: relu, loss: mcxent}\n");
        Cli.Result r = Cli.run("check", bad.toString(), bad.toString(), "--config", cfg.toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("non-finite") && r.out().contains("loss is NaN at training iteration 1"), r.out());
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = Cli.run("check", ORIGINAL, "missing.yaml", "--verbose");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("\tat "), r.toString());
    }

    @Test
    void unknownOptionAndMissingArgumentsAreUsageErrors() {
        Cli.Result r = Cli.run("check", ORIGINAL, ORIGINAL, "--frobnicate");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("Unknown option: '--frobnicate'"), r.err());
        assertEquals(2, Cli.run("check", ORIGINAL).code());
        assertEquals(2, Cli.run().code());
        assertEquals(2, Cli.run("chek").code());
    }

    @Test
    void unknownAndNotYetAvailableFormatsAreUsageErrors() {
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--format", "yaml"), "--format: unknown format 'yaml'; valid: text, json, junit, markdown, github, html");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--report", "json"), "--report takes FORMAT=PATH");
    }

    @Test
    void cudaIsRefusedClearlyOnACpuBuild() {
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--backend", "cuda"), "--backend cuda: this build of modelgate has no CUDA backend "
                + "(nd4j-cuda-11.6 is not on its classpath; build with 'mvn -Pcuda package'");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--backend", "tpu"), "--backend must be cpu, cuda or auto, got 'tpu'");
        assertEquals(0, Cli.run("check", ORIGINAL, ORIGINAL, "--static", "--backend", "cpu").code());
    }

    @Test
    void badInputShapeIsAUsageError() {
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--input-shape", "1,x"), "'--input-shape' ([NAME=]SHAPE): '1,x' is not a shape");
    }

    @Test
    void reportFilesAreWrittenWholeBesideStdout() throws Exception {
        Path json = dir.resolve("out/report.json"), text = dir.resolve("report.txt");
        Cli.Result r = Cli.run("check", ORIGINAL, FAILING, "--static", "--report", "json=" + json, "--report", "text=" + text, "--quiet");
        assertEquals(1, r.code(), r.toString());
        assertEquals("", r.out(), "--quiet prints no report");
        String content = Files.readString(json);
        assertTrue(content.contains("\"verdict\" : \"FAIL\""));
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(content);
        assertTrue(Files.readString(text).startsWith("modelgate check: FAIL"));
        try (var files = Files.list(dir.resolve("out"))) {
            assertEquals(1, files.count(), "no temporary file left behind");
        }
    }

    @Test
    void aReportNeverOverwritesAnInput() throws Exception {
        Path model = TestFiles.write(dir, "model.yaml", Files.readString(Path.of(ORIGINAL)));
        String before = Files.readString(model);
        assertOneLineError(Cli.run("check", ORIGINAL, model.toString(), "--report", "json=" + model), "it is an input of this run");
        assertEquals(before, Files.readString(model));
    }

    @Test
    void configFileErrorsExitTwo() {
        Path cfg = TestFiles.write(dir, "cfg.yaml", "rules:\n  channel-growth: {max-ratio: -1}\n");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--static", "--config", cfg.toString()), "rules.channel-growth.max-ratio: must be a number of at least 1, got -1");
    }

    @Test
    void inspectRejectsABadConfigToo() {
        Path cfg = TestFiles.write(dir, "cfg.yaml", "rules: {nope: {}}\n");
        assertOneLineError(Cli.run("inspect", ORIGINAL, "--static", "--config", cfg.toString()), "unknown rule 'nope'");
    }

    @Test
    void aProjectConfigInTheCurrentDirectoryIsPickedUp() throws Exception {
        // The working directory of a JVM cannot change, so this one runs modelgate in a child JVM.
        TestFiles.write(dir, ".modelgate.yaml", "rules:\n  channel-growth: {max-ratio: 4.0}\n");
        Path original = Path.of(ORIGINAL).toAbsolutePath(), failing = Path.of(FAILING).toAbsolutePath();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.modelgate.cli.Main", "check", original.toString(), failing.toString(), "--static")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        assertTrue(out.contains("max allowed 4.0x"), out);
    }

    @Test
    void insideGithubActionsTheTextReportIsFollowedByAnnotations() throws Exception {
        // Environment variables cannot change inside a JVM, so this runs modelgate in a child JVM.
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "dev.modelgate.cli.Main", "check", ORIGINAL, FAILING, "--static").redirectErrorStream(true);
        pb.environment().put("GITHUB_ACTIONS", "true");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(1, p.waitFor(), out);
        assertTrue(out.startsWith("modelgate check: FAIL"), out);
        assertTrue(out.contains("::error file=" + FAILING + ",line=11,title=modelgate channel-growth::"), out); // conv2 is on line 11
        pb.environment().remove("GITHUB_ACTIONS");
        Process plain = pb.start();
        assertFalse(new String(plain.getInputStream().readAllBytes()).contains("::error"), "outside Actions, no annotations");
        plain.waitFor();
    }

    @Test
    void configFileChangesTheVerdict() {
        Path cfg = TestFiles.write(dir, "cfg.yaml", "rules:\n  channel-growth: {max-ratio: 4.0}\n");
        assertEquals(0, Cli.run("check", ORIGINAL, FAILING, "--static", "--config", cfg.toString()).code());
    }

    @Test
    void rulesListsEveryRuleWithThresholdAndReason() {
        Cli.Result r = Cli.run("rules");
        assertEquals(0, r.code());
        for (String id : RuleRegistry.ids()) assertTrue(r.out().contains(id), id);
        assertTrue(r.out().contains("max-ratio 2"));
        assertTrue(r.out().contains("min 1e-05"));
        Cli.Result json = Cli.run("rules", "--format", "json");
        assertTrue(json.out().contains("\"id\" : \"gradient-explosion\""), json.out());
    }

    @Test
    void inspectShowsTheLayerTable() {
        Cli.Result r = Cli.run("inspect", ORIGINAL, "--static");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("431,080 parameters"), r.out());
        assertTrue(r.out().contains("conv2"), r.out());
    }

    @Test
    void inspectRefusesFormatsThatHaveNoSingleModelReport() {
        assertOneLineError(Cli.run("inspect", ORIGINAL, "--static", "--format", "junit"), "inspect reports one model in text or json; the junit format is for check and audit");
        assertOneLineError(Cli.run("inspect", ORIGINAL, "--static", "--report", "html=x.html"), "the html format is for check and audit");
    }

    @Test
    void inspectWithoutStaticShowsTheHealthOfEveryLayer() {
        Cli.Result r = Cli.run("inspect", "samples/mlp/original.yaml", "--iterations", "2");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("Health (2 training iterations, batch 32"), r.out());
        assertTrue(r.out().contains("peak grad L2") && r.out().contains("DL4J counts"), r.out());
    }

    @Test
    void runtimeOptionsAreValidated() {
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--iterations", "0"), "--iterations must be between 1 and 10000");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--time-budget", "-1"), "--time-budget must be a positive number");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--inference-batch", "0"), "--inference-batch must be between 1");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--threads", "3"), "--threads 3 needs OMP_NUM_THREADS=3 before DL4J loads");
        assertOneLineError(Cli.run("check", ORIGINAL, ORIGINAL, "--max-memory", "lots"), "'--max-memory': takes a size such as 8G");
        assertEquals(8L << 30, dev.modelgate.check.CheckOptions.parseSize("8G"));
        assertEquals(512L << 20, dev.modelgate.check.CheckOptions.parseSize("512MiB"));
        assertEquals(1000, dev.modelgate.check.CheckOptions.parseSize("1000"));
    }

    @Test
    void versionAndHelp() {
        Cli.Result v = Cli.run("--version");
        assertEquals(0, v.code());
        assertTrue(v.out().startsWith("modelgate "), v.out());
        Cli.Result h = Cli.run("check", "--help");
        assertEquals(0, h.code());
        assertTrue(h.out().contains("--input-shape"), h.out());
        assertTrue(Cli.run("--help").out().contains("Exit codes:"));
    }

    @CommandLine.Command(name = "boom")
    static final class Boom implements Runnable {
        @CommandLine.Option(names = "--verbose") boolean verbose;
        public void run() { throw new IllegalStateException("boom"); }
    }

    @Test
    void anUnexpectedExceptionIsExitThreeWithoutAStackTrace() {
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new Boom());
        cl.setErr(new PrintWriter(err));
        cl.setExecutionExceptionHandler(new ErrorHandler());
        assertEquals(3, cl.execute());
        assertTrue(err.toString().startsWith("modelgate: internal error: java.lang.IllegalStateException: boom"), err.toString());
        assertFalse(err.toString().contains("\tat "));
    }

}
