package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.report.CheckReport;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalInt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code --batch-size}: validated in the options, used by the health probe, the training timing and the memory guard. */
class BatchSizeOptionTest {
    @org.junit.jupiter.api.io.TempDir Path dir;

    static final Path MLP = Path.of("samples/mlp/original.yaml"), LENET = Path.of("samples/lenet/original.yaml");

    @Test
    void validatedLikeTheOtherOptions() {
        BadInputException e = assertThrows(BadInputException.class, () -> CheckOptions.RUN.withBatchSize(0));
        assertTrue(e.getMessage().contains("--batch-size must be between 1 and 1000000, got 0"), e.getMessage());
        assertEquals(OptionalInt.empty(), CheckOptions.RUN.batchSize(), "the model's own by default");
        assertEquals(OptionalInt.of(7), CheckOptions.RUN.withBatchSize(7).withSeed(3).withIterations(2).batchSize(), "kept by every with-method");
    }

    @Test
    void theModelsOwnUnlessAsked() {
        ResolvedModel m = ModelLoader.loadResolved(MLP, Optional.empty());
        assertEquals(m.spec().training().batchSize(), CheckOptions.RUN.batchFor(m));
        assertEquals(5, CheckOptions.RUN.withBatchSize(5).batchFor(m));
    }

    @Test
    void crossesToAWorkerAsItself() throws Exception {
        CheckOptions o = CheckOptions.RUN.withBatchSize(9).withProgress(true);
        assertEquals(o, WorkerMain.MAPPER.readValue(WorkerMain.MAPPER.writeValueAsString(o), CheckOptions.class));
    }

    @Test
    void healthAndTimingRunAtTheBatchAsked() {
        CheckReport r = new Checker(Thresholds.defaults()).check(MLP, dev.modelgate.TestFiles.sameModelOtherBytes(MLP, dir),
                CheckOptions.RUN.withBatchSize(6).withIterations(2).withTimeBudget(2));
        assertEquals(6, r.original().health().batchSize());
        assertEquals(6, r.modified().health().batchSize());
        assertEquals(6, r.timing().training().batchSize());
    }

    @Test
    void theMemoryGuardEstimatesAtTheBatchUsed() {
        ResolvedModel m = ModelLoader.loadResolved(LENET, Optional.empty());
        var s = StructureProbe.measure(m);
        long at32 = dev.modelgate.probe.MemoryEstimate.of(m, s, 32).total(), at1 = dev.modelgate.probe.MemoryEstimate.of(m, s, 1).total();
        long between = (at1 + at32) / 2;
        BadInputException refused = assertThrows(BadInputException.class, () -> MemoryGuard.check(m, s, null, null, CheckOptions.RUN.withMaxMemory(between)));
        assertTrue(refused.getMessage().contains("at batch " + m.spec().training().batchSize()), refused.getMessage());
        MemoryGuard.check(m, s, null, null, CheckOptions.RUN.withMaxMemory(between).withBatchSize(1)); // fits at batch 1
    }
}
