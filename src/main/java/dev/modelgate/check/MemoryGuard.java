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
    private MemoryGuard() {}

    /** @param b the second model, or null when one model is measured alone */
    static void check(ResolvedModel a, ModelReport sa, ResolvedModel b, ModelReport sb, CheckOptions o) {
        MemoryEstimate ea = estimate(a, sa, o), eb = b == null ? null : estimate(b, sb, o);
        refuseAlone(a, ea, o);
        if (b == null) return;
        refuseAlone(b, eb, o);
        if (ea.total() + eb.total() > o.maxMemory()) {
            throw BadInputException.limit(b.spec().source(), "timing holds both models: about "
                    + MemoryEstimate.human(ea.total() + eb.total()) + ", more than the " + MemoryEstimate.human(o.maxMemory())
                    + " allowed (--max-memory); nothing was allocated");
        }
    }

    private static void refuseAlone(ResolvedModel m, MemoryEstimate e, CheckOptions o) {
        if (e.total() <= o.maxMemory()) return;
        throw BadInputException.limit(m.spec().source(), "training needs about " + MemoryEstimate.human(e.total()) + " (" + e.describe()
                + ") at batch " + o.batchFor(m) + ", more than the " + MemoryEstimate.human(o.maxMemory())
                + " allowed (--max-memory; default half of this machine's memory; --batch-size lowers it); nothing was allocated");
    }

    private static MemoryEstimate estimate(ResolvedModel m, ModelReport s, CheckOptions o) {
        return MemoryEstimate.of(m, s, Math.max(o.batchFor(m), o.inferenceBatch()));
    }
}
