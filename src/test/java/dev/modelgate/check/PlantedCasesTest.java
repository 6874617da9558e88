package dev.modelgate.check;

import dev.modelgate.TestFiles;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planted cases, run for real in DL4J: each must fail exactly the rules it should, naming the layer.
 * Timing is off here (it belongs to benchmarks); these are the deterministic health rules.
 */
class PlantedCasesTest {
    @TempDir Path dir;
    Thresholds noTiming;

    @BeforeEach
    void setUp() {
        noTiming = Thresholds.defaults().overlay(TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n"));
    }

    static String mlp(String activation, String init, String optimizer, int classes) {
        return """
                input: {features: 32}
                training: {batch-size: 16, seed: 1, optimizer: %s}
                defaults: {activation: %s, weight-init: %s}
                layers:
                  - {name: fc1, type: dense, units: 64}
                  - {name: fc2, type: dense, units: 64}
                  - {name: fc3, type: dense, units: 64}
                output: {classes: %d}
                """.formatted(optimizer, activation, init, classes);
    }

    static String sigmoidMlp(int depth) {
        StringBuilder sb = new StringBuilder("input: {features: 32}\ntraining: {batch-size: 16, seed: 1}\ndefaults: {activation: sigmoid}\nlayers:\n");
        for (int i = 1; i <= depth; i++) sb.append("  - {name: fc").append(i).append(", type: dense, units: 32}\n");
        return sb.append("output: {classes: 5}\n").toString();
    }

    static final String BASE = mlp("relu", "xavier", "adam", 5);
    static final String N100 = "{distribution: normal, std: 100}";

    CheckReport check(String original, String modified) {
        return new Checker(noTiming).check(TestFiles.write(dir, "a.yaml", original), TestFiles.write(dir, "b.yaml", modified), CheckOptions.RUN);
    }

    static Set<String> failing(CheckReport r) {
        return r.results().stream().filter(x -> x.status() == Status.FAIL).map(RuleResult::rule).collect(Collectors.toCollection(TreeSet::new));
    }

    static List<RuleResult> fails(CheckReport r, String rule) {
        return r.results().stream().filter(x -> x.rule().equals(rule) && x.status() == Status.FAIL).toList();
    }

    @Test
    void identicalModelsPassEveryRule() {
        CheckReport r = check(BASE, BASE);
        assertEquals(Verdict.PASS, r.verdict());
        assertEquals(Set.of(), failing(r));
        assertTrue(r.results().stream().filter(x -> !x.rule().contains("time") && !x.rule().contains("latency") && !x.rule().equals("target-range") && !x.rule().equals("input-scale")
                        && !x.rule().equals("accuracy-drop") && !x.rule().equals("loss-increase"))
                .allMatch(x -> x.status() == Status.PASS), r.results().toString());
    }

    @Test
    void normal100WeightsWithReluExplodeActivationsAndGradients() {
        CheckReport r = check(BASE, mlp("relu", N100, "adam", 5));
        assertEquals(Set.of("activation-range", "gradient-explosion", "learning"), failing(r));
        RuleResult first = fails(r, "activation-range").get(0);
        assertEquals("fc1", first.layer());
        assertTrue(first.measured() > 1e3 && first.message().contains("at initialization"), first.message());
        assertTrue(fails(r, "gradient-explosion").stream().anyMatch(x -> x.layer().equals("fc1") && x.measured() > 100));
    }

    @Test
    void normal100WeightsWithTanhSaturateStopLearningAndKeepActivationsBounded() {
        // Weights of std 100 saturate every tanh: its derivative is ~0, so on the probe's fixed batch the gradients
        // vanish and the loss does not fall (over fresh batches a few larger gradients had passed 100 instead).
        CheckReport r = check(BASE, mlp("tanh", N100, "adam", 5));
        assertEquals(Set.of("gradient-vanishing", "learning"), failing(r));
        RuleResult range = r.results().stream().filter(x -> x.rule().equals("activation-range")).findFirst().orElseThrow();
        assertTrue(range.measured() <= 1.0 + 1e-6, "tanh keeps activations in [-1, 1]: " + range.message());
    }

    @Test
    void aTwentyLayerSigmoidMlpVanishesWhereAFourLayerOneDoesNot() {
        CheckReport r = check(sigmoidMlp(4), sigmoidMlp(20));
        assertEquals(Set.of("gradient-vanishing"), failing(r));
        List<RuleResult> v = fails(r, "gradient-vanishing");
        assertEquals("fc1", v.get(0).layer(), "the first layer, farthest from the loss, vanishes most");
        assertTrue(v.get(0).measured() < 1e-9, v.get(0).message());
        assertTrue(v.stream().noneMatch(x -> x.layer().equals("fc20")), "the last layers still learn");
        assertEquals(Verdict.PASS, check(sigmoidMlp(4), sigmoidMlp(4)).verdict());
    }

    @Test
    void softmaxOverASingleOutputUnitHasExactlyZeroGradients() {
        CheckReport r = check(BASE, mlp("relu", "xavier", "adam", 1));
        assertEquals(Set.of("gradient-vanishing", "learning", "output-loss"), failing(r));
        assertTrue(fails(r, "gradient-vanishing").stream().allMatch(x -> x.measured() == 0.0));
    }

    @Test
    void anAbsurdLearningRateEndsInNaN() {
        CheckReport r = check(BASE, mlp("relu", "xavier", "{type: sgd, learning-rate: 1.0e+10}", 5));
        assertTrue(failing(r).contains("non-finite"), failing(r).toString());
        assertTrue(fails(r, "non-finite").stream().anyMatch(x -> x.message().startsWith("loss is NaN at training iteration")));
        assertFalse(failing(r).contains("gradient-vanishing"), "layers whose gradients went NaN are the non-finite rule's");
    }

    static RuleResult learning(CheckReport r) {
        return r.results().stream().filter(x -> x.rule().equals("learning")).findFirst().orElseThrow();
    }

    @Test
    void aOneUnitSoftmaxCannotLearnAndTheRuleSaysWhy() {
        RuleResult l = learning(check(BASE, mlp("relu", "xavier", "adam", 1)));
        assertEquals(Status.FAIL, l.status(), l.message());
        assertTrue(l.message().startsWith("loss stays at 0 over 10 iterations") && l.message().contains("one softmax unit"), l.message());
        assertFalse(l.preExisting());
        // The original shares the defect: the failure is not this change's.
        assertTrue(learning(check(mlp("relu", "xavier", "adam", 1), mlp("relu", "xavier", "adam", 1))).preExisting());
    }

    @Test
    void aModelThatStillLearnsPassesAndOneThatBarelyDoesFails() {
        // A ReLU MLP's loss falls steeply on its fixed batch, with twice the units as much (the shipped MLP: 64% and
        // 75% over 10 iterations, docs/rules.md); margins of 3x either side of the limit.
        RuleResult wider = learning(check(BASE, BASE.replace("units: 64}", "units: 128}")));
        assertEquals(Status.PASS, wider.status(), wider.message());
        assertTrue(wider.measured() > 3 * wider.threshold(), wider.message());
        // A learning rate of 1e-7: the loss moves, but by a thousandth of what the original's does.
        RuleResult slow = learning(check(BASE, mlp("relu", "xavier", "{type: adam, learning-rate: 1.0e-7}", 5)));
        assertEquals(Status.FAIL, slow.status(), slow.message());
        assertTrue(slow.measured() < slow.threshold() / 3, slow.message());
        assertEquals(Status.PASS, learning(check(BASE, BASE)).status());
    }

    static RuleResult outputLoss(CheckReport r) {
        return r.results().stream().filter(x -> x.rule().equals("output-loss")).findFirst().orElseThrow();
    }

    @Test
    void outputsThatCannotExpressTheirLabelsFailStaticallyNamingTheCause() {
        Checker structural = new Checker(Thresholds.defaults());
        java.util.function.Function<String, CheckReport> st = m -> structural.check(TestFiles.write(dir, "a.yaml", BASE), TestFiles.write(dir, "b.yaml", m),
                CheckOptions.STATIC);
        RuleResult one = outputLoss(st.apply(mlp("relu", "xavier", "adam", 1)));
        assertEquals(Status.FAIL, one.status());
        assertTrue(one.message().contains("softmax over one unit is 1 whatever its input"), one.message());
        String reluHead = BASE.replace("output: {classes: 5}", "output: {classes: 5, activation: relu}");
        RuleResult relu = outputLoss(st.apply(reluHead));
        assertEquals(Status.FAIL, relu.status());
        assertTrue(relu.message().contains("loss mcxent needs probabilities, but the output activation is relu"), relu.message());
        String identityXent = BASE.replace("output: {classes: 5}", "output: {classes: 5, activation: identity, loss: xent}");
        assertTrue(outputLoss(st.apply(identityXent)).message().contains("use a sigmoid output with xent"));
        assertEquals(Status.PASS, outputLoss(st.apply(BASE)).status());
        assertEquals(Status.PASS, outputLoss(st.apply(BASE.replace("output: {classes: 5}", "output: {classes: 5, activation: sigmoid, loss: xent}"))).status());
        assertTrue(outputLoss(structural.check(TestFiles.write(dir, "c.yaml", reluHead), TestFiles.write(dir, "d.yaml", reluHead), CheckOptions.STATIC))
                .preExisting(), "the original's own mistake");
    }

    @Test
    void aRegressionOutputThatCannotReachItsCsvTargetsFails() throws Exception {
        // The sample's label column holds 0-9: as regression targets, a sigmoid (0, 1) or tanh (-1, 1) output never fits them.
        java.nio.file.Files.copy(Path.of("samples/mlp/data/mlp-64-features.csv"), dir.resolve("rows.csv"));
        java.util.function.Function<String, Path> spec = act -> TestFiles.write(dir, "reg-" + act + ".yaml", "input: {features: 64}\n"
                + "data: {csv: rows.csv, label: label}\nlayers:\n  - {type: dense, units: 16, activation: relu}\n"
                + "output: {regression: 1, activation: " + act + "}\n");
        Checker structural = new Checker(Thresholds.defaults());
        java.util.function.Function<String, RuleResult> judged = act -> structural.check(spec.apply("identity"), spec.apply(act), CheckOptions.STATIC)
                .results().stream().filter(x -> x.rule().equals("target-range")).findFirst().orElseThrow();
        RuleResult sigmoid = judged.apply("sigmoid");
        assertEquals(Status.FAIL, sigmoid.status());
        assertTrue(sigmoid.message().contains("span [0, 9") && sigmoid.message().contains("a sigmoid output gives values in (0, 1) only"), sigmoid.message());
        assertEquals(Status.FAIL, judged.apply("tanh").status());
        assertEquals(Status.PASS, judged.apply("relu").status(), "0-9 is within what a relu gives");
        assertEquals(Status.PASS, judged.apply("identity").status());
        RuleResult none = check(BASE, BASE).results().stream().filter(x -> x.rule().equals("target-range")).findFirst().orElseThrow();
        assertEquals(Status.SKIP, none.status(), "synthetic targets say nothing about the task");
    }

    @Test
    void unscaledCsvInputsWarnNamingTheCauseOfTheExplosion() throws Exception {
        // The MLP sample's features (at most 3.9) times 100: the gradients pass 100 (gradient-explosion, the symptom)
        // and input-scale names the cause; times 10 trains cleanly and passes.
        List<String> lines = java.nio.file.Files.readAllLines(Path.of("samples/mlp/data/mlp-64-features.csv"));
        int label = java.util.Arrays.asList(lines.get(0).split(",")).indexOf("label");
        for (int k : new int[] {10, 100}) {
            StringBuilder csv = new StringBuilder(lines.get(0)).append('\n');
            for (String line : lines.subList(1, lines.size())) {
                String[] cells = line.split(",");
                for (int c = 0; c < cells.length; c++) if (c != label) cells[c] = String.valueOf(Double.parseDouble(cells[c]) * k);
                csv.append(String.join(",", cells)).append('\n');
            }
            TestFiles.write(dir, "x" + k + ".csv", csv.toString());
        }
        java.nio.file.Files.copy(Path.of("samples/mlp/data/mlp-64-features.csv"), dir.resolve("rows.csv"));
        String spec = java.nio.file.Files.readString(Path.of("samples/mlp/with-csv-data.yaml")).replaceAll("data: \\{csv: [^,]+,", "data: {csv: CSV,");
        Path plain = TestFiles.write(dir, "plain.yaml", spec.replace("CSV", "rows.csv"));
        Checker structural = new Checker(Thresholds.defaults());
        java.util.function.Function<Integer, RuleResult> scale = k -> structural.check(plain, TestFiles.write(dir, "x" + k + ".yaml",
                spec.replace("CSV", "x" + k + ".csv")), CheckOptions.STATIC).results().stream().filter(x -> x.rule().equals("input-scale")).findFirst().orElseThrow();
        assertEquals(Status.PASS, scale.apply(10).status());
        RuleResult far = scale.apply(100);
        assertEquals(Status.WARN, far.status());
        assertTrue(far.measured() > 300 && far.message().contains("far from unit scale"), far.message());
        CheckReport run = new Checker(noTiming).check(plain, dir.resolve("x100.yaml"), CheckOptions.RUN);
        assertTrue(failing(run).contains("gradient-explosion"), "the symptom: " + failing(run));
    }

    @Test
    void hiddenLayersWithoutAnyNonlinearityWarn() {
        Checker structural = new Checker(Thresholds.defaults());
        String linear = mlp("identity", "xavier", "adam", 5);
        CheckReport r = structural.check(TestFiles.write(dir, "a.yaml", BASE), TestFiles.write(dir, "b.yaml", linear), CheckOptions.STATIC);
        RuleResult l = r.results().stream().filter(x -> x.rule().equals("no-nonlinearity")).findFirst().orElseThrow();
        assertEquals(Status.WARN, l.status(), l.message());
        assertTrue(l.message().startsWith("no nonlinearity in the 3 hidden layers (fc1, fc2, fc3)"), l.message());
        assertEquals(Verdict.PASS, r.verdict(), "a warning");
        CheckReport fine = structural.check(TestFiles.write(dir, "c.yaml", BASE), TestFiles.write(dir, "d.yaml", BASE), CheckOptions.STATIC);
        assertEquals(Status.PASS, fine.results().stream().filter(x -> x.rule().equals("no-nonlinearity")).findFirst().orElseThrow().status());
    }

    @Test
    void aOneUnitSoftmaxOverTenClassesOfCsvDataIsAFailingModelNotBadInput() throws Exception {
        // The case: a spec whose output is one softmax unit, with CSV labels of ten classes, was exit 2.
        java.nio.file.Files.copy(Path.of("samples/mlp/data/mlp-64-features.csv"), dir.resolve("rows.csv"));
        String withData = java.nio.file.Files.readString(Path.of("samples/mlp/with-csv-data.yaml"))
                .replaceAll("data: \\{csv: [^,]+,", "data: {csv: rows.csv,");
        assertTrue(withData.contains("csv: rows.csv"), withData);
        Path fine = TestFiles.write(dir, "fine.yaml", withData), buggy = TestFiles.write(dir, "buggy.yaml", withData.replace("classes: 10", "classes: 1"));
        CheckReport r = new Checker(noTiming).check(fine, buggy, CheckOptions.RUN);
        assertEquals(Set.of("learning", "output-loss"), failing(r));
        assertTrue(r.modified().notes().stream().anyMatch(n -> n.startsWith("data: 10 classes in rows.csv, but the output has 1 unit")),
                r.modified().notes().toString());
    }

    @Test
    void sparseCrossEntropyTrainsOnClassIndicesAsDl4jWantsThem() {
        // DL4J's sparse-mcxent reads one class index per example; fed one-hot rows it refused the model at run time
        // ("Labels for LossSparseMCXENT should be ... last dimension having size 1"), which modelgate reported as bad input.
        String sparse = BASE.replace("output: {classes: 5}", "output: {classes: 5, loss: sparse-mcxent}");
        CheckReport r = check(BASE, sparse);
        assertEquals(Verdict.PASS, r.verdict(), r.results().toString());
        assertEquals(r.original().health().losses(), r.modified().health().losses(), "the same classes, the same loss as mcxent on one-hot rows");
    }

    @Test
    void activationsThatOverflowAtInitializationAreDl4jsOwnNotTheProbes() {
        // Weights of std 1e15: three dense layers take the values past float's 3.4e38, to Inf (and NaN after it).
        CheckReport r = check(BASE, mlp("relu", "{distribution: normal, std: 1.0e+15}", "adam", 5));
        RuleResult initial = fails(r, "non-finite").stream().filter(x -> x.message().contains("at initialization")).findFirst().orElseThrow();
        assertTrue(initial.message().contains("DL4J's own forward pass of the same batch gives") && initial.message().contains("NaN/Inf output values too"),
                initial.message());
        assertTrue(r.modified().health().dl4jOutputNonFinite() > 0);
        assertEquals(-1, r.original().health().dl4jOutputNonFinite(), "finite activations: DL4J's own pass is not consulted");
    }

    @Test
    void aViolationTheOriginalAlreadyHasIsMarkedPreExisting() {
        String exploding = mlp("relu", N100, "adam", 5);
        CheckReport r = check(exploding, exploding);
        assertEquals(Verdict.FAIL, r.verdict(), "still counted");
        assertTrue(fails(r, "activation-range").stream().allMatch(RuleResult::preExisting));
        CheckReport introduced = check(BASE, exploding);
        assertTrue(fails(introduced, "activation-range").stream().noneMatch(RuleResult::preExisting));
    }
}
