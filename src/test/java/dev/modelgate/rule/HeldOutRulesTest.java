package dev.modelgate.rule;

import dev.modelgate.report.EvaluationReport;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * accuracy-drop and loss-increase on evaluations with planted per-seed values: the decision (FAIL beyond the limit,
 * PASS within or unchanged, borderline WARN undecided) and the reasons a comparison is not made.
 */
class HeldOutRulesTest {
    static final HealthReport HEALTH = new HealthReport(1, 1, List.of(), List.of(), List.of(), List.of(1.0), 0, 1);

    static EvaluationReport eval(boolean classification, int outputs, String data, double[] metric, double[] loss) {
        List<EvaluationReport.SeedRun> runs = new ArrayList<>();
        for (int i = 0; i < metric.length; i++) {
            runs.add(new EvaluationReport.SeedRun(1 + i, metric[i], loss[i], classification ? Double.NaN : Math.sqrt(metric[i]), 20, 0.1, List.of(loss[i]), List.of(metric[i])));
        }
        return new EvaluationReport(classification, outputs, data, 120, 30, 20, 0, runs, null);
    }

    static EvaluationReport accuracy(double... metric) {
        return eval(true, 3, "iris.csv#1", metric, metric.clone());
    }

    static ModelReport model(EvaluationReport e) {
        return new ModelReport("m.yaml", "modelgate-spec", "m", "4", List.of(), HEALTH, List.of(), null, e);
    }

    static RuleResult judge(Rule rule, EvaluationReport original, EvaluationReport modified) {
        List<RuleResult> r = rule.evaluate(new Evidence(model(original), model(modified), List.of(), null, null));
        assertEquals(1, r.size());
        return r.get(0);
    }

    static RuleResult accuracyDrop(EvaluationReport o, EvaluationReport m) {
        return judge(new AccuracyDropRule(RuleSettings.defaults(AccuracyDropRule.METADATA)), o, m);
    }

    static RuleResult lossIncrease(EvaluationReport o, EvaluationReport m) {
        return judge(new LossIncreaseRule(RuleSettings.defaults(LossIncreaseRule.METADATA)), o, m);
    }

    static final double[] ORIGINAL = {0.97, 0.93, 1.0, 0.93, 0.97};

    @Test
    void theSameAccuracyOnEverySeedPasses() {
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), accuracy(ORIGINAL));
        assertEquals(Status.PASS, r.status());
        assertEquals(0.0, r.measured());
        assertTrue(r.message().contains("95% CI 0 to 0"), r.message());
    }

    @Test
    void aDropBeyondTheLimitOnEverySeedFails() {
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), accuracy(0.33, 0.33, 0.4, 0.33, 0.37));
        assertEquals(Status.FAIL, r.status(), r.message());
        assertTrue(r.measured() > 0.5, r.message());
        assertTrue(r.message().contains("per seed 0.97 0.93 1.0 0.93 0.97 -> 0.33 0.33 0.4 0.33 0.37"), r.message());
    }

    @Test
    void noiseAroundNoChangePasses() {
        // Each seed one held-out row (1/30) better or worse: the mean is 0, the interval straddles the limit.
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), accuracy(0.933, 0.967, 0.967, 0.967, 0.933));
        assertEquals(Status.PASS, r.status(), r.message());
    }

    @Test
    void aMeanDropBeyondTheLimitThatTheSeedsDoNotEstablishIsBorderline() {
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), accuracy(0.97, 0.93, 0.8, 0.93, 0.97));
        assertEquals(Status.WARN, r.status(), r.message());
        assertTrue(r.message().contains("borderline"), r.message());
    }

    @Test
    void aRealDropNotBoundedWithinTheLimitIsBorderline() {
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), accuracy(0.95, 0.92, 0.97, 0.92, 0.93));
        assertEquals(Status.WARN, r.status(), r.message());
    }

    @Test
    void oneSeedThatDiffersIsBorderlineNeverASilentPass() {
        assertEquals(Status.WARN, accuracyDrop(accuracy(0.97), accuracy(0.96)).status());
        assertEquals(Status.PASS, accuracyDrop(accuracy(0.97), accuracy(0.97)).status());
    }

    @Test
    void aModelThatGotBetterPasses() {
        assertEquals(Status.PASS, accuracyDrop(accuracy(0.33, 0.33, 0.33, 0.33, 0.33), accuracy(ORIGINAL)).status());
    }

    @Test
    void theComparisonIsOnlyMadeOnTheSameRowsAndSeeds() {
        EvaluationReport other = eval(true, 3, "other.csv#2", ORIGINAL, ORIGINAL);
        RuleResult r = accuracyDrop(accuracy(ORIGINAL), other);
        assertEquals(Status.SKIP, r.status());
        assertTrue(r.message().contains("different data"), r.message());
        assertEquals(Status.SKIP, accuracyDrop(accuracy(ORIGINAL), accuracy(0.9, 0.9)).status(), "different seed counts");
        assertTrue(accuracyDrop(null, null).message().contains("neither model has data"));
        assertTrue(accuracyDrop(null, accuracy(ORIGINAL)).message().contains("only the modified model has data"));
    }

    @Test
    void accuracyDropLeavesRegressionToLossIncrease() {
        double[] mse = {0.02, 0.03, 0.025, 0.02, 0.03};
        EvaluationReport o = eval(false, 1, "t.csv#1", mse, mse);
        RuleResult r = accuracyDrop(o, o);
        assertEquals(Status.SKIP, r.status());
        assertTrue(r.message().contains("regression"), r.message());
        double[] worse = {1.5, 1.9, 1.2, 2.0, 1.4};
        RuleResult l = lossIncrease(o, eval(false, 1, "t.csv#1", worse, worse));
        assertEquals(Status.FAIL, l.status(), l.message());
        assertTrue(l.message().contains("mean absolute error"), l.message());
    }

    @Test
    void theLossLimitIsRelativeWithAnAbsoluteFloor() {
        double[] small = {0.001, 0.002, 0.001, 0.002, 0.001}, doubled = {0.002, 0.004, 0.002, 0.004, 0.002};
        RuleResult r = lossIncrease(eval(true, 3, "d#1", ORIGINAL, small), eval(true, 3, "d#1", ORIGINAL, doubled));
        assertEquals(0.01, r.threshold(), 1e-12, "the floor: doubling a loss near 0 is noise");
        assertEquals(Status.PASS, r.status(), r.message());
        double[] big = {2, 2.2, 1.8, 2.1, 1.9}, more = {2.6, 2.8, 2.4, 2.7, 2.5};
        RuleResult b = lossIncrease(eval(true, 3, "d#1", ORIGINAL, big), eval(true, 3, "d#1", ORIGINAL, more));
        assertEquals(0.2, b.threshold(), 1e-9, "10% of the original's mean loss");
        assertEquals(Status.FAIL, b.status(), b.message());
    }

    @Test
    void lossesOfDifferentOutputsAreNotCompared() {
        RuleResult r = lossIncrease(eval(true, 1, "d#1", ORIGINAL, new double[] {0, 0, 0, 0, 0}), eval(true, 3, "d#1", ORIGINAL, ORIGINAL));
        assertEquals(Status.SKIP, r.status());
        assertTrue(r.message().contains("1 and 3 units"), r.message());
    }
}
