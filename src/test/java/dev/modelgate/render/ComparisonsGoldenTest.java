package dev.modelgate.render;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Comparison;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.modelgate.render.GoldenFilesTest.DIR;
import static dev.modelgate.render.GoldenFilesTest.assertGolden;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every renderer on one static check with two comparisons, as {@code check FILE --against HEAD --against accepted}
 * makes it: the golden modified CNN against its parent (cnn-original.yaml) and against its accepted version
 * (cnn-accepted.yaml, before the parent widened conv2 too). To accept a deliberate change:
 * {@code mvn test -Dtest=ComparisonsGoldenTest -Dgolden.update=true}, then review the diff.
 */
class ComparisonsGoldenTest {
    static final String ACCEPTED = "accepted:src/test/resources/golden/cnn-modified.yaml";

    static CheckReport report() {
        Checker checker = new Checker(Thresholds.defaults());
        CheckReport parent = GoldenFilesTest.masked(checker.check(DIR.resolve("cnn-original.yaml"), DIR.resolve("cnn-modified.yaml"), CheckOptions.STATIC));
        CheckReport accepted = GoldenFilesTest.masked(checker.check(DIR.resolve("cnn-accepted.yaml"), DIR.resolve("cnn-modified.yaml"), CheckOptions.STATIC));
        accepted = accepted.withOriginal(accepted.original().withSource(ACCEPTED));
        return parent.withComparisons(List.of(Comparison.of("accepted", accepted)));
    }

    @Test
    void everyFormatShowsBothComparisons() throws Exception {
        CheckReport r = report();
        assertGolden("comparisons.txt", new TextRenderer(Style.PLAIN).render(r));
        assertGolden("comparisons.json", new JsonRenderer().render(r));
        assertGolden("comparisons.md", new MarkdownRenderer().render(r));
        assertGolden("comparisons.html", HtmlRendererTest.forGolden(new HtmlRenderer().render(r)));
        String junit = new JunitRenderer().render(r);
        assertGolden("comparisons.junit.xml", junit);
        CiRenderersGoldenTest.validate(junit);
        String sarif = SarifRendererTest.renderer().render(r);
        assertGolden("comparisons.sarif", sarif);
        SarifRendererTest.validate(sarif);
        assertGolden("comparisons.github.txt", new GithubRenderer().render(r));
    }

    @Test
    void theRatiosStandSideBySide() {
        CheckView v = CheckView.of(report());
        assertEquals(List.of("src/test/resources/golden/cnn-original.yaml", ACCEPTED), v.ratios().baselines());
        CheckView.RatioRow channels = v.ratios().rows().stream().filter(x -> x.rule().equals("channel-growth")).findFirst().orElseThrow();
        // conv2: 16 -> 64 against the parent, 8 -> 64 against the accepted version.
        assertEquals(List.of("4.0 FAIL (conv2)", "8.0 FAIL (conv2)"), channels.cells());
        assertEquals(List.of(Status.FAIL, Status.FAIL), channels.statuses());
    }

    /** Timing ratios stand side by side like the structural ones; a comparison that measured none shows "-". */
    @Test
    void timingRatiosAreShownWhereMeasured() {
        CheckReport r = report();
        var primary = new java.util.ArrayList<>(r.results());
        primary.add(new dev.modelgate.report.RuleResult("training-time", Status.PASS, dev.modelgate.report.Severity.ERROR, 1.4, 2.0, null, "1.4x", false, null));
        var further = new java.util.ArrayList<>(r.comparisons().get(0).results());
        further.add(new dev.modelgate.report.RuleResult("training-time", Status.FAIL, dev.modelgate.report.Severity.ERROR, 2.3, 2.0, null, "2.3x", false, null));
        further.add(new dev.modelgate.report.RuleResult("inference-latency", Status.PASS, dev.modelgate.report.Severity.ERROR, 1.1, 1.5, null, "1.1x", false, null));
        Comparison c = r.comparisons().get(0);
        CheckReport timed = new CheckReport(r.original(), r.modified(), r.diff(), primary, r.timing(), r.environment(), r.phases(),
                List.of(new Comparison(c.against(), c.original(), c.diff(), further, c.timing(), c.phases())));
        var rows = CheckView.of(timed).ratios().rows();
        var byRule = new java.util.LinkedHashMap<String, List<String>>();
        rows.forEach(x -> byRule.put(x.rule(), x.cells()));
        assertEquals(List.of("1.4 PASS", "2.3 FAIL"), byRule.get("training-time"));
        assertEquals(List.of("-", "1.1 PASS"), byRule.get("inference-latency"));
        assertEquals(List.of("channel-growth", "dense-growth", "param-growth", "flops-growth", "training-time", "inference-latency"), List.copyOf(byRule.keySet()));
        String text = new TextRenderer(Style.PLAIN).render(timed);
        assertTrue(text.matches("(?s).*training-time +1\\.4 PASS +2\\.3 FAIL\n.*"), text);
    }

    @Test
    void theJsonReadsBackWhole() throws Exception {
        CheckReport r = report();
        String json = new JsonRenderer().render(r);
        CheckReport back = ReportCodec.check(ReportCodec.parse(json));
        assertEquals(r.comparisons(), back.comparisons());
        assertEquals(json, new JsonRenderer().render(back));
        assertEquals("accepted", back.comparisons().get(0).against());
        assertTrue(json.contains("\"comparisons\""));
        assertTrue(!new JsonRenderer().render(GoldenFilesTest.report()).contains("\"comparisons\""), "a check of one pair writes no comparisons");
    }

    @Test
    void theVerdictIsTheWorstOfAllComparisons() {
        CheckReport r = report();
        // A primary comparison that passes does not hide a failing further one.
        CheckReport passing = new CheckReport(r.original(), r.modified(), r.diff(),
                r.results().stream().filter(x -> x.status() != Status.FAIL).toList(), r.timing(), r.environment(), r.phases(), r.comparisons());
        assertEquals(Verdict.PASS, Verdict.of(passing.results()));
        assertEquals(Verdict.FAIL, passing.verdict());
    }
}
