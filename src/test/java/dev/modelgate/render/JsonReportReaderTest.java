package dev.modelgate.render;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What JsonRenderer writes, JsonReportReader reads back unchanged: the basis of 'modelgate merge'. */
class JsonReportReaderTest {
    @Test
    void aStaticCheckRoundTrips() throws Exception {
        CheckReport r = GoldenFilesTest.report();
        String json = new JsonRenderer().render(r);
        List<AuditEntry> back = JsonReportReader.entries(json);
        assertEquals(1, back.size());
        assertEquals(json, new JsonRenderer().render(back.get(0).report()));
    }

    @Test
    void aRunWithHealthAndTimingRoundTrips() throws Exception {
        CheckReport r = new Checker(Thresholds.defaults()).check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/absurd-lr.yaml"),
                CheckOptions.RUN.withTimeBudget(2).withIterations(3));
        String json = new JsonRenderer().render(r);
        assertEquals(json, new JsonRenderer().render(JsonReportReader.entries(json).get(0).report()), "NaN losses and all");
    }

    @Test
    void anAuditWithAnErrorEntryRoundTrips() throws Exception {
        CheckReport r = GoldenFilesTest.report();
        List<AuditEntry> entries = List.of(AuditEntry.checked("b.yaml", "a.yaml", r), AuditEntry.error("broken.yaml", null, "broken.yaml:1:1: bad"));
        AuditReport a = new AuditReport(1, AuditReport.worst(entries), "dir", entries, r.environment());
        String json = new JsonRenderer().renderAudit(a);
        List<AuditEntry> back = JsonReportReader.entries(json);
        AuditReport again = new AuditReport(1, AuditReport.worst(back), "dir", back, JsonReportReader.environment(json));
        assertEquals(json, new JsonRenderer().renderAudit(again));
    }

    @Test
    void theEnvironmentKeepsDeviceAndLibrariesAndOlderReportsWithoutThemStillRead() throws Exception {
        CheckReport r = GoldenFilesTest.report();
        dev.modelgate.report.Environment env = new dev.modelgate.report.Environment("cpu", "AMD EPYC (2 cores)", "1", "17.0.2", "Linux amd64", "0.1.0",
                new java.util.LinkedHashMap<>(java.util.Map.of("deeplearning4j", "1.0.0-M2.1")));
        String json = new JsonRenderer().render(r.withEnvironment(env));
        assertEquals(env, JsonReportReader.entries(json).get(0).report().environment());
        assertEquals(env, JsonReportReader.environment(json));

        String old = json.replaceAll("(?s)\\s*\"device\" : \"[^\"]*\",", "").replaceAll("(?s),\\s*\"libraries\" : \\{[^}]*}", "");
        org.junit.jupiter.api.Assertions.assertFalse(old.contains("\"device\"") || old.contains("\"libraries\""), old);
        dev.modelgate.report.Environment before = JsonReportReader.environment(old);
        assertEquals("cpu", before.backend());
        org.junit.jupiter.api.Assertions.assertNull(before.device());
        assertEquals(java.util.Map.of(), before.libraries());
        String text = new TextRenderer(Style.PLAIN).render(JsonReportReader.entries(old).get(0).report());
        org.junit.jupiter.api.Assertions.assertTrue(text.contains("environment: backend cpu, threads 1, java 17.0.2, modelgate 0.1.0\n"), text);
    }
}
