package dev.modelgate.check;

import dev.modelgate.codec.ReportCodec;
import dev.modelgate.probe.NativeThreads;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two models' health probes interleaved on one thread (at the timing's threads) measure what one after the other
 * on every core measures: the random draws are seeded per iteration and each model's training memory is sized by
 * its own first iterations, alone. Equal to float32 rounding, not bit for bit: a reduction on two native threads
 * sums in another order (the LeNet pair's losses and memory agree exactly; a gradient norm read 0.7541088069 on two
 * threads and 0.7541088022 on one).
 */
class HealthInterleavedTest {
    static final Path A = Path.of("samples/lenet/original.yaml"), B = Path.of("samples/lenet/conv2-2x.yaml");
    static final CheckOptions OPTIONS = CheckOptions.RUN.withIterations(6);

    @Test
    void interleavedMeasuresWhatOneAfterTheOtherMeasures() {
        ResolvedModel a = ModelLoader.loadResolved(A, Optional.empty()), b = ModelLoader.loadResolved(B, Optional.empty());
        ModelReport sa = StructureProbe.measure(a), sb = StructureProbe.measure(b);
        String ka = MeasurementKey.of(a, OPTIONS), kb = MeasurementKey.of(b, OPTIONS);
        List<ModelReport> toldFirst = new ArrayList<>();
        Measurer.Both both = new Measurer(null).health(sa, a, ka, sb, b, kb, OPTIONS, false, toldFirst::add);
        assertTrue(both.interleaved());
        if (both.training() != null) {
            // 6 iterations: 2 alone each, then 4 interleaved pairs, of which the whole blocks after the warm-up
            assertTrue(both.training().a().size() == 2 || both.training().a().size() == 4, both.training().a().size() + " pairs");
            assertEquals(both.training().a().size(), both.training().b().size());
        }
        assertEquals(List.of(both.original()), toldFirst, "the original's report is passed on as soon as it is in");
        assertEquals(NativeThreads.configured(), NativeThreads.current(), "the thread setting is back to the timing's");

        Measurer apart = new Measurer(null);
        ModelReport ra = apart.health(sa, a, OPTIONS, ka, false), rb = apart.health(sb, b, OPTIONS, kb, false);
        assertAlike(ReportCodec.model(ra), ReportCodec.model(both.original()), "original");
        assertAlike(ReportCodec.model(rb), ReportCodec.model(both.modified()), "modified");
    }

    /** Equal trees, numbers within float32 rounding (relative 1e-5); anything else exactly. */
    static void assertAlike(com.fasterxml.jackson.databind.JsonNode expected, com.fasterxml.jackson.databind.JsonNode actual, String where) {
        if (expected.isNumber() && actual.isNumber()) {
            double e = expected.asDouble(), a = actual.asDouble();
            assertTrue(Math.abs(e - a) <= 1e-5 * Math.max(1e-3, Math.abs(e)), where + ": " + e + " vs " + a);
        } else if (expected.isContainerNode()) {
            assertEquals(expected.size(), actual.size(), where);
            if (expected.isArray()) {
                for (int i = 0; i < expected.size(); i++) assertAlike(expected.get(i), actual.get(i), where + "[" + i + "]");
            } else {
                expected.fieldNames().forEachRemaining(f -> assertAlike(expected.get(f), actual.path(f), where + "." + f));
            }
        } else {
            assertEquals(expected, actual, where);
        }
    }

    @Test
    void oneContentInTwoFilesIsMeasuredOnceNotInterleaved() {
        ResolvedModel a = ModelLoader.loadResolved(A, Optional.empty());
        ModelReport sa = StructureProbe.measure(a);
        String ka = MeasurementKey.of(a, OPTIONS);
        Measurer.Both both = new Measurer(null).health(sa, a, ka, sa, a, ka, OPTIONS, false, r -> {});
        assertFalse(both.interleaved());
        assertNull(both.training(), "no pairs: one model");
        assertEquals(ReportCodec.model(both.original()).toString(), ReportCodec.model(both.modified()).toString());
    }
}
