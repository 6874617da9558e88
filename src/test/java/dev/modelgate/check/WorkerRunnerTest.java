package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.render.JsonRenderer;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Checks in a worker JVM: the same results, and a crash or a hang costs one check. */
class WorkerRunnerTest {
    @TempDir Path dir;
    static final Path MLP = Path.of("samples/mlp/original.yaml");
    static final CheckOptions FAST = CheckOptions.RUN.withTimeBudget(2).withIterations(2);

    static WorkerRunner worker(double timeout, List<String> jvm, Path thresholds) {
        return new WorkerRunner(new WorkerRunner.Settings("1", timeout, thresholds, null, jvm));
    }

    Path noTiming() {
        return TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
    }

    @Test
    void aWorkerGivesTheSameNonTimingResultsAsThisJvm() {
        Path cfg = noTiming();
        try (WorkerRunner w = worker(120, List.of(), cfg)) {
            CheckReport there = w.check(MLP, Path.of("samples/mlp/init-normal-100.yaml"), FAST);
            CheckReport here = new Checker(Thresholds.defaults().overlay(cfg)).check(MLP, Path.of("samples/mlp/init-normal-100.yaml"), FAST);
            assertEquals(masked(here), masked(there), "same structure, activations, gradients and verdicts, process to process");
            // Apart from times, the very same report: every record field, and text, JSON and HTML byte for byte.
            assertEquals(withoutTimes(here), withoutTimes(there));
            for (String format : List.of("text", "json", "html", "markdown", "junit")) {
                var r = dev.modelgate.render.Renderers.create(format, dev.modelgate.render.Style.PLAIN);
                assertEquals(r.render(withoutTimes(here)), r.render(withoutTimes(there)), format + " with --isolation none and worker");
            }
            assertEquals(Verdict.FAIL, there.verdict());
            // A second check reuses the same worker.
            assertEquals(Verdict.PASS, w.check(MLP, MLP, FAST).verdict());
        }
    }

    @Test
    void theSameInputsAndSeedGiveTheSameNonTimingResultsRunToRun() {
        Path cfg = noTiming();
        String first = masked(new Checker(Thresholds.defaults().overlay(cfg)).check(Path.of("samples/resnet/original.yaml"),
                Path.of("samples/resnet/b1-three-branches.yaml"), FAST));
        String second = masked(new Checker(Thresholds.defaults().overlay(cfg)).check(Path.of("samples/resnet/original.yaml"),
                Path.of("samples/resnet/b1-three-branches.yaml"), FAST));
        assertEquals(first, second);
    }

    @Test
    void badInputInTheWorkerIsStillBadInput() {
        Path bad = TestFiles.write(dir, "bad.yaml", "input: {features: 4}\nlayers: [{type: dense, untis: 3}]\noutput: {classes: 2}\n");
        try (WorkerRunner w = worker(120, List.of(), null)) {
            BadInputException e = assertThrows(BadInputException.class, () -> w.check(MLP, bad, FAST));
            assertTrue(e.getMessage().contains("unknown key 'untis'"), e.getMessage());
            // The same exception, field by field, as in this JVM: it crosses the worker boundary whole.
            BadInputException here = assertThrows(BadInputException.class, () -> new Checker(Thresholds.defaults()).check(MLP, bad, FAST));
            assertEquals(here.getMessage(), e.getMessage());
            assertEquals(here.kind(), e.kind());
            assertEquals(here.file(), e.file());
            assertEquals(here.location(), e.location());
            assertEquals(here.keyPath(), e.keyPath());
        }
    }

    /** Minutes of single-threaded training per iteration: certain to outlast any timeout the tests set. */
    static final String SLOW = "baseline: original.yaml\ninput: {image: [3, 128, 128]}\ntraining: {batch-size: 128}\nlayers:\n"
            + "  - {type: conv2d, filters: 64, kernel: 3, padding: same}\n  - {type: conv2d, filters: 64, kernel: 3, padding: same}\n"
            + "  - {type: global-pool}\noutput: {classes: 2}\n";

    @Test
    void anAuditSurvivesAWorkerThatDiesARunOutOfMemoryAndATimeout() {
        Path folder = dir.resolve("audit");
        String small = "input: {features: 16}\ntraining: {batch-size: 8}\nlayers: [{type: dense, units: %d}]\noutput: {classes: 2}\n";
        TestFiles.write(folder, "original.yaml", small.formatted(8));
        TestFiles.write(folder, "a-fine.yaml", "baseline: original.yaml\n" + small.formatted(12));
        TestFiles.write(folder, "b-killed.yaml", SLOW);   // its worker is killed (SIGKILL) mid-check: a stand-in for a native crash
        TestFiles.write(folder, "c-out-of-memory.yaml", "baseline: original.yaml\n" + small.formatted(16_000_000));
        TestFiles.write(folder, "d-slow.yaml", SLOW);      // runs past the timeout
        TestFiles.write(folder, "e-fine.yaml", "baseline: original.yaml\n" + small.formatted(10));
        Path cfg = noTiming();
        Auditor.Progress killer = new Auditor.Progress() {
            public void start(int total) {}
            public void checking(int index, String config) {
                if (!config.endsWith("b-killed.yaml")) return;
                Thread t = new Thread(() -> {
                    try { Thread.sleep(3000); } catch (InterruptedException ignored) { return; }
                    ProcessHandle.current().children().forEach(ProcessHandle::destroyForcibly);
                });
                t.setDaemon(true);
                t.start();
            }
            public void done(AuditEntry entry) {}
        };
        // A 2 GB physical cap: the out-of-memory model's 16,000,000 x 16 weights (1 GB), their gradients and the
        // optimizer's state pass it while it is built or trains (with 4,000,000 units, one model's training at a time
        // fitted in 2 GB: 1.7 GiB at its peak).
        try (WorkerRunner w = worker(30, List.of("-Dorg.bytedeco.javacpp.maxbytes=64m", "-Dorg.bytedeco.javacpp.maxphysicalbytes=2g"), cfg)) {
            AuditReport a = new Auditor(Thresholds.defaults().overlay(cfg), null, w).audit(folder, Auditor.Options.of(CheckOptions.RUN.withIterations(2)
                    .withMaxMemory(1L << 40)), killer);
            var byName = a.checks().stream().collect(Collectors.toMap(e -> Path.of(e.config()).getFileName().toString(), e -> e));
            assertEquals(Verdict.PASS, byName.get("a-fine.yaml").verdict(), byName.get("a-fine.yaml").toString());
            assertEquals(Verdict.PASS, byName.get("e-fine.yaml").verdict(), "checked after the crash, the out-of-memory and the timeout");
            AuditEntry killed = byName.get("b-killed.yaml"), oom = byName.get("c-out-of-memory.yaml"), slow = byName.get("d-slow.yaml");
            assertEquals(Verdict.ERROR, killed.verdict());
            assertTrue(killed.error().contains("the worker JVM died"), killed.error());
            // Stopped while measuring: the structural rules are still judged; the runtime ones say why they were not.
            assertEquals(Verdict.ERROR, oom.verdict());
            assertTrue(notMeasured(oom.report()).contains("ran out of memory"), oom.toString());
            // The slow model is stopped either by the 30 s timeout or, when its working memory passes this test's 2 GB
            // physical cap first (DL4J's workspaces are not counted against JavaCPP's maxbytes), by running out of
            // memory: either way a stop while measuring, reported the same way. The timeout alone is tested below.
            assertEquals(Verdict.ERROR, slow.verdict());
            String why = notMeasured(slow.report());
            assertTrue(why.contains("stopped after the 30 s timeout") || why.contains("ran out of memory"), slow.toString());
        }
    }

    @Test
    void aCheckThatTimesOutReportsItsStructuralVerdictAndWhatWasNotMeasured() {
        Path slow = TestFiles.write(dir, "slow.yaml", SLOW.replace("baseline: original.yaml\n", ""));
        try (WorkerRunner w = worker(3, List.of(), null)) {
            long start = System.nanoTime();
            CheckReport r = w.check(slow, slow, CheckOptions.RUN.withMaxMemory(1L << 40));
            assertTrue((System.nanoTime() - start) / 1e9 < 60, "stopped promptly");
            assertEquals(Verdict.ERROR, r.verdict(), "could not finish");
            assertTrue(notMeasured(r).contains("stopped after the 3 s timeout"), r.results().toString());
            assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("channel-growth") && x.status() == dev.modelgate.report.Status.PASS),
                    "the structural rules were judged");
            assertTrue(r.results().stream().filter(x -> x.rule().equals("training-time")).allMatch(x -> x.status() == dev.modelgate.report.Status.ERROR));
            // Not a --static check: the report (JSON "mode", the text header and notes) says the check was stopped.
            assertEquals("stopped", r.mode());
            String text = dev.modelgate.render.Renderers.create("text", dev.modelgate.render.Style.PLAIN).render(r);
            assertTrue(text.lines().findFirst().orElseThrow().contains("[stopped by a limit; the structure and what was measured before the stop judged, the rest not]"), text);
            assertFalse(text.contains("--static") || text.contains("timing rules are off"), text);
            assertEquals("stopped", dev.modelgate.codec.ReportCodec.check(dev.modelgate.codec.ReportCodec.check(r)).mode(), "the same mode read back");
        }
    }

    /**
     * A stop in the timing phase loses nothing measured before it: both models' health reached the parent as it was
     * measured, and every rule it is enough for is judged; only the timing rules are ERROR. The timing cannot end
     * before the timeout, whatever its interval says: the MLP of samples/timing widened to 4,096 units trains at batch
     * 512 in about a second per iteration, and the protocol's least (4 warm-up calls per model, then 16 pairs) is over
     * 40 s; health (2 iterations of each model) takes about 7 s of the 25 s timeout.
     */
    @Test
    void aCheckStoppedWhileTimingReportsTheHealthMeasuredBeforeTheStop() throws java.io.IOException {
        String base = java.nio.file.Files.readString(Path.of("samples/timing/base.yaml")).replace("units: 512}", "units: 4096}")
                .replace("batch-size: 64", "batch-size: 512");
        Path a = TestFiles.write(dir, "wide-a.yaml", base), b = TestFiles.write(dir, "wide-b.yaml", "# the same model, another file\n" + base);
        Path cfg = TestFiles.write(dir, "inference-off.yaml", "rules:\n  inference-latency: off\n");
        try (WorkerRunner w = worker(25, List.of(), cfg)) {
            CheckReport r = w.check(a, b, CheckOptions.RUN.withIterations(2).withTimeBudget(600));
            assertEquals("stopped", r.mode());
            assertTrue(r.original().health() != null && r.modified().health() != null, "both models' health reached the parent");
            java.util.Map<String, dev.modelgate.report.Status> status = new java.util.HashMap<>();
            r.results().forEach(x -> status.putIfAbsent(x.rule(), x.status()));
            assertEquals(dev.modelgate.report.Status.ERROR, status.get("training-time"));
            assertTrue(notMeasured(r).contains("stopped after the 25 s timeout"), r.results().toString());
            for (String health : List.of("activation-range", "non-finite", "gradient-explosion", "gradient-vanishing")) {
                dev.modelgate.report.Status st = status.get(health);
                assertTrue(st != dev.modelgate.report.Status.ERROR && st != dev.modelgate.report.Status.SKIP, health + " judged: " + r.results());
            }
            String text = dev.modelgate.render.Renderers.create("text", dev.modelgate.render.Style.PLAIN).render(r);
            assertTrue(text.lines().findFirst().orElseThrow().contains("[stopped by a limit; the structure and what was measured before the stop judged, the rest not]"), text);
        }
    }

    static String notMeasured(CheckReport r) {
        return r.results().stream().filter(x -> x.status() == dev.modelgate.report.Status.ERROR).map(dev.modelgate.report.RuleResult::message)
                .findFirst().orElse("");
    }

    /** The report without its phase times (the only thing that differs between two untimed runs of the same check). */
    static CheckReport withoutTimes(CheckReport r) {
        return new CheckReport(r.original(), r.modified(), r.diff(), r.results(), r.timing(), r.environment(), java.util.Map.of());
    }

    /** The report with what legitimately differs between runs masked: timing, phases, environment. */
    static String masked(CheckReport r) {
        CheckReport m = new CheckReport(r.original(), r.modified(), r.diff(), r.results(), null,
                r.environment(), java.util.Map.of());
        return new JsonRenderer().render(m);
    }
}
