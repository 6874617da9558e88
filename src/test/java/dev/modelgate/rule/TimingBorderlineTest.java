package dev.modelgate.rule;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How a borderline timing result says why it is one: a close call (within 5% of the limit), or sampling that ran out. */
class TimingBorderlineTest {
    static RuleResult inference(double ratio, double low, double high) {
        TimingReport.Measurement m = new TimingReport.Measurement("inference", 1, new TimingReport.Summary(1, 1, 1, 1000),
                new TimingReport.Summary(ratio, ratio, ratio, 1000 / ratio), ratio, low, high, 160, 100, true);
        TimingReport t = new TimingReport(TimingFloorTest.measured("training iteration", 1, 1), m, "1");
        return new InferenceLatencyRule(RuleSettings.defaults(InferenceLatencyRule.METADATA))
                .evaluate(new Evidence(TimingFloorTest.MODEL, TimingFloorTest.MODEL, List.of(), null, t)).get(0);
    }

    @ParameterizedTest(name = "{0}x, interval {1}-{2}x against 1.5x: {3}, {4}")
    @CsvSource({
            "1.52, 1.48, 1.56, FAIL, lies within 5% of it",
            "1.49, 1.45, 1.53, PASS, lies within 5% of it",
            "1.52, 1.40, 1.60, FAIL, still contains the limit where sampling ended",
            "1.52, 1.42, 1.56, FAIL, still contains the limit where sampling ended"})
    void aBorderlineResultSaysWhetherItIsACloseCall(double ratio, double low, double high, Status expected, String says) {
        RuleResult r = inference(ratio, low, high);
        assertEquals(expected, r.status(), r.message());
        assertTrue(r.message().contains("borderline: ") && r.message().contains(says), r.message());
    }
}
