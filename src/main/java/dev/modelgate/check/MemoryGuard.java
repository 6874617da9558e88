package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.probe.MemoryEstimate;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ResolvedModel;

/**
 * Refuses, before anything is allocated, a run that would need more memory than allowed: each model alone (the
 * health probe builds one at a time) and both together (timing holds both).
 */
final class MemoryGuard {
    /**
     * Timing holds both networks and runs thousands of inference calls whose garbage waits for a collection: measured
     * peaks of a full check were 1.24-1.53x the two estimates at 64x64 and 1.94x at 224x224 (DL4J's ResNet-50, batch
     * 16: 14.9 GiB for 7.7 GiB estimated; docs/benchmarks.md), so the pair is estimated at twice the sum.
     */
    static final double TIMING_OVERHEAD = 2.0;

    private MemoryGuard() {}

    /** @param b the second model, or null when one model is measured alone */
    static void check(ResolvedModel a, ModelReport sa, ResolvedModel b, ModelReport sb, CheckOptions o) {
        MemoryEstimate ea = estimate(a, sa, o), eb = b == null ? null : estimate(b, sb, o);
        refuseAlone(a, sa, ea, o);
        if (b == null) return;
        refuseAlone(b, sb, eb, o);
        long both = (long) ((ea.total() + eb.total()) * TIMING_OVERHEAD);
        if (both > o.maxMemory()) {
            throw BadInputException.limit(b.spec().source(), "timing holds both models: about "
                    + MemoryEstimate.human(both) + " at batch " + o.batchFor(b) + ", more than the " + MemoryEstimate.human(o.maxMemory())
                    + " allowed (--max-memory)" + fitting(a, sa, b, sb, o) + "; nothing was allocated");
        }
    }

    /**
     * The option that makes the run fit: the largest batch (a power of two below the one asked) at which the
     * estimate is within the limit, or, where even a batch of 1 is not, the memory it would need.
     */
    private static String fitting(ResolvedModel a, ModelReport sa, ResolvedModel b, ModelReport sb, CheckOptions o) {
        for (int batch = Integer.highestOneBit(Math.max(1, Math.max(o.batchFor(a), b == null ? 1 : o.batchFor(b)) - 1)); batch >= 1; batch /= 2) {
            long need = b == null ? MemoryEstimate.of(a, sa, Math.max(batch, o.inferenceBatch())).total()
                    : (long) ((MemoryEstimate.of(a, sa, Math.max(batch, o.inferenceBatch())).total()
                    + MemoryEstimate.of(b, sb, Math.max(batch, o.inferenceBatch())).total()) * TIMING_OVERHEAD);
            if (need <= o.maxMemory()) return "; --batch-size " + batch + " fits (about " + MemoryEstimate.human(need) + ")";
        }
        long one = b == null ? MemoryEstimate.of(a, sa, 1).total()
                : (long) ((MemoryEstimate.of(a, sa, 1).total() + MemoryEstimate.of(b, sb, 1).total()) * TIMING_OVERHEAD);
        return "; even a batch of 1 needs about " + MemoryEstimate.human(one) + ": raise --max-memory on a larger machine, or check --static";
    }

    private static void refuseAlone(ResolvedModel m, ModelReport s, MemoryEstimate e, CheckOptions o) {
        if (e.total() <= o.maxMemory()) return;
        throw BadInputException.limit(m.spec().source(), "training needs about " + MemoryEstimate.human(e.total()) + " (" + e.describe()
                + ") at batch " + o.batchFor(m) + ", more than the " + MemoryEstimate.human(o.maxMemory())
                + " allowed (--max-memory; default half of this machine's memory)" + fitting(m, s, null, null, o) + "; nothing was allocated");
    }

    private static MemoryEstimate estimate(ResolvedModel m, ModelReport s, CheckOptions o) {
        return MemoryEstimate.of(m, s, Math.max(o.batchFor(m), o.inferenceBatch()));
    }
}
