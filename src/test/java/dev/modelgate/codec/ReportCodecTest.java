package dev.modelgate.codec;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import dev.modelgate.render.JsonRenderer;
import dev.modelgate.render.Style;
import dev.modelgate.render.TextRenderer;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every record crosses JSON whole, through the one codec that the JSON format, the worker protocol, the measurement
 * cache and 'modelgate merge' share: read back, it equals what was written (records compare every field, so a field
 * the codec dropped fails here).
 */
class ReportCodecTest {
    static CheckReport staticCnn, fullRun;

    @BeforeAll
    static void measure() {
        staticCnn = new Checker(Thresholds.defaults()).check(Path.of("samples/lenet/original.yaml"), Path.of("samples/lenet/conv2-4x.yaml"), CheckOptions.STATIC);
        // A full run with health and timing, and NaN/Inf in losses and gradients (an absurd learning rate).
        fullRun = new Checker(Thresholds.defaults()).check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/absurd-lr.yaml"),
                CheckOptions.RUN.withTimeBudget(2).withIterations(3));
    }

    @Test
    void aStaticCheckRoundTripsEveryField() {
        CheckReport back = ReportCodec.check(ReportCodec.check(staticCnn));
        assertEquals(staticCnn, back);
        assertTrue(back.modified().layers().stream().anyMatch(l -> l.family().equals("conv") && l.width() != null && l.inWidth() != null),
                "layer family and widths survive: the width rules judge merged reports too");
    }

    @Test
    void aFullRunRoundTripsHealthTimingAndNonFiniteValues() throws Exception {
        assertNotNull(fullRun.timing());
        assertNotNull(fullRun.modified().health());
        assertTrue(fullRun.modified().health().losses().stream().anyMatch(v -> !Double.isFinite(v)), "the planted case has non-finite losses");
        assertEquals(fullRun, ReportCodec.check(ReportCodec.check(fullRun)));
        String json = new JsonRenderer().render(fullRun);
        assertEquals(fullRun, ReportCodec.entries(json).get(0).report(), "through the JSON text, as merge reads it");
        assertEquals(fullRun, ReportCodec.check(ReportCodec.parse(ReportCodec.line(ReportCodec.check(fullRun)))), "as the worker sends it");
    }

    @Test
    void aModelReportRoundTripsAsTheCacheKeepsIt() {
        assertEquals(fullRun.modified(), ReportCodec.model(ReportCodec.model(fullRun.modified())));
        assertEquals(staticCnn.original(), ReportCodec.model(ReportCodec.model(staticCnn.original())));
    }

    @Test
    void anAuditWithAnErrorEntryRoundTrips() throws Exception {
        AuditReport a = new AuditReport("dir", List.of(AuditEntry.checked("b.yaml", "a.yaml", staticCnn),
                AuditEntry.error("broken.yaml", null, "broken.yaml:1:1: bad")), staticCnn.environment());
        assertEquals(a, ReportCodec.audit(ReportCodec.audit(a)));
        assertEquals(a.checks(), ReportCodec.entries(new JsonRenderer().renderAudit(a)));
    }

    @Test
    void theVerdictIsRecomputedFromTheResultsNotReadBack() throws Exception {
        String json = new JsonRenderer().render(staticCnn);
        assertEquals(Verdict.FAIL, staticCnn.verdict());
        String forged = json.replaceFirst("\"verdict\" : \"FAIL\"", "\"verdict\" : \"PASS\"");
        assertFalse(forged.equals(json));
        assertEquals(Verdict.FAIL, ReportCodec.entries(forged).get(0).verdict(), "a report says PASS over a failing result: merge still fails it");
    }

    @Test
    void aBadInputErrorKeepsEveryField() {
        BadInputException e = new BadInputException(Path.of("m.yaml"), new Location(3, 7), "layers[0].units", "must be positive");
        BadInputException back = ReportCodec.error(ReportCodec.error(e));
        assertEquals(e.getMessage(), back.getMessage());
        assertEquals(e.kind(), back.kind());
        assertEquals(e.file(), back.file());
        assertEquals(e.location(), back.location());
        assertEquals(e.keyPath(), back.keyPath());
        assertEquals(BadInputException.Kind.LIMIT, ReportCodec.error(ReportCodec.error(BadInputException.limit(Path.of("x"), "too big"))).kind());
    }

    @Test
    void theEnvironmentKeepsDeviceAndLibrariesAndOlderReportsWithoutThemStillRead() throws Exception {
        Environment env = new Environment("cpu", "AMD EPYC (2 cores)", "1", "17.0.2", "Linux amd64", "0.1.0",
                new LinkedHashMap<>(Map.of("deeplearning4j", "1.0.0-M2.1")));
        String json = new JsonRenderer().render(staticCnn.withEnvironment(env));
        assertEquals(env, ReportCodec.entries(json).get(0).report().environment());

        String old = json.replaceAll("(?s)\\s*\"device\" : \"[^\"]*\",", "").replaceAll("(?s),\\s*\"libraries\" : \\{[^}]*}", "");
        assertFalse(old.contains("\"device\"") || old.contains("\"libraries\""), old);
        Environment before = ReportCodec.entries(old).get(0).report().environment();
        assertEquals("cpu", before.backend());
        assertNull(before.device());
        assertEquals(Map.of(), before.libraries());
        String text = new TextRenderer(Style.PLAIN).render(ReportCodec.entries(old).get(0).report());
        assertTrue(text.contains("environment: backend cpu, threads 1, java 17.0.2, modelgate 0.1.0\n"), text);
    }
}
