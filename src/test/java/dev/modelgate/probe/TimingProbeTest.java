package dev.modelgate.probe;

import dev.modelgate.report.TimingReport;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The timing protocol on calls of known duration (busy waits), with wide margins: logic, not machine speed. */
class TimingProbeTest {
    static final TimingProbe.Settings FAST = new TimingProbe.Settings(10, 200, 5, 0.02, 0.2);

    static TimingProbe.Call spin(double ms) {
        return () -> {
            long end = System.nanoTime() + (long) (ms * 1e6);
            while (System.nanoTime() < end) Thread.onSpinWait();
        };
    }

    @Test
    void aFourTimesSlowerCallMeasuresAboutFourAndStopsEarly() {
        TimingReport.Measurement m = TimingProbe.measure("op", 1, spin(0.5), spin(2.0), 2.0, FAST);
        assertTrue(m.ratio() > 3 && m.ratio() < 5, "ratio " + m.ratio());
        assertTrue(m.ratioLow() > 2.0, "the interval lies clear of the limit: " + m.ratioLow());
        assertEquals(10, m.pairs(), "a clear result stops at the minimum number of pairs");
        assertFalse(m.borderline());
        assertTrue(m.original().medianMs() >= 0.5 && m.modified().medianMs() >= 2.0);
        assertTrue(m.warmupCalls() >= 10);
    }

    @Test
    void identicalCallsMeasureAboutOne() {
        TimingReport.Measurement m = TimingProbe.measure("op", 1, spin(1), spin(1), 1.5, FAST);
        assertTrue(m.ratio() > 0.8 && m.ratio() < 1.25, "ratio " + m.ratio());
        assertTrue(m.ratioHigh() < 1.5, "clear of the limit: " + m.ratioHigh());
    }

    @Test
    void aRatioAtTheLimitKeepsSamplingUntilTheBudgetAndIsBorderline() {
        // The modified call takes 0.6-1.4 ms (uniform), so its ratio to 0.5 ms scatters around 2.0, right at the limit.
        java.util.Random rng = new java.util.Random(1);
        TimingProbe.Call noisy = () -> spin(0.6 + 0.8 * rng.nextDouble()).run();
        TimingProbe.Settings tight = new TimingProbe.Settings(10, 100_000, 0.5, 0.02, 0.2);
        TimingReport.Measurement m = TimingProbe.measure("op", 1, spin(0.5), noisy, 2.0, tight);
        assertTrue(m.pairs() > 10, "sampled beyond the minimum: " + m.pairs());
        assertTrue(m.borderline(), "interval " + m.ratioLow() + "-" + m.ratioHigh() + " straddles 2.0");
    }

    @Test
    void examplesPerSecondFollowsTheMedian() {
        TimingReport.Measurement m = TimingProbe.measure("op", 8, spin(1), spin(1), 1.5, FAST);
        assertEquals(8 / (m.original().medianMs() / 1000), m.original().examplesPerSecond(), 1e-6);
    }
}
