package dev.modelgate.rule;

import dev.modelgate.TestFiles;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Each rule on small real specs: the limit, just inside it, just beyond it. */
class RulesTest {
    @TempDir Path dir;

    static String cnn(int conv1, int conv2, int fc) {
        return """
                input: {image: [1, 16, 16]}
                layers:
                  - {name: conv1, type: conv2d, filters: %d, kernel: 3}
                  - {name: pool1, type: max-pool, kernel: 2}
                  - {name: conv2, type: conv2d, filters: %d, kernel: 3}
                  - {name: fc1, type: dense, units: %d}
                output: {classes: 10}
                """.formatted(conv1, conv2, fc);
    }

    CheckReport check(String original, String modified) {
        return check(original, modified, Thresholds.defaults());
    }

    CheckReport check(String original, String modified, Thresholds t) {
        Path a = TestFiles.write(dir, "a.yaml", original), b = TestFiles.write(dir, "b.yaml", modified);
        return new Checker(t).check(a, b, CheckOptions.STATIC);
    }

    static List<RuleResult> of(CheckReport r, String rule) {
        return r.results().stream().filter(x -> x.rule().equals(rule)).toList();
    }

    static Status status(CheckReport r, String rule) {
        List<RuleResult> rs = of(r, rule);
        return rs.stream().map(RuleResult::status).filter(s -> s != Status.PASS).findFirst().orElse(rs.get(0).status());
    }

    @ParameterizedTest(name = "conv2 8 -> {0}: {1}")
    @CsvSource({"8, PASS", "13, PASS", "16, PASS", "17, FAIL", "32, FAIL", "4, PASS", "3, PASS"})
    void channelGrowthFailsBeyondTwiceTheChannels(int filters, Status expected) {
        CheckReport r = check(cnn(4, 8, 32), cnn(4, filters, 32));
        assertEquals(expected, status(r, "channel-growth"));
        assertEquals(expected == Status.FAIL ? Verdict.FAIL : Verdict.PASS, r.verdict());
    }

    @Test
    void channelGrowthMessageNamesLayerValuesRatioAndLimit() {
        RuleResult f = of(check(cnn(4, 50, 32), cnn(4, 200, 32)), "channel-growth").get(0);
        assertEquals(Status.FAIL, f.status());
        assertEquals("conv2", f.layer());
        assertEquals(4.0, f.measured());
        assertEquals(2.0, f.threshold());
        assertEquals("conv2: output channels 50 -> 200 (4.0x, max allowed 2.0x)", f.message());
    }

    @Test
    void everyViolatingLayerIsReportedSeparately() {
        List<RuleResult> rs = of(check(cnn(4, 8, 32), cnn(12, 32, 32)), "channel-growth");
        assertEquals(List.of("conv1", "conv2"), rs.stream().map(RuleResult::layer).toList());
        assertTrue(rs.stream().allMatch(x -> x.status() == Status.FAIL));
    }

    @Test
    void passingResultCarriesTheClosestMeasuredValue() {
        RuleResult p = of(check(cnn(4, 8, 32), cnn(6, 13, 32)), "channel-growth").get(0);
        assertEquals(Status.PASS, p.status());
        assertEquals("conv2", p.layer());
        assertEquals(13.0 / 8, p.measured(), 1e-9);
    }

    @Test
    void anAddedConvIsJudgedByItsOwnOutputOverInputChannels() {
        String original = cnn(4, 8, 32);
        String wide = original.replace("  - {name: fc1", "  - {name: conv3, type: conv2d, filters: 40, kernel: 3}\n  - {name: fc1");
        RuleResult f = of(check(original, wide), "channel-growth").get(0);
        assertEquals(Status.FAIL, f.status());
        assertEquals("conv3 (added): output channels 40 from 8 input channels (5.0x, max allowed 2.0x)", f.message());
        String fine = original.replace("  - {name: fc1", "  - {name: conv3, type: conv2d, filters: 16, kernel: 3}\n  - {name: fc1");
        assertEquals(Status.PASS, status(check(original, fine), "channel-growth"));
    }

    @Test
    void anAddedConvReadingTheModelInputIsNotAGrowth() {
        String original = """
                input: {image: [3, 16, 16]}
                layers:
                  - {name: fc1, type: dense, units: 32}
                output: {classes: 10}
                """;
        String withStem = original.replace("  - {name: fc1", "  - {name: stem, type: conv2d, filters: 32, kernel: 3}\n  - {name: fc1");
        assertEquals(Status.PASS, status(check(original, withStem), "channel-growth"));
    }

    @ParameterizedTest(name = "conv2 8 -> {0}: {1}")
    @CsvSource({"4, PASS", "3, WARN", "1, WARN"})
    void channelShrinkWarnsBelowHalf(int filters, Status expected) {
        CheckReport r = check(cnn(4, 8, 32), cnn(4, filters, 32));
        assertEquals(expected, status(r, "channel-shrink"));
        assertEquals(Verdict.PASS, r.verdict(), "a warning never fails the check");
    }

    @ParameterizedTest(name = "fc1 32 -> {0}: growth {1}, shrink {2}")
    @CsvSource({"32, PASS, PASS", "64, PASS, PASS", "65, WARN, PASS", "16, PASS, PASS", "15, PASS, WARN"})
    void denseRulesWarnBeyondTwiceOrBelowHalf(int units, Status growth, Status shrink) {
        CheckReport r = check(cnn(4, 8, 32), cnn(4, 8, units));
        assertEquals(growth, status(r, "dense-growth"));
        assertEquals(shrink, status(r, "dense-shrink"));
    }

    @Test
    void theOutputLayerIsNotADenseLayerForTheWidthRules() {
        String a = cnn(4, 8, 32), b = a.replace("classes: 10", "classes: 100");
        assertEquals(Status.PASS, status(check(a, b), "dense-growth"));
    }

    static String branches(int n) {
        StringBuilder sb = new StringBuilder("input: {image: [1, 8, 8]}\nnodes:\n");
        StringBuilder ins = new StringBuilder();
        for (int i = 1; i <= n; i++) {
            sb.append("  b").append(i).append(": {type: conv2d, filters: 4, kernel: 3, padding: same, inputs: [input]}\n");
            ins.append(i == 1 ? "" : ", ").append("b").append(i);
        }
        sb.append("  join: {type: add, inputs: [").append(ins).append("]}\n  gap: {type: global-pool}\noutput: {classes: 2}\n");
        return sb.toString();
    }

    @ParameterizedTest(name = "{0} branches: {1}")
    @CsvSource({"2, PASS", "3, WARN", "4, WARN"})
    void parallelBranchesWarnsBeyondTwo(int n, Status expected) {
        CheckReport r = check(branches(2), branches(n));
        assertEquals(expected, status(r, "parallel-branches"));
        if (expected == Status.WARN) assertEquals("join", of(r, "parallel-branches").get(0).layer());
    }

    @Test
    void depthGrowthCountsAddedWeightLayersOnly() {
        String a = cnn(4, 8, 32);
        String three = a.replace("  - {name: fc1", "  - {type: dense, units: 16}\n  - {type: dropout, rate: 0.1}\n  - {type: dense, units: 16}\n  - {type: dense, units: 16}\n  - {name: fc1");
        String four = three.replace("  - {name: fc1", "  - {type: dense, units: 16}\n  - {name: fc1");
        assertEquals(Status.PASS, status(check(a, three), "depth-growth"));
        CheckReport r = check(a, four);
        assertEquals(Status.WARN, status(r, "depth-growth"));
        assertEquals(4.0, of(r, "depth-growth").get(0).measured());
    }

    @Test
    void totalsGrowthWarnsBeyondTwice() {
        CheckReport r = check(cnn(4, 8, 32), cnn(4, 8, 128));
        assertEquals(Status.WARN, status(r, "param-growth"));
        CheckReport same = check(cnn(4, 8, 32), cnn(4, 8, 32));
        assertEquals(1.0, of(same, "param-growth").get(0).measured());
        assertEquals(1.0, of(same, "flops-growth").get(0).measured());
    }

    @Test
    void identicalModelsPassEveryStructuralRuleAndSkipTheRuntimeOnesStatically() {
        CheckReport r = check(cnn(4, 8, 32), cnn(4, 8, 32));
        assertEquals(Verdict.PASS, r.verdict());
        for (RuleMetadata m : RuleRegistry.all()) {
            List<RuleResult> rs = of(r, m.id());
            assertTrue(!rs.isEmpty(), "every rule reports: " + m.id());
            // target-range and input-scale judge CSV data, which these models have none of: SKIP, saying so.
            Status expected = m.runtime() || m.id().equals("target-range") || m.id().equals("input-scale") ? Status.SKIP : Status.PASS;
            assertTrue(rs.stream().allMatch(x -> x.status() == expected), m.id() + ": " + rs);
            if (m.runtime()) assertEquals("--static: nothing was run", rs.get(0).message());
        }
    }

    @Test
    void configuredThresholdsAndSeveritiesAreApplied() {
        Path cfg = TestFiles.write(dir, "cfg.yaml", "rules:\n  channel-growth: {max-ratio: 5.0}\n  channel-shrink: error\n  param-growth: {severity: off}\n");
        Thresholds t = Thresholds.defaults().overlay(cfg);
        CheckReport grow = check(cnn(4, 8, 32), cnn(4, 32, 32), t);
        assertEquals(Status.PASS, status(grow, "channel-growth"), "4x is within a configured 5x");
        RuleResult off = of(grow, "param-growth").get(0);
        assertEquals(Status.SKIP, off.status());
        assertNull(off.measured());
        CheckReport shrink = check(cnn(4, 8, 32), cnn(4, 2, 32), t);
        assertEquals(Status.FAIL, status(shrink, "channel-shrink"), "severity raised to error");
        assertEquals(Verdict.FAIL, shrink.verdict());
    }

    @Test
    void anAddedDenseLayerIsJudgedAgainstTheDenseLayerBeforeItOnly() {
        String original = cnn(4, 8, 32);
        String wide = original.replace("output: {", "layers_tail_marker").replace("  - {name: fc1, type: dense, units: 32}\n",
                "  - {name: fc1, type: dense, units: 32}\n  - {name: fc2, type: dense, units: 128}\n").replace("layers_tail_marker", "output: {");
        RuleResult w = of(check(original, wide), "dense-growth").stream().filter(x -> x.status() == Status.WARN).findFirst().orElseThrow();
        assertEquals("fc2 (added): units 128 from 32 input units (4.0x, max allowed 2.0x)", w.message());
        // fc1 itself follows a conv (a flatten): a new dense layer there is not a shrink of anything.
        String afterConv = original.replace("  - {name: fc1", "  - {name: fc0, type: dense, units: 8}\n  - {name: fc1");
        assertEquals(Status.PASS, status(check(original, afterConv), "dense-shrink"));
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0} over {1} units: {2}")
    @CsvSource({"softmax, 3, xent, WARN", "softmax, 3, mcxent, PASS", "sigmoid, 3, xent, PASS", "softmax, 1, mcxent, FAIL"})
    void binaryCrossEntropyOverASoftmaxWarnsAndTheRightPairsPass(String activation, int units, String loss, Status expected) {
        String head = "input: {features: 4}\nlayers: [{type: dense, units: 8}]\noutput: {classes: %d, activation: %s, loss: %s}\n";
        CheckReport r = check(head.formatted(3, "softmax", "mcxent"), head.formatted(units, activation, loss));
        assertEquals(expected, status(r, "output-loss"), of(r, "output-loss").toString());
    }
}
