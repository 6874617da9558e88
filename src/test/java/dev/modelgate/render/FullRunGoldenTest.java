package dev.modelgate.render;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.Status;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every renderer on a full run: health, timing, runtime rules and pre-existing marks, not only the static rows.
 * The report is a real run (samples/mlp: weights N(0,100) against the same model with tanh, so the gradient explosion
 * is pre-existing and the activation range is fixed by the change), frozen as src/test/resources/golden/full-run.json
 * with the volatile fields masked (environment, phase durations), so that rendering it is deterministic. Every format
 * renders the same scenario; the JSON golden is the fixture itself (read back and rendered, it is byte for byte what was
 * written). To accept a deliberate change: {@code -Dgolden.update=true} re-renders the goldens;
 * {@code -Dgolden.remeasure=true} also measures the run again (then review the diff).
 */
class FullRunGoldenTest {
    static final Path FIXTURE = GoldenFilesTest.DIR.resolve("full-run.json");

    private static boolean remeasured;

    static synchronized CheckReport report() throws IOException {
        // Measured at most once per run, so that every golden of one update comes from the same measurement.
        if (!remeasured && (Boolean.getBoolean("golden.remeasure") || !Files.exists(FIXTURE))) {
            remeasured = true;
            CheckReport r = new Checker(Thresholds.defaults()).check(Path.of("samples/mlp/init-normal-100.yaml"), Path.of("samples/mlp/tanh-normal-100.yaml"),
                    CheckOptions.RUN.withIterations(3).withTimeBudget(4));
            Environment masked = new Environment(r.environment().backend(), "<device>", "<threads>", "<java>", "<os>", "<version>", Map.of("<library>", "<version>"));
            Map<String, Long> phases = new LinkedHashMap<>();
            r.phases().keySet().forEach(k -> phases.put(k, 0L));
            // What the per-layer passes took is a duration too.
            dev.modelgate.report.TimingReport t = r.timing(), timing = t.withLayers(new dev.modelgate.report.TimingReport.LayerTimes(
                    t.layers().training(), t.layers().inference(), t.layers().layers(), 0));
            Files.writeString(FIXTURE, new JsonRenderer().render(new CheckReport(r.original(), r.modified(), r.diff(), r.results(), timing, masked, phases)),
                    StandardCharsets.UTF_8);
        }
        return ReportCodec.entries(Files.readString(FIXTURE, StandardCharsets.UTF_8)).get(0).report();
    }

    @Test
    void theFixtureIsAFullRunWithEveryKindOfRow() throws IOException {
        CheckReport r = report();
        assertEquals("run", r.mode());
        assertNotNull(r.timing());
        assertNotNull(r.timing().layers(), "the time per layer");
        assertNotNull(r.modified().health());
        assertTrue(r.results().stream().anyMatch(x -> x.preExisting()), "a pre-existing violation");
        assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("training-time") && x.status() != Status.SKIP), "a timing row");
        assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("activation-range") && x.status() == Status.PASS), "a health row");
    }

    @Test
    void everyRendererOnAFullRun() throws IOException {
        CheckReport r = report();
        for (String format : Renderers.names()) {
            String out = Renderers.create(format, Style.PLAIN, dev.modelgate.cli.RuleCatalogs.CURRENT).render(r);
            if (format.equals("html")) out = HtmlRendererTest.forGolden(out);
            if (format.equals("sarif")) SarifRendererTest.validate(out);
            GoldenFilesTest.assertGolden("full-run." + Renderers.extension(format), out);
        }
    }

    static final Path HELD_OUT_FIXTURE = GoldenFilesTest.DIR.resolve("full-run-heldout.json");

    /**
     * A full run with the held-out evaluation: samples/iris against its one-softmax-unit bug, shortened to 3 epochs
     * and 3 seeds, timing off; frozen like {@link #report()}.
     */
    static synchronized CheckReport heldOutReport(Path tmp) throws IOException {
        if (Boolean.getBoolean("golden.remeasure") || !Files.exists(HELD_OUT_FIXTURE)) {
            Files.copy(Path.of("samples/iris/data/iris.csv"), tmp.resolve("iris.csv"));
            String iris = Files.readString(Path.of("samples/iris/original.yaml"))
                    .replace("data: {csv: data/iris.csv, label: species}", "data: {csv: iris.csv, label: species, epochs: 3, seeds: 3}");
            Path a = tmp.resolve("original.yaml"), b = tmp.resolve("single-softmax.yaml");
            Files.writeString(a, iris);
            Files.writeString(b, iris.replace("output: {classes: 3}", "output: {classes: 1}"));
            Path config = tmp.resolve("timing-off.yaml");
            Files.writeString(config, "rules:\n  training-time: {severity: off}\n  inference-latency: {severity: off}\n");
            CheckReport r = new Checker(Thresholds.defaults().overlay(config)).check(a, b, CheckOptions.RUN.withIterations(3));
            Environment masked = new Environment(r.environment().backend(), "<device>", "<threads>", "<java>", "<os>", "<version>", Map.of("<library>", "<version>"));
            Map<String, Long> phases = new LinkedHashMap<>();
            r.phases().keySet().forEach(k -> phases.put(k, 0L));
            String json = new JsonRenderer().render(new CheckReport(r.original().withSource("original.yaml"), r.modified().withSource("single-softmax.yaml"),
                    r.diff(), r.results(), r.timing(), masked, phases));
            // Seconds per seed are volatile like the phases.
            Files.writeString(HELD_OUT_FIXTURE, json.replaceAll("\"seconds\" : [0-9.Ee-]+", "\"seconds\" : 0.0"), StandardCharsets.UTF_8);
        }
        return ReportCodec.entries(Files.readString(HELD_OUT_FIXTURE, StandardCharsets.UTF_8)).get(0).report();
    }

    @Test
    void everyRendererOnAFullRunWithTheHeldOutEvaluation(@org.junit.jupiter.api.io.TempDir Path tmp) throws IOException {
        CheckReport r = heldOutReport(tmp);
        assertNotNull(r.modified().evaluation());
        assertTrue(r.results().stream().anyMatch(x -> x.rule().equals("accuracy-drop") && x.status() == Status.FAIL), "the planted drop fails");
        for (String format : Renderers.names()) {
            String out = Renderers.create(format, Style.PLAIN, dev.modelgate.cli.RuleCatalogs.CURRENT).render(r);
            if (format.equals("html")) out = HtmlRendererTest.forGolden(out);
            if (format.equals("sarif")) SarifRendererTest.validate(out);
            GoldenFilesTest.assertGolden("full-run-heldout." + Renderers.extension(format), out);
        }
    }

    @Test
    void everyRendererOnAnAuditOfFullRuns() throws IOException {
        CheckReport r = report();
        AuditReport a = new AuditReport("experiments", List.of(AuditEntry.checked("experiments/tanh-normal-100.yaml", "experiments/init-normal-100.yaml", r),
                AuditEntry.error("experiments/broken.yaml", null, "experiments/broken.yaml:3:5: layers[0].untis: unknown key 'untis' (did you mean 'units'?)")),
                r.environment());
        for (String format : Renderers.names()) {
            String out = Renderers.create(format, Style.PLAIN, dev.modelgate.cli.RuleCatalogs.CURRENT).renderAudit(a);
            if (format.equals("html")) out = HtmlRendererTest.forGolden(out);
            if (format.equals("sarif")) SarifRendererTest.validate(out);
            GoldenFilesTest.assertGolden("full-run-audit." + Renderers.extension(format), out);
        }
    }
}
