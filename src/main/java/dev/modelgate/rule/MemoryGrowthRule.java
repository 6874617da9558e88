package dev.modelgate.rule;

import dev.modelgate.report.MemoryUse;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.text.Arg;
import dev.modelgate.text.Template;

import java.util.List;
import java.util.function.ToLongFunction;

/**
 * The measured peak memory, modified / original, of a training iteration and of an inference call (one result
 * each): what DL4J holds while it runs the model (docs/benchmarks.md, "Measured peak memory").
 */
public final class MemoryGrowthRule extends RuntimeRule {
    public static final RuleMetadata METADATA = new RuleMetadata("memory-growth",
            "measured peak memory of a training iteration and of an inference call, modified / original",
            "Interview: \"monitor the memory and storage usage of the model\"; its case of a memory leak: memory use kept "
                    + "increasing until it exhausted the system and crashed it.",
            Severity.WARNING, List.of(Property.ratioAboveOne("max-ratio", 2.0, "largest allowed growth of the measured peak memory")), true);

    static final Template RATIO = Template.of("{phase} peak memory {from} -> {to} at batch {batch} ({measured}x, max allowed {limit}x)",
            "phase", "from", "to", "batch");
    static final Template TRAINING = Template.of("training iteration");
    static final Template INFERENCE = Template.of("inference call");

    public MemoryGrowthRule(RuleSettings s) { super(METADATA, s); }

    @Override public boolean judgesOneModel() { return false; }

    @Override
    protected boolean measured(Evidence e) {
        return memory(e.original()) != null && memory(e.modified()) != null;
    }

    @Override
    protected List<RuleResult> judge(Evidence e) {
        MemoryUse a = memory(e.original()), b = memory(e.modified());
        return List.of(ratio(TRAINING, a, b, MemoryUse::trainingBytes, b.trainingBatch()),
                ratio(INFERENCE, a, b, MemoryUse::inferenceBytes, b.inferenceBatch()));
    }

    private RuleResult ratio(Template phase, MemoryUse a, MemoryUse b, ToLongFunction<MemoryUse> peak, int batch) {
        double max = settings.get("max-ratio");
        long from = peak.applyAsLong(a), to = peak.applyAsLong(b);
        double r = (double) to / Math.max(1, from);
        return result(r <= max, r, max, null, RATIO, Arg.text("phase", phase.fill(null, null)), Arg.bytes("from", from), Arg.bytes("to", to),
                Arg.integer("batch", batch));
    }

    private static MemoryUse memory(ModelReport m) {
        return m.health() == null ? null : m.health().memory();
    }
}
