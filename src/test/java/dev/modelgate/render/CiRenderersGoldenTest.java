package dev.modelgate.render;

import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.stream.StreamSource;
import javax.xml.validation.Schema;
import javax.xml.validation.SchemaFactory;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The CI formats (junit, markdown, github) for the report of {@link GoldenFilesTest}, and for an audit made of that
 * report plus one config that could not be checked, compared with files under src/test/resources/golden. To accept a
 * deliberate change: {@code mvn test -Dtest=CiRenderersGoldenTest -Dgolden.update=true}, then review the diff.
 */
class CiRenderersGoldenTest {
    static final String BROKEN = "broken.yaml:3:5: layers[0].untis: unknown key 'untis' (did you mean 'units'?)";

    static AuditReport audit() {
        CheckReport r = GoldenFilesTest.report();
        List<AuditEntry> entries = List.of(
                AuditEntry.checked(r.modified().source(), r.original().source(), r),
                AuditEntry.error("broken.yaml", null, BROKEN));
        return new AuditReport("experiments", entries, r.environment());
    }

    // ---------------------------------------------------------------- junit

    @Test
    void junitCheck() throws Exception {
        CheckReport r = GoldenFilesTest.report();
        String xml = new JunitRenderer().render(r);
        GoldenFilesTest.assertGolden("check.junit.xml", xml);
        validate(xml);

        Element root = parse(xml).getDocumentElement();
        assertEquals("testsuites", root.getTagName());
        List<Element> suites = children(root, "testsuite");
        assertEquals(1, suites.size());
        Element suite = suites.get(0);
        assertEquals("modelgate: " + r.original().source() + " -> " + r.modified().source(), suite.getAttribute("name"));
        assertCounts(suite, r.results().size(), r.count(Status.FAIL), r.count(Status.ERROR), r.count(Status.SKIP));
        assertCounts(root, r.results().size(), r.count(Status.FAIL), r.count(Status.ERROR), r.count(Status.SKIP));
        assertFalse(root.hasAttribute("skipped"), "junit-10.xsd has no skipped on <testsuites>");
        assertEquals("0", suite.getAttribute("time"));

        Element failure = (Element) suite.getElementsByTagName("failure").item(0);
        assertEquals("conv2: output channels 16 -> 64 (4.0x, max allowed 2.0x) [measured 4.0, limit 2.0]", failure.getAttribute("message"));
        assertEquals("channel-growth", failure.getAttribute("type"));
        Element testcase = (Element) failure.getParentNode();
        assertEquals(r.modified().source(), testcase.getAttribute("classname"), "the class is the config");
        assertEquals("channel-growth", testcase.getAttribute("name"), "one result: the rule id alone");

        Map<String, String> props = properties(suite);
        for (String key : List.of("backend", "threads", "java", "modelgate")) assertTrue(props.containsKey(key), key);
        assertEquals("<version>", props.get("modelgate"));
    }

    @Test
    void junitAudit() throws Exception {
        AuditReport a = audit();
        String xml = new JunitRenderer().renderAudit(a);
        GoldenFilesTest.assertGolden("audit.junit.xml", xml);
        validate(xml);

        Element root = parse(xml).getDocumentElement();
        List<Element> suites = children(root, "testsuite");
        assertEquals(a.checks().size(), suites.size());
        long tests = 0, failures = 0, errors = 0, skipped = 0;
        for (int i = 0; i < suites.size(); i++) {
            AuditEntry e = a.checks().get(i);
            Element suite = suites.get(i);
            assertEquals(e.config(), suite.getAttribute("name"));
            if (e.report() == null) {
                assertCounts(suite, 1, 0, 1, 0);
                Element error = (Element) suite.getElementsByTagName("error").item(0);
                assertEquals(BROKEN, error.getAttribute("message"));
                tests += 1;
                errors += 1;
            } else {
                CheckReport r = e.report();
                assertCounts(suite, r.results().size(), r.count(Status.FAIL), r.count(Status.ERROR), r.count(Status.SKIP));
                tests += r.results().size();
                failures += r.count(Status.FAIL);
                errors += r.count(Status.ERROR);
                skipped += r.count(Status.SKIP);
            }
        }
        assertCounts(root, tests, failures, errors, skipped);
        assertEquals("broken.yaml", suites.get(0).getAttribute("name"), "worst first: the config that could not run");
    }

    @Test
    void junitTimesComeFromThePhases() throws Exception {
        CheckReport r = timed();
        String xml = new JunitRenderer().render(r);
        validate(xml);
        Element suite = children(parse(xml).getDocumentElement(), "testsuite").get(0);
        assertEquals("11.360", suite.getAttribute("time"));
        assertEquals("4.1 s", properties(suite).get("time.health"));
    }

    /**
     * Issue 15: an audit's configs shared classname "modelgate.RULE" (eleven identical rows in viewers), and a passing
     * result's name carried its layer with the extreme value, so a test changed identity between runs.
     */
    @Test
    void junitNamesAreStableAndClassesAreTheConfigs() throws Exception {
        CheckReport base = GoldenFilesTest.report();
        CheckReport a = withResults(base, List.of(
                new RuleResult("gradient-explosion", Status.PASS, Severity.ERROR, 3.0, 100.0, "fc1", "largest at fc1"),
                new RuleResult("gradient-vanishing", Status.FAIL, Severity.ERROR, 1e-7, 1e-5, "fc1", "fc1 vanishes"),
                new RuleResult("gradient-vanishing", Status.FAIL, Severity.ERROR, 1e-8, 1e-5, "fc2", "fc2 vanishes")));
        CheckReport b = withResults(base, List.of(
                new RuleResult("gradient-explosion", Status.PASS, Severity.ERROR, 4.0, 100.0, "conv2", "largest at conv2"),
                new RuleResult("gradient-vanishing", Status.FAIL, Severity.ERROR, 1e-7, 1e-5, "fc1", "fc1 vanishes"),
                new RuleResult("gradient-vanishing", Status.FAIL, Severity.ERROR, 1e-8, 1e-5, "fc2", "fc2 vanishes")));
        AuditReport audit = new AuditReport("experiments", List.of(
                AuditEntry.checked("experiments/a.yaml", "experiments/baseline.yaml", a),
                AuditEntry.checked("experiments/b.yaml", "experiments/baseline.yaml", b)), base.environment());
        String xml = new JunitRenderer().renderAudit(audit);
        validate(xml);
        List<Element> suites = children(parse(xml).getDocumentElement(), "testsuite");
        for (int i = 0; i < 2; i++) {
            List<Element> cases = children(suites.get(i), "testcase");
            String config = audit.checks().get(i).config();
            assertEquals(List.of(config, config, config), cases.stream().map(c -> c.getAttribute("classname")).toList());
            assertEquals(List.of("gradient-explosion", "gradient-vanishing fc1", "gradient-vanishing fc2"),
                    cases.stream().map(c -> c.getAttribute("name")).toList(), "the same names whichever layer had the extreme value");
            assertTrue(cases.get(0).getTextContent().contains("layer: " + (i == 0 ? "fc1" : "conv2")), "the layer is in the message");
        }
    }

    /** The old root attribute fails Jenkins' schema: the test's schema does hold the constraint it claims. */
    @Test
    void jenkinsSchemaRefusesSkippedOnTheRoot() {
        String xml = "<testsuites tests=\"1\" failures=\"0\" errors=\"0\" skipped=\"0\"><testsuite name=\"s\" tests=\"1\" failures=\"0\" "
                + "errors=\"0\"><testcase name=\"t\"/></testsuite></testsuites>";
        org.junit.jupiter.api.Assertions.assertThrows(SAXException.class,
                () -> jenkinsSchema().newValidator().validate(new StreamSource(new StringReader(xml))));
    }

    private static CheckReport withResults(CheckReport r, List<RuleResult> results) {
        return new CheckReport(r.original(), r.modified(), r.diff(), results, r.timing(), r.environment(), r.phases());
    }

    // ---------------------------------------------------------------- markdown

    @Test
    void markdownCheck() throws IOException {
        CheckReport r = GoldenFilesTest.report();
        String md = new MarkdownRenderer().render(r);
        GoldenFilesTest.assertGolden("check.md", md);
        assertEquals("**modelgate: FAIL** - 1 failed, 3 warnings, 4 passed, 6 skipped", md.lines().findFirst().orElseThrow());
        assertTablesWellFormed(md);
        assertTrue(md.contains("<details><summary>Layer diff (original -> modified)</summary>"));
        List<String> statuses = md.lines().filter(l -> l.matches("\\| (\\*\\*)?(FAIL|ERROR|WARN|PASS|SKIP)(\\*\\*)? \\|.*"))
                .map(l -> l.substring(2, l.indexOf(" |", 2)).replace("*", "")).toList();
        assertEquals(r.results().size(), statuses.size());
        assertEquals(List.of("FAIL", "WARN", "WARN", "WARN"), statuses.subList(0, 4), "failures and warnings first");
    }

    @Test
    void markdownAudit() throws IOException {
        AuditReport a = audit();
        String md = new MarkdownRenderer().renderAudit(a);
        GoldenFilesTest.assertGolden("audit.md", md);
        assertEquals("**modelgate audit: ERROR** - 2 configs in `experiments`: 1 failed, 1 error, 0 passed", md.lines().findFirst().orElseThrow());
        assertTablesWellFormed(md);
        assertEquals(a.checks().size(), md.lines().filter(l -> l.startsWith("<details>")).count());
    }

    /**
     * Issue 15: an audit's Markdown was never cut, and GitHub refuses a comment over 65,536 characters. 1,000 configs
     * (40 failing, planted at the end of the input: the audit puts them first) are cut by whole rows, failing
     * configs kept, with a note.
     */
    @Test
    void markdownAuditIsCutToFitAComment() {
        CheckReport failing = GoldenFilesTest.report();
        CheckReport passing = withResults(failing, failing.results().stream().filter(x -> x.status() != Status.FAIL).toList());
        List<AuditEntry> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            String config = String.format("experiments/config-%03d.yaml", i);
            entries.add(AuditEntry.checked(config, "experiments/baseline.yaml", i >= 960 ? failing : passing));
        }
        AuditReport a = new AuditReport("experiments", entries, failing.environment());
        String md = new MarkdownRenderer().renderAudit(a);
        assertTrue(md.length() <= MarkdownRenderer.COMMENT_LIMIT, "length " + md.length());
        assertTrue(md.startsWith("**modelgate audit: FAIL** - 1000 configs in `experiments`: 40 failed, 0 errors, 960 passed\n"), md.substring(0, 200));
        assertTablesWellFormed(md);
        List<String> rows = md.lines().filter(l -> l.startsWith("| ") && l.contains("experiments/config-")).toList();
        assertTrue(rows.size() > 40 && rows.size() < 1000, rows.size() + " rows");
        for (int i = 0; i < 40; i++) assertTrue(rows.get(i).startsWith("| **FAIL** |"), "failing configs first: " + rows.get(i));
        assertEquals(rows.size(), rows.stream().distinct().count(), "whole rows, none repeated");
        String note = md.lines().filter(l -> l.startsWith("> **Cut to fit")).findFirst().orElseThrow();
        assertTrue(note.contains("the table lists " + rows.size() + " of 1000 configs"), note);
        assertTrue(note.contains((1000 - rows.size()) + " more configs: see the full report (`--report html=PATH`"), note);
        assertTrue(md.endsWith("</sub>\n"), "the environment line stays");
        int blocks = (int) md.lines().filter(l -> l.startsWith("<details>")).count();
        assertTrue(blocks <= rows.size(), "details only for listed configs");
        assertEquals(md.lines().filter(l -> l.startsWith("<details>")).count(), md.lines().filter(l -> l.equals("</details>")).count(), "whole blocks");

        // Under the limit nothing is cut.
        String small = new MarkdownRenderer().renderAudit(new AuditReport("experiments", entries.subList(0, 3), failing.environment()));
        assertFalse(small.contains("Cut to fit"));
    }

    @Test
    void markdownShowsTimingWhenTimed() {
        String md = new MarkdownRenderer().render(timed());
        assertTablesWellFormed(md);
        // the training pairs were the health probes' own iterations, and the table says so
        assertTrue(md.contains("| training iteration | 32 | 98.1 (95.7-103) | 120 (118-124) | 1.223x | 1.19-1.25x | 8 (health 8) |  |"), md);
        assertTrue(md.contains("| inference | 1 | 2.34 (2.28-2.42) | 3.26 (3.18-3.36) | 1.386x | 1.35-1.41x | 40 | borderline"), md);
    }

    // ---------------------------------------------------------------- github

    @Test
    void githubCheck() throws IOException {
        CheckReport r = GoldenFilesTest.report();
        String out = new GithubRenderer().render(r);
        GoldenFilesTest.assertGolden("check.github.txt", out);
        List<String> lines = out.lines().toList();
        assertEquals(r.count(Status.FAIL), lines.stream().filter(l -> l.startsWith("::error ")).count());
        assertEquals(r.count(Status.WARN), lines.stream().filter(l -> l.startsWith("::warning ")).count());
        assertTrue(lines.get(lines.size() - 1).startsWith("::notice title=modelgate::verdict FAIL"));
        assertEquals(r.count(Status.FAIL) + r.count(Status.WARN) + 1, lines.size(), "nothing for PASS and SKIP");
    }

    @Test
    void githubAudit() throws IOException {
        String out = new GithubRenderer().renderAudit(audit());
        GoldenFilesTest.assertGolden("audit.github.txt", out);
        assertTrue(out.startsWith("::error file=broken.yaml,title=modelgate::broken.yaml:3:5: layers[0].untis: unknown key"));
        assertTrue(out.lines().reduce((x, y) -> y).orElseThrow().startsWith("::notice title=modelgate::verdict ERROR"));
    }

    // ---------------------------------------------------------------- hostile text

    /** Names and messages come from user files: whatever they hold must not break any format. */
    @Test
    void hostileTextIsEscapedEverywhere() throws Exception {
        CheckReport base = GoldenFilesTest.report();
        String message = "fc|1: 100% <b>bold</b> & `code` *x* [link](y)\nsecond line: a, b\r\nthird\u0001";
        List<RuleResult> results = new ArrayList<>(List.of(
                new RuleResult("dense-growth", Status.FAIL, Severity.ERROR, 4.0, 2.0, "fc|1", message),
                new RuleResult("dense-growth", Status.FAIL, Severity.ERROR, 3.0, 2.0, "fc|1", "again"),
                new RuleResult("gradient-explosion", Status.FAIL, Severity.ERROR, 500.0, 100.0, "fc2", "pre", true),
                new RuleResult("non-finite", Status.ERROR, Severity.ERROR, null, null, null, "could not measure"),
                new RuleResult("param-growth", Status.WARN, Severity.WARNING, 2.5, 2.0, null, "warn, with: colon")));
        CheckReport r = new CheckReport(base.original(), base.modified(), base.diff(),
                results, base.timing(), base.environment(), base.phases());

        // JUnit: valid, and the text reads back as written (line breaks folded in attributes, control characters replaced)
        String xml = new JunitRenderer().render(r);
        validate(xml);
        Element suite = children(parse(xml).getDocumentElement(), "testsuite").get(0);
        assertCounts(suite, 5, 3, 1, 0);
        NodeList failures = suite.getElementsByTagName("failure");
        assertEquals("fc|1: 100% <b>bold</b> & `code` *x* [link](y) second line: a, b third\uFFFD [measured 4.0, limit 2.0]",
                ((Element) failures.item(0)).getAttribute("message"));
        assertTrue(failures.item(0).getTextContent().startsWith("fc|1: 100% <b>bold</b> & `code` *x* [link](y)\nsecond line"));
        List<String> names = new ArrayList<>();
        for (Element tc : children(suite, "testcase")) names.add(tc.getAttribute("name"));
        assertEquals(List.of("dense-growth fc|1", "dense-growth fc|1 #2", "gradient-explosion", "non-finite", "param-growth"), names);
        assertTrue(((Element) failures.item(2)).getAttribute("message").endsWith("(pre-existing: the original has it too)"));

        // Markdown: every row keeps its columns, nothing becomes HTML or formatting
        String md = new MarkdownRenderer().render(r);
        assertTablesWellFormed(md);
        assertTrue(md.contains("| **FAIL** | dense-growth | 4.0 | 2.0 | fc\\|1: 100% &lt;b>bold&lt;/b> &amp; \\`code\\` \\*x\\* \\[link\\](y)<br>second line: a, b<br>third  |"), md);
        assertTrue(md.contains("| pre *(pre-existing)* |"), md);
        assertFalse(md.contains("<b>"));

        // GitHub: one line per annotation, escaped as the Actions toolkit does
        String gh = new GithubRenderer().render(r);
        List<String> lines = gh.lines().toList();
        assertEquals(6, lines.size(), gh);
        assertEquals("::error file=src/test/resources/golden/cnn-modified.yaml,title=modelgate dense-growth::"
                + "fc|1: 100%25 <b>bold</b> & `code` *x* [link](y)%0Asecond line: a, b%0D%0Athird\u0001 [measured 4.0, limit 2.0]", lines.get(0));
        assertEquals("::error file=src/test/resources/golden/cnn-modified.yaml,title=modelgate non-finite (could not be evaluated)::could not measure",
                lines.get(3));
        assertEquals("::warning file=src/test/resources/golden/cnn-modified.yaml,title=modelgate param-growth::warn, with: colon [measured 2.5, limit 2.0]",
                lines.get(4));
        assertEquals("a%3Ab%2Cc%25d%0Ae%0Df", GithubRenderer.property("a:b,c%d\ne\rf"));
        assertEquals("a:b,c%25d%0Ae%0Df", GithubRenderer.data("a:b,c%d\ne\rf"));
    }

    @Test
    void formatNames() {
        assertEquals("junit", new JunitRenderer().format());
        assertEquals("markdown", new MarkdownRenderer().format());
        assertEquals("github", new GithubRenderer().format());
    }

    // ---------------------------------------------------------------- helpers

    /** The golden report with timing and real phase durations, as a run check would have them. */
    static CheckReport timed() {
        CheckReport r = GoldenFilesTest.report();
        TimingReport t = new TimingReport(
                new TimingReport.Measurement("training iteration", 32, new TimingReport.Summary(98.07, 95.7, 103.2, 326),
                        new TimingReport.Summary(120.0, 118.1, 124.3, 267), 1.223, 1.19, 1.25, 8, 2, false, null, 8), // the health probes' 8 pairs
                new TimingReport.Measurement("inference", 1, new TimingReport.Summary(2.338, 2.28, 2.42, 428),
                        new TimingReport.Summary(3.256, 3.18, 3.36, 307), 1.386, 1.35, 1.41, 40, 219, true),
                "1");
        Map<String, Long> phases = new LinkedHashMap<>();
        phases.put("loading", 33L);
        phases.put("health", 4100L);
        phases.put("timing", 7200L);
        phases.put("rules", 27L);
        return new CheckReport(r.original(), r.modified(), r.diff(), r.results(), t, r.environment(), phases);
    }

    private static Schema schema() throws SAXException {
        SchemaFactory f = SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI);
        return f.newSchema(Path.of("src/test/resources/junit/junit.xsd").toFile());
    }

    /** Valid against both the Ant/Surefire format (junit.xsd) and Jenkins' junit-10.xsd (jenkins-junit-10.xsd). */
    static void validate(String xml) throws SAXException, IOException {
        schema().newValidator().validate(new StreamSource(new StringReader(xml)));
        jenkinsSchema().newValidator().validate(new StreamSource(new StringReader(xml)));
    }

    private static Schema jenkinsSchema() throws SAXException {
        return SchemaFactory.newInstance(XMLConstants.W3C_XML_SCHEMA_NS_URI).newSchema(Path.of("src/test/resources/junit/jenkins-junit-10.xsd").toFile());
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new InputSource(new StringReader(xml)));
    }

    private static List<Element> children(Element parent, String tag) {
        List<Element> out = new ArrayList<>();
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(tag)) out.add(e);
        }
        return out;
    }

    private static Map<String, String> properties(Element suite) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Element props : children(suite, "properties"))
            for (Element p : children(props, "property")) out.put(p.getAttribute("name"), p.getAttribute("value"));
        return out;
    }

    /** The attributes state the counts, and for a suite they agree with its test cases. */
    private static void assertCounts(Element e, long tests, long failures, long errors, long skipped) {
        assertEquals(Long.toString(tests), e.getAttribute("tests"), "tests of " + e.getAttribute("name"));
        assertEquals(Long.toString(failures), e.getAttribute("failures"), "failures of " + e.getAttribute("name"));
        assertEquals(Long.toString(errors), e.getAttribute("errors"), "errors of " + e.getAttribute("name"));
        if (e.getTagName().equals("testsuite")) {
            assertEquals(Long.toString(skipped), e.getAttribute("skipped"), "skipped of " + e.getAttribute("name"));
            List<Element> cases = children(e, "testcase");
            assertEquals(tests, cases.size());
            assertEquals(failures, cases.stream().filter(c -> !children(c, "failure").isEmpty()).count());
            assertEquals(errors, cases.stream().filter(c -> !children(c, "error").isEmpty()).count());
            assertEquals(skipped, cases.stream().filter(c -> !children(c, "skipped").isEmpty()).count());
        }
    }

    /** Every table row has as many cells as its header: no cell text split a row. */
    private static void assertTablesWellFormed(String md) {
        int columns = -1;
        for (String line : md.lines().toList()) {
            if (!line.startsWith("|")) {
                columns = -1;
                continue;
            }
            int pipes = 0;
            for (int i = 0; i < line.length(); i++) {
                char c = line.charAt(i);
                if (c == '\\') i++;
                else if (c == '|') pipes++;
            }
            if (columns < 0) columns = pipes;
            assertEquals(columns, pipes, "cells in: " + line);
        }
    }
}
