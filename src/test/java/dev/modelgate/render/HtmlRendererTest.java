package dev.modelgate.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The HTML report: a golden file for the static report (with the inlined Chart.js replaced by a placeholder, so the
 * golden file stays small and a library update does not touch it), and checks on a real run-mode report: the chart
 * data is there, the page asks for nothing from the network, and no string of the report can end a script element.
 * To accept a deliberate change: {@code mvn test -Dtest=HtmlRendererTest -Dgolden.update=true}, then review the diff.
 */
class HtmlRendererTest {
    static final String EVIL = "</script><script>alert(1)</script><!--";
    private static final Pattern LIBRARY = Pattern.compile("(<script id=\"chartjs-library\"[^>]*>)(.*?)(</script>)", Pattern.DOTALL);
    private static final Pattern CHART_CODE = Pattern.compile("(<script id=\"modelgate-charts\">)(.*?)(</script>)", Pattern.DOTALL);
    private static final Pattern STYLE = Pattern.compile("(<style>\n)(.*?)(</style>)", Pattern.DOTALL);
    private static final Pattern DATA = Pattern.compile("<script type=\"application/json\" id=\"modelgate-data\">(.*?)</script>", Pattern.DOTALL);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    static CheckReport run;

    @BeforeAll
    static void runBothModels() {
        // Run mode with timing: a short budget and 2 training iterations keep this to a few seconds.
        run = new Checker(Thresholds.defaults()).check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/fc1-2x.yaml"),
                CheckOptions.RUN.withTimeBudget(5).withIterations(2));
    }

    @Test
    void staticReportMatchesTheGoldenFile() throws IOException {
        String html = new HtmlRenderer().render(GoldenFilesTest.report());
        Matcher m = LIBRARY.matcher(html);
        assertTrue(m.find(), "Chart.js is inlined");
        assertTrue(m.group(2).contains("Chart.js v"), "the inlined script is Chart.js");
        GoldenFilesTest.assertGolden("check.html", forGolden(html));
    }

    @Test
    void staticReportSaysWhyThereAreNoHealthOrTimingCharts() throws IOException {
        String html = new HtmlRenderer().render(GoldenFilesTest.report());
        assertTrue(html.contains("Structure only (--static): the models were not run, so nothing was timed."));
        assertTrue(html.contains("Structure only (--static): the models were not built or trained"));
        assertFalse(html.contains("id=\"chart-activations\""));
        assertFalse(html.contains("id=\"chart-timing-0\""));
        JsonNode data = data(html);
        assertTrue(data.path("activations").isMissingNode());
        assertTrue(data.path("timing").isMissingNode());
        assertEquals(data.path("structure").path("labels").size(), GoldenFilesTest.report().diff().size());
    }

    @Test
    void runReportCarriesTheChartData() throws IOException {
        String html = new HtmlRenderer().render(run);
        for (String id : List.of("chart-activations", "chart-gradients", "chart-loss", "chart-timing-0", "chart-timing-1", "chart-params", "chart-macs")) {
            assertTrue(html.contains("<canvas id=\"" + id + "\""), id);
        }
        JsonNode data = data(html);
        int layers = run.diff().size();
        JsonNode act = data.path("activations");
        assertEquals(layers, act.path("labels").size());
        for (String k : List.of("originalInitial", "originalTrained", "modifiedInitial", "modifiedTrained")) {
            assertEquals(layers, act.path(k).size(), k);
        }
        // The first layer's range is the report's, not something computed from it.
        LayerChange first = run.diff().get(0);
        ActivationStats s = run.modified().health().trained(first.modified()).orElseThrow();
        assertEquals(s.min(), act.path("modifiedTrained").get(0).get(0).asDouble());
        assertEquals(s.max(), act.path("modifiedTrained").get(0).get(1).asDouble());

        JsonNode grad = data.path("gradients");
        assertTrue(grad.path("labels").size() > 0);
        String layer = grad.path("labels").get(0).asText();
        LayerGradients g = run.original().health().gradients(layer).orElseThrow();
        assertEquals(g.peakL2(), grad.path("peakOriginal").get(0).asDouble());
        assertEquals(g.medianWeightL2(), grad.path("medianOriginal").get(0).asDouble());
        assertEquals(2, grad.path("limits").size(), "both gradient limits are drawn");

        assertEquals(2, data.path("loss").path("original").size());
        assertEquals(2, data.path("timing").size());
        JsonNode training = data.path("timing").get(0);
        assertEquals(run.timing().training().original().medianMs(), training.path("original").path("median").asDouble());
        assertEquals(run.timing().training().modified().q3Ms(), training.path("modified").path("q3").asDouble());
        assertFalse(html.contains("Structure only (--static)"));
    }

    @Test
    void aGradientLimitIsDrawnOnlyOnTheStatisticItsRuleJudged() throws IOException {
        JsonNode limits = data(new HtmlRenderer().render(run)).path("gradients").path("limits");
        assertEquals("gradient-explosion limit 100", limits.get(0).path("label").asText(), "l2: the limit belongs on the L2 chart");

        // Under statistic: max-abs the explosion rule judged the largest element, which the L2 chart does not show.
        List<RuleResult> results = new ArrayList<>();
        for (RuleResult x : run.results()) {
            results.add(!x.rule().equals("gradient-explosion") ? x : new RuleResult(x.rule(), x.status(), x.severity(), x.measured(),
                    x.threshold(), x.layer(), x.message(), x.preExisting(), "max-abs"));
        }
        CheckReport maxAbs = new CheckReport(run.original(), run.modified(), run.diff(), results,
                run.timing(), run.environment(), run.phases());
        String html = new HtmlRenderer().render(maxAbs);
        limits = data(html).path("gradients").path("limits");
        assertEquals(1, limits.size(), limits.toString());
        assertTrue(limits.get(0).path("label").asText().startsWith("gradient-vanishing"), limits.toString());
        assertTrue(html.contains("gradient-explosion judged the max-abs statistic (limit 100), which these L2 norms are not; its limit is not drawn."));
    }

    @Test
    void anAuditPageChartsItsVerdictsAndEachTimedConfigsRatios() throws IOException {
        AuditReport a = new AuditReport("experiments", List.of(AuditEntry.checked("experiments/fc1-2x.yaml", "experiments/original.yaml", run)), run.environment());
        String html = new HtmlRenderer().renderAudit(a);
        JsonNode audit = data(html).path("audit");
        assertEquals(1, audit.path("passed").asLong() + audit.path("failed").asLong());
        assertEquals(List.of("experiments/fc1-2x.yaml"), List.of(audit.path("configs").get(0).asText()));
        assertEquals(run.timing().training().ratio(), audit.path("training").get(0).asDouble(), 1e-12);
        assertEquals(2.0, audit.path("trainingLimit").asDouble());
        assertTrue(html.contains("id=\"chart-verdicts\"") && html.contains("id=\"chart-ratios\""));
    }

    @Test
    void pageIsSelfContained() {
        for (String html : List.of(new HtmlRenderer().render(run), new HtmlRenderer().render(GoldenFilesTest.report()),
                new HtmlRenderer().renderAudit(audit()))) {
            // No element that loads anything: no script or image source, no stylesheet link, no frames.
            assertFalse(Pattern.compile("<(script|img|iframe|embed|object|source|audio|video|link)\\b[^>]*\\b(src|href|data)\\s*=",
                    Pattern.CASE_INSENSITIVE).matcher(html).find(), "an element with a source");
            assertFalse(Pattern.compile("(src|href)\\s*=\\s*[\"']?(https?:)?//", Pattern.CASE_INSENSITIVE).matcher(html).find(), "a network source");
            assertFalse(Pattern.compile("url\\(|@import", Pattern.CASE_INSENSITIVE).matcher(withoutLibrary(html)).find(), "a CSS fetch");
            assertFalse(html.contains("sourceMappingURL"), "a source map would be fetched by developer tools");
            // And the browser is told to fetch nothing even if something slipped through.
            assertTrue(html.contains("Content-Security-Policy\" content=\"default-src 'none';"));
        }
    }

    @Test
    void noStringOfTheReportCanEndAScriptElement() throws IOException {
        String html = new HtmlRenderer().render(hostile(run));
        assertFalse(html.contains(EVIL));
        assertFalse(html.toLowerCase().contains("<script>alert"));
        // Exactly the page's own three script elements: data, Chart.js, the chart code.
        assertEquals(3, count(html, "<script"));
        assertEquals(3, count(html, "</script"));
        // The hostile name reaches the charts intact (JSON-escaped) and the tables as text (HTML-escaped).
        JsonNode data = data(html);
        assertEquals(EVIL, data.path("structure").path("labels").get(0).asText());
        assertEquals(EVIL, data.path("activations").path("labels").get(0).asText());
        assertTrue(html.contains("&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;&lt;!--"));
        assertTrue(html.contains("<title>modelgate check: "));
        assertFalse(html.substring(0, html.indexOf("</title>")).contains("<script"), "the title is escaped too");
    }

    @Test
    void auditMatchesTheGoldenFile() throws IOException {
        CheckReport r = GoldenFilesTest.report();
        java.util.List<dev.modelgate.report.AuditEntry> entries = java.util.List.of(
                dev.modelgate.report.AuditEntry.checked("experiments/modified.yaml", "experiments/original.yaml", r),
                dev.modelgate.report.AuditEntry.error("experiments/broken.yaml", null, "experiments/broken.yaml:3:5: layers[0].untis: unknown key 'untis' (did you mean 'units'?)"));
        String html = new HtmlRenderer().renderAudit(new dev.modelgate.report.AuditReport("experiments", entries, r.environment()));
        GoldenFilesTest.assertGolden("audit.html", forGolden(html));
    }

    @Test
    void auditIsWorstFirstWithOneCollapsibleSectionPerConfig() {
        String html = new HtmlRenderer().renderAudit(audit());
        assertTrue(html.contains("modelgate audit <span class=\"badge error\">ERROR</span>"));
        int error = html.indexOf("<td class=\"mono\">" + esc("a/" + EVIL) + "</td>");
        int fail = html.indexOf("<td class=\"mono\">b/modified.yaml</td>");
        assertTrue(error > 0 && fail > error, "worst first");
        assertEquals(2, count(html, "<details class=\"config\""));
        assertTrue(html.contains("<details class=\"config\" id=\"config-1\" open>"), "non-passing configs are open");
        assertTrue(html.contains("channel-growth"), "the failing config's rules table");
        assertEquals(3, count(html, "<script"), "the audit page's chart data, Chart.js and the chart code");
        assertFalse(html.contains(EVIL));
    }

    // ---- helpers ----

    static String withoutLibrary(String html) {
        return LIBRARY.matcher(html).replaceFirst("$1/* Chart.js inlined here (left out of the golden file) */$3");
    }

    /**
     * The page as its golden file holds it: without the two inlined scripts, Chart.js and modelgate's own report.js
     * (a resource of its own, held to the page by {@link #theChartCodeIsReportJsInlinedWhole}), and without the
     * inlined style sheet (style.mustache, a partial without variables, held to the page by
     * {@link #theStyleIsStyleMustacheInlinedWhole}), so that every HTML golden holds what its report puts on the page
     * and not 300 lines of the same script and 50 of the same style each.
     */
    static String forGolden(String html) {
        String page = CHART_CODE.matcher(withoutLibrary(html)).replaceFirst("$1/* report.js inlined here (left out of the golden file) */$3");
        return STYLE.matcher(page).replaceFirst("$1/* style.mustache inlined here (left out of the golden file) */\n$3");
    }

    @Test
    void theStyleIsStyleMustacheInlinedWhole() throws IOException {
        assertInlinedWhole("style.mustache", STYLE, "the style sheet is inlined");
    }

    @Test
    void theChartCodeIsReportJsInlinedWhole() throws IOException {
        assertInlinedWhole("report.js", CHART_CODE, "the chart code is inlined");
    }

    /** The resource stands whole as group 2 of {@code where} on the page of a check and of an audit. */
    private static void assertInlinedWhole(String resource, Pattern where, String what) throws IOException {
        String text;
        try (java.io.InputStream in = HtmlRenderer.class.getResourceAsStream(resource)) {
            text = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        for (String html : List.of(new HtmlRenderer().render(GoldenFilesTest.report()), new HtmlRenderer().renderAudit(audit()))) {
            Matcher m = where.matcher(html);
            assertTrue(m.find(), what);
            assertEquals(text.strip(), m.group(2).strip());
        }
    }

    static JsonNode data(String html) throws IOException {
        Matcher m = DATA.matcher(html);
        assertTrue(m.find(), "chart data element");
        return MAPPER.readTree(m.group(1));
    }

    static int count(String s, String what) {
        int n = 0;
        for (int i = s.toLowerCase().indexOf(what); i >= 0; i = s.toLowerCase().indexOf(what, i + 1)) n++;
        return n;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;").replace("'", "&#39;")
                .replace("=", "&#61;").replace("`", "&#96;");
    }

    static AuditReport audit() {
        CheckReport failing = GoldenFilesTest.report();
        List<AuditEntry> entries = List.of(
                AuditEntry.checked("b/modified.yaml", "b/original.yaml", failing),
                AuditEntry.error("a/" + EVIL, null, "cannot read " + EVIL));
        return new AuditReport("experiments", entries, failing.environment());
    }

    /** The run report with its first layer (in both models, the diff and the health data) and one message renamed to EVIL. */
    static CheckReport hostile(CheckReport r) {
        LayerChange c = r.diff().get(0);
        List<LayerChange> diff = new ArrayList<>(r.diff());
        diff.set(0, new LayerChange(c.kind(), c.original() == null ? null : EVIL, c.modified() == null ? null : EVIL, c.type(), c.details()));
        List<RuleResult> results = new ArrayList<>();
        for (RuleResult x : r.results()) {
            results.add(new RuleResult(x.rule(), x.status(), x.severity(), x.measured(), x.threshold(), x.layer(), EVIL + " " + x.message(), x.preExisting()));
        }
        return new CheckReport(rename(r.original(), c.original()), rename(r.modified(), c.modified()),
                diff, results, r.timing(), r.environment(), r.phases());
    }

    private static ModelReport rename(ModelReport m, String layer) {
        if (layer == null) return m;
        List<LayerInfo> layers = m.layers().stream().map(l -> !l.name().equals(layer) ? l : new LayerInfo(EVIL, l.type(), l.family(),
                l.inputs(), l.inputShapes(), l.outputShape(), l.params(), l.macs(), l.width(), l.inWidth(), l.attributes(), l.autoNamed())).toList();
        HealthReport h = m.health();
        assertNotNull(h);
        HealthReport renamed = new HealthReport(h.batchSize(), h.iterations(), stats(h.initial(), layer), stats(h.trained(), layer),
                h.gradients().stream().map(g -> !g.layer().equals(layer) ? g
                        : new LayerGradients(EVIL, g.weightL2(), g.allL2(), g.maxAbs(), g.weightMaxAbs(), g.nonFinite())).toList(),
                h.losses(), h.nonFiniteParams(), h.dl4jParams());
        return new ModelReport(EVIL, m.format(), m.name(), m.inputShape(), layers, renamed, m.notes());
    }

    private static List<ActivationStats> stats(List<ActivationStats> list, String layer) {
        return list.stream().map(s -> !s.layer().equals(layer) ? s : new ActivationStats(EVIL, s.min(), s.max(), s.mean(), s.std(),
                s.nan(), s.inf(), s.zeroFraction(), s.saturatedFraction())).toList();
    }
}
