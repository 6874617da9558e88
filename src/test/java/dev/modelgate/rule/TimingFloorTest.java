package dev.modelgate.rule;

import dev.modelgate.report.HealthReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing rules' absolute floor: a ratio beyond the limit over a few microseconds is not a regression. */
class TimingFloorTest {
    static final ModelReport MODEL = new ModelReport("m.yaml", "modelgate-spec", "m", "4", List.of(),
            new HealthReport(1, 1, List.of(), List.of(), List.of(), List.of(1.0), 0, 1), List.of(), null, null);

    static TimingReport.Measurement measured(String operation, double fromMs, double toMs) {
        double ratio = toMs / fromMs;
        return new TimingReport.Measurement(operation, 1, new TimingReport.Summary(fromMs, fromMs, fromMs, 1000 / fromMs),
                new TimingReport.Summary(toMs, toMs, toMs, 1000 / toMs), ratio, ratio * 0.95, ratio * 1.05, 40, 100, false);
    }

    static RuleResult inference(TimingReport.Measurement m, double floor) {
        RuleSettings d = RuleSettings.defaults(InferenceLatencyRule.METADATA);
        java.util.Map<String, Double> values = new java.util.HashMap<>(d.values());
        values.put("min-increase-ms", floor);
        RuleSettings s = new RuleSettings(d.severity(), values, d.choices());
        TimingReport t = new TimingReport(measured("training iteration", 1, 1), m, "1");
        return new InferenceLatencyRule(s).evaluate(new Evidence(MODEL, MODEL, List.of(), null, t)).get(0);
    }

    @ParameterizedTest(name = "{0} ms -> {1} ms, floor {2} ms: {3}")
    @CsvSource({"0.010, 0.019, 0.05, PASS", "0.20, 0.38, 0.05, FAIL", "0.010, 0.019, 0, FAIL", "0.010, 0.012, 0.05, PASS"})
    void aRatioBeyondTheLimitFailsOnlyWhereTheIncreaseReachesTheFloor(double from, double to, double floor, Status expected) {
        RuleResult r = inference(measured("inference", from, to), floor);
        assertEquals(expected, r.status(), r.message());
        if (expected == Status.PASS && to / from > 1.5) assertTrue(r.message().contains("below the absolute floor"), r.message());
    }

    @org.junit.jupiter.api.Test
    void perExampleComparisonsAreJudgedByTheRatioAlone() {
        RuleSettings s = RuleSettings.defaults(TrainingTimeRule.METADATA);
        TimingReport t = new TimingReport(measured("training time per example (batch 32 -> 256)", 0.01, 0.03), measured("inference", 1, 1), "1");
        RuleResult r = new TrainingTimeRule(s).evaluate(new Evidence(MODEL, MODEL, List.of(), null, t)).get(0);
        assertEquals(Status.FAIL, r.status(), r.message());
    }
}
