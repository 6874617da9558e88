package dev.modelgate.stats;

import dev.modelgate.probe.TimingProbe;
import dev.modelgate.report.TimingReport;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The sequential test on simulated ratios (log-normal around a known median), so that error rates can be counted:
 * what the timing protocol's stopping rule promises, apart from any machine.
 */
class PlannedLooksTest {
    static final int SEQUENCES = 100, FIRST = 5, LOOKS = 4, RESAMPLES = 400;

    /** Ratios whose median is {@code median}, with a log-normal scatter of about 10%. */
    static double[] ratios(Random rng, double median, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = median * Math.exp(0.1 * rng.nextGaussian());
        return r;
    }

    static double[] head(double[] values, int n) {
        return java.util.Arrays.copyOf(values, n);
    }

    /** Whether the planned looks decide a sequence (clear of the limit at some look). */
    static boolean plannedDecides(double[] seq, double limit) {
        PlannedLooks looks = new PlannedLooks(FIRST, LOOKS, 0.05, limit, RESAMPLES, 1);
        for (int n = 1; n <= looks.last(); n++) {
            if (looks.due(n) && looks.look(head(seq, n))) return true;
        }
        return false;
    }

    /** The rule it replaces: a 95% interval looked at after every observation from the first look on. */
    static boolean everyObservationDecides(double[] seq, double limit, int last) {
        for (int n = FIRST; n <= last; n++) {
            double[] ci = Statistics.bootstrapMedianInterval(head(seq, n), 0.95, RESAMPLES, 1);
            if (ci[0] > limit || ci[1] <= limit) return true;
        }
        return false;
    }

    @Test
    void withTheMedianAtTheLimitPlannedLooksRarelyDecideWhereALookAtEveryObservationOftenDoes() {
        Random rng = new Random(7);
        int planned = 0, every = 0, last = (int) new PlannedLooks(FIRST, LOOKS, 0.05, 2.0, RESAMPLES, 1).last();
        for (int s = 0; s < SEQUENCES; s++) {
            double[] seq = ratios(rng, 2.0, last);
            if (plannedDecides(seq, 2.0)) planned++;
            if (everyObservationDecides(seq, 2.0, last)) every++;
        }
        // Any decision here is an error (the truth is at the limit). The bound is 5%; a little above it allows for
        // the bootstrap's coarse tails on few observations and for 100 sequences' own scatter.
        assertTrue(planned <= 10, planned + " of " + SEQUENCES + " sequences decided with the median at the limit");
        assertTrue(every >= 2 * Math.max(planned, 5), "a look at every observation decided " + every + " (planned: " + planned + ")");
    }

    @Test
    void aMedianTenPercentFromTheLimitIsDecidedOnTheRightSide() {
        Random rng = new Random(11);
        for (double median : new double[] {1.8, 2.2}) {
            int right = 0;
            for (int s = 0; s < SEQUENCES; s++) {
                double[] seq = ratios(rng, median, 40);
                PlannedLooks looks = new PlannedLooks(FIRST, LOOKS, 0.05, 2.0, RESAMPLES, 1);
                for (int n = 1; n <= looks.last() && !looks.decided(); n++) if (looks.due(n)) looks.look(head(seq, n));
                double[] ci = looks.interval();
                if (looks.decided() && (median > 2.0 ? ci[0] > 2.0 : ci[1] <= 2.0)) right++;
            }
            assertTrue(right >= 90, "median " + median + ": decided on the right side in " + right + " of " + SEQUENCES);
        }
    }

    @Test
    void looksFallAtTheFirstCountThenDoubleAndStopAfterTheLast() {
        PlannedLooks looks = new PlannedLooks(10, 3, 0.05, 2.0, RESAMPLES, 1);
        assertEquals(40, looks.last());
        assertFalse(looks.due(9));
        assertTrue(looks.due(10));
        double[] straddling = {1.9, 2.1, 1.95, 2.05, 2.0, 1.9, 2.1, 1.95, 2.05, 2.0};
        assertFalse(looks.look(straddling));
        assertFalse(looks.due(19));
        assertTrue(looks.due(20));
        looks.look(straddling);
        looks.look(straddling);
        assertEquals(3, looks.taken());
        assertFalse(looks.due(1000), "no look left");
        double[] clear = {3, 3.1, 2.9, 3, 3.05, 2.95, 3, 3.1, 2.9, 3};
        assertFalse(looks.look(clear), "a look beyond the plan only describes");
        assertTrue(looks.interval()[0] > 2.0);
    }

    @Test
    void theTimingReportStatesTheLevelTheProtocolLooksAt() {
        assertEquals(TimingReport.INTERVAL_LEVEL, new PlannedLooks(16, TimingProbe.LOOKS, 0.05, 2.0, 10, 1).level(), 1e-12);
    }

    /** Ratios with a 3% scatter: a look's interval is a few percent wide, as the LeNet pair's inference is. */
    static double[] narrow(Random rng, double median, int n) {
        double[] r = new double[n];
        for (int i = 0; i < n; i++) r[i] = median * Math.exp(0.03 * rng.nextGaussian());
        return r;
    }

    @Test
    void aMedianAtTheLimitStopsAsACloseCallBeforeTheLastLookAndIsNeverDecided() {
        Random rng = new Random(13);
        int early = 0;
        for (int s = 0; s < SEQUENCES; s++) {
            PlannedLooks looks = new PlannedLooks(FIRST, LOOKS, 0.05, 2.0, RESAMPLES, 1, 0.05);
            double[] seq = narrow(rng, 2.0, (int) looks.last());
            int n = 1;
            for (; n <= looks.last(); n++) if (looks.due(n) && looks.look(head(seq, n))) break;
            if (looks.tooClose()) {
                assertFalse(looks.decided(), "a close call is never a decision");
                double[] ci = looks.interval();
                assertTrue(ci[0] <= 2.0 && ci[1] > 2.0 && ci[0] >= 2.0 / 1.05 && ci[1] <= 2.0 * 1.05, java.util.Arrays.toString(ci));
                assertTrue(TimingReport.closeCall(ci[0], ci[1], 2.0), "the report's test of a close call agrees");
                if (n < looks.last()) early++;
            }
        }
        assertTrue(early >= 80, "stopped early as a close call in " + early + " of " + SEQUENCES);
    }

    @Test
    void theCloseCallBandLeavesTenPercentFromTheLimitDecidedOnTheRightSide() {
        Random rng = new Random(17);
        for (double median : new double[] {1.8, 2.2}) {
            int right = 0, close = 0;
            for (int s = 0; s < SEQUENCES; s++) {
                double[] seq = ratios(rng, median, 40);
                PlannedLooks looks = new PlannedLooks(FIRST, LOOKS, 0.05, 2.0, RESAMPLES, 1, 0.05);
                for (int n = 1; n <= looks.last(); n++) if (looks.due(n) && looks.look(head(seq, n))) break;
                double[] ci = looks.interval();
                if (looks.decided() && (median > 2.0 ? ci[0] > 2.0 : ci[1] <= 2.0)) right++;
                if (looks.tooClose()) close++;
            }
            assertTrue(right >= 90, "median " + median + ": decided on the right side in " + right + " of " + SEQUENCES);
            assertTrue(close <= 2, "median " + median + ": " + close + " close calls");
        }
    }

    @Test
    void withoutACloseCallBandAStraddlingIntervalSamplesToTheLastLook() {
        PlannedLooks looks = new PlannedLooks(10, 3, 0.05, 2.0, RESAMPLES, 1);
        double[] straddling = {1.9, 2.1, 1.95, 2.05, 2.0, 1.9, 2.1, 1.95, 2.05, 2.0};
        assertFalse(looks.look(straddling));
        assertFalse(looks.tooClose());
        PlannedLooks banded = new PlannedLooks(10, 3, 0.05, 2.0, RESAMPLES, 1, 0.10);
        assertTrue(banded.look(straddling), "within 10% of the limit on both sides: stop");
        assertTrue(banded.tooClose());
        assertFalse(banded.decided());
    }
    @Test
    void aDecisionWiderThanThePrecisionSamplesOnAndOneWithinItStops() {
        // Four values far below the limit: decided at the first look either way. Scattered by 20%, the interval is
        // wider than 10%: sampling goes on; within 2%, it stops.
        PlannedLooks wide = new PlannedLooks(4, 3, 0.05, 2.0, RESAMPLES, 1, 0.05, 0.10);
        assertFalse(wide.look(new double[] {1.2, 1.4, 1.3, 1.5}));
        assertTrue(wide.decided());
        assertFalse(wide.precise());
        PlannedLooks narrow = new PlannedLooks(4, 3, 0.05, 2.0, RESAMPLES, 1, 0.05, 0.10);
        assertTrue(narrow.look(new double[] {1.30, 1.31, 1.32, 1.30}));
        assertTrue(narrow.decided() && narrow.precise());
    }

    @Test
    void thePrecisionAddsNoErrorWithTheMedianAtTheLimit() {
        // Precision is a condition on stopping, never a way to decide: a sequence it decides has a look clear of the
        // limit, where the looks without it stop decided too. At the limit, it decides no more sequences.
        Random rng = new Random(7);
        int with = 0, without = 0;
        for (int s = 0; s < SEQUENCES; s++) {
            double[] seq = ratios(rng, 2.0, FIRST << (LOOKS - 1));
            PlannedLooks p = new PlannedLooks(FIRST, LOOKS, 0.05, 2.0, RESAMPLES, 1, 0, 0.10);
            for (int n = 1; n <= p.last(); n++) {
                if (p.due(n) && p.look(head(seq, n))) break;
            }
            if (p.decided()) with++;
            if (plannedDecides(seq, 2.0)) without++;
        }
        assertTrue(with <= without, with + " decided with the precision, " + without + " without");
    }
}
