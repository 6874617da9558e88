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
}
