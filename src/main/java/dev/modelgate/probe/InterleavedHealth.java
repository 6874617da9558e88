package dev.modelgate.probe;

import dev.modelgate.report.HealthReport;
import dev.modelgate.spec.ResolvedModel;

import java.util.OptionalLong;

/**
 * The two models' health probes on one thread, their training iterations interleaved in ABBA order, each timed: the
 * iterations are then also the training timing's first interleaved pairs of the same calls, made as the timing makes
 * them (one thread, one model after the other; {@link TimingProbe.Earlier}), which the timing need not make again.
 *
 * <p>What each probe measures is what it measures alone. Its random draws are seeded per iteration. Its training
 * memory is what its own first {@value #ALONE} iterations sized ({@link HealthProbe#MEMORY_ITERATIONS}): workspaces
 * belong to the thread and are shared by name between networks, so each model makes those iterations alone (the
 * original's, then the modified's), and only then do the two take turns; the timing leaves those calls out as
 * warm-up anyway. Where the original's probe fails,
 * its error is the one reported (as one after the other would); where only the modified's fails, the original's
 * probe is finished alone first.
 */
public final class InterleavedHealth {
    /** Iterations each model makes alone before the two are interleaved: those its training memory is measured on. */
    static final int ALONE = HealthProbe.MEMORY_ITERATIONS;

    private InterleavedHealth() {}

    /**
     * Both reports, and every iteration's times ({@code [side][0: wall, 1: CPU][iteration]}, side 0 the original; the
     * first {@value #ALONE} made alone, the rest interleaved) where both probes finished; {@code modifiedFailure}
     * where the modified model's failed (its report then null).
     */
    public record Result(HealthReport original, HealthReport modified, RuntimeException modifiedFailure, double[][][] times) {
        /** The interleaved iterations as the training timing's first pairs, after their warm-up ({@link TimingProbe.Earlier#of}). */
        public java.util.Optional<TimingProbe.Earlier> trainingPairs() {
            return times == null ? java.util.Optional.empty() : TimingProbe.Earlier.of(times, Math.min(ALONE, times[0][0].length));
        }
    }

    public static Result measure(ResolvedModel a, int batchA, ResolvedModel b, int batchB, int iterations, OptionalLong seedOverride,
                                 int inferenceBatch, Progress progress) {
        double[][][] times = new double[2][2][Math.max(0, iterations)];
        HealthProbe.Run ra = HealthProbe.Run.start(a, iterations, seedOverride, batchA, inferenceBatch, progress);
        while (ra.next() && ra.done() < ALONE) keep(times, 0, ra.done(), ra.iterate());
        HealthProbe.Run rb;
        try {
            rb = HealthProbe.Run.start(b, iterations, seedOverride, batchB, inferenceBatch, progress);
            while (rb.next() && rb.done() < ALONE) keep(times, 1, rb.done(), rb.iterate());
        } catch (RuntimeException e) {
            return alone(ra, e);
        }
        for (int p = 0; ra.next(); p++) {
            // ABBA: pair p is original first where p is even, so that neither model always goes first
            boolean originalFirst = p % 2 == 0;
            if (originalFirst) keep(times, 0, ra.done(), ra.iterate());
            try {
                keep(times, 1, rb.done(), rb.iterate());
            } catch (RuntimeException e) {
                return alone(ra, e);
            }
            if (!originalFirst) keep(times, 0, ra.done(), ra.iterate());
        }
        HealthReport original = ra.finish();
        HealthReport modified;
        try {
            modified = rb.finish();
        } catch (RuntimeException e) {
            return new Result(original, null, e, null);
        }
        return new Result(original, modified, null, times);
    }

    /** The modified model's probe failed: the original's goes on alone (its own failure, if any, is the one thrown). */
    private static Result alone(HealthProbe.Run ra, RuntimeException modifiedFailure) {
        while (ra.next()) ra.iterate();
        return new Result(ra.finish(), null, modifiedFailure, null);
    }

    /** Keeps the times of {@code side}'s iteration {@code index} (0-based), given before it ran (done() then counts it). */
    private static void keep(double[][][] times, int side, int index, double[] wallCpu) {
        times[side][0][index] = wallCpu[0];
        times[side][1][index] = wallCpu[1];
    }
}
