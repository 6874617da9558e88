package dev.modelgate.check;

import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The timing rules on real DL4J models, with wide margins: the logic (a model ~3x slower to train is flagged, an
 * identical one is not), not the thresholds' exact behaviour, which docs/benchmarks.md measures over many runs.
 */
class TimingCheckTest {
    static final Path BASE = Path.of("samples/timing/base.yaml"), SLOW = Path.of("samples/timing/slower-3x.yaml");
    static final CheckOptions QUICK = CheckOptions.RUN.withTimeBudget(10).withIterations(1);

    static RuleResult result(CheckReport r, String rule) {
        return r.results().stream().filter(x -> x.rule().equals(rule)).findFirst().orElseThrow();
    }

    @Test
    void aModelThreeTimesSlowerToTrainFailsTrainingTime() {
        CheckReport r = new Checker(Thresholds.defaults()).check(BASE, SLOW, QUICK);
        TimingReport.Measurement t = r.timing().training();
        assertTrue(t.ratio() > 2.2 && t.ratio() < 5, "ratio " + t.ratio());
        assertEquals(Status.FAIL, result(r, "training-time").status(), result(r, "training-time").message());
        assertTrue(result(r, "training-time").message().contains(dev.modelgate.report.TimingReport.INTERVAL));
    }

    /** The base model in a file of its own: the same model, other bytes, so that it is timed, not skipped. */
    static Path copyOfBase() {
        try {
            return dev.modelgate.TestFiles.sameModelOtherBytes(BASE, java.nio.file.Files.createTempDirectory("mg-base-copy"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void modelsTrainedAtDifferentBatchSizesAreComparedPerExample() throws Exception {
        // The same MLP at batch 256 instead of 32: 8x the examples per iteration for much less than 8x the time, so it
        // is faster per example (about 0.24x measured), though slower per iteration.
        Path mlp = Path.of("samples/mlp/original.yaml");
        Path bigger = dev.modelgate.TestFiles.write(java.nio.file.Files.createTempDirectory("mg-batch"), "b256.yaml",
                java.nio.file.Files.readString(mlp).replace("batch-size: 32", "batch-size: 256"));
        CheckReport r = new Checker(Thresholds.defaults()).check(mlp, bigger, QUICK);
        TimingReport.Measurement t = r.timing().training();
        assertEquals("training time per example (batch 32 -> 256)", t.operation());
        assertTrue(t.ratio() < 0.6, "faster per example: " + t.ratio());
        assertEquals(Status.PASS, result(r, "training-time").status(), result(r, "training-time").message());
    }

    @Test
    void oneFileAgainstItselfIsMeasuredOnceAndNotTimed() {
        CheckReport r = new Checker(Thresholds.defaults()).check(BASE, BASE, QUICK);
        assertNull(r.timing());
        assertEquals(Status.SKIP, result(r, "training-time").status());
        assertTrue(result(r, "inference-latency").message().contains("both files are the same model"), result(r, "inference-latency").message());
        assertEquals(r.original().health(), r.modified().health(), "one measurement for both");
    }

    @Test
    void identicalModelsPassBothTimingRules() {
        CheckReport r = new Checker(Thresholds.defaults()).check(BASE, copyOfBase(), QUICK);
        assertNotNull(r.timing());
        assertTrue(r.timing().training().ratio() > 0.8 && r.timing().training().ratio() < 1.25, "training ratio " + r.timing().training().ratio());
        assertTrue(r.timing().inference().ratio() > 0.7 && r.timing().inference().ratio() < 1.4, "inference ratio " + r.timing().inference().ratio());
        assertEquals(Status.PASS, result(r, "training-time").status());
        assertEquals(Status.PASS, result(r, "inference-latency").status());
        // the timing runs single-threaded, as modelgate does by default; the two health probes before it interleaved
        // on its thread (two models measured here)
        assertEquals("1; health probes interleaved", r.timing().threads());
    }

    @Test
    void absoluteLimitsAndEpochEstimatesAreJudgedWhenConfigured() throws Exception {
        Path cfg = java.nio.file.Files.createTempFile("mg", ".yaml");
        java.nio.file.Files.writeString(cfg, "rules:\n  training-time: {max-ms: 0.001, epoch-size: 1000, max-epoch-minutes: 1000}\n  inference-latency: off\n");
        CheckReport r = new Checker(Thresholds.defaults().overlay(cfg)).check(BASE, copyOfBase(), QUICK);
        var results = r.results().stream().filter(x -> x.rule().equals("training-time")).toList();
        assertEquals(3, results.size(), results.toString());
        assertTrue(results.stream().anyMatch(x -> x.status() == Status.FAIL && x.message().contains("max allowed 0.001 ms")), results.toString());
        assertTrue(results.stream().anyMatch(x -> x.status() == Status.PASS && x.message().startsWith("estimated epoch of 1000 iterations")), results.toString());
    }
}
