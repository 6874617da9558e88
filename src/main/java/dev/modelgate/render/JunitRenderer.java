package dev.modelgate.render;


import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * JUnit XML in the Apache Ant / Jenkins format that CI systems show natively: one test case per rule result.
 * FAIL is a {@code <failure>}, ERROR an {@code <error>}, SKIP {@code <skipped>}; PASS and WARN pass (warnings do not
 * fail a pipeline) and carry their message in {@code <system-out>}. An audit is one test suite per config.
 *
 * <p>A test case's class is the config (the modified model's file), so an audit's configs are distinct rows in test
 * viewers; its name is {@link CheckView.RuleRow#testName()}, the rule id (plus the layer where the rule gave one
 * result per layer), so a test keeps its identity between runs; the layer is in the message. Valid against Jenkins'
 * junit-10.xsd and the Ant/Surefire format (see the tests' schemas).
 *
 * <p>Times come from the report's phases (the suite's time is the check's total); a single rule has no time of its
 * own, so test cases say 0. Nothing here reads the clock.
 */
public final class JunitRenderer extends ViewRenderer {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    @Override public String format() { return "junit"; }

    @Override
    String render(CheckView r) {
        return document(w -> {
            w.start("testsuites");
            w.attribute("name", "modelgate check");
            counts(w, r.allCounts().total(), r.allCounts().failed(), r.allCounts().errors());
            w.attribute("time", r.allSeconds());
            suite(w, "modelgate: " + r.title(), r, null);
            for (CheckView.ComparisonView c : r.comparisons()) comparisonSuite(w, r, c);
            w.end();
        });
    }

    @Override
    String render(AuditView a) {
        return document(w -> {
            w.start("testsuites");
            w.attribute("name", "modelgate audit: " + a.folder());
            counts(w, a.tests(), a.testFailures(), a.testErrors());
            w.attribute("time", a.totalSeconds());
            for (AuditView.Entry e : a.entries()) {
                if (e.report() != null) suite(w, e.config(), e.report(), e);
                else errorSuite(w, e, a.environment());
            }
            w.end();
        });
    }

    /** One check as a test suite; {@code entry} is its audit entry, or null for a single check. */
    private static void suite(Xml w, String name, CheckView r, AuditView.Entry entry) throws XMLStreamException {
        w.start("testsuite");
        w.attribute("name", name);
        counts(w, r.counts().total(), r.counts().failed(), r.counts().errors());
        w.attribute("skipped", Long.toString(r.counts().skipped()));
        w.attribute("time", r.totalSeconds());

        w.start("properties");
        if (entry != null) {
            property(w, "config", entry.config());
            property(w, "baseline", entry.baseline());
        }
        property(w, "verdict", r.verdict().name());
        property(w, "mode", r.mode());
        property(w, "original", r.original().source());
        property(w, "modified", r.modified().source());
        for (int i = 0; i < r.original().notes().size(); i++) property(w, "original.note" + (i + 1), r.original().notes().get(i));
        for (int i = 0; i < r.modified().notes().size(); i++) property(w, "modified.note" + (i + 1), r.modified().notes().get(i));
        environment(w, r.environment());
        for (CheckView.Phase p : r.phases()) property(w, "time." + p.name(), p.duration());
        w.end();

        // The class is the config, so the configs of an audit are distinct rows in test viewers.
        testCases(w, entry != null ? entry.config() : r.modified().source(), r.results(), r.original().source(), r.modified().source());
        w.end();
    }

    /**
     * A further comparison of a check as a test suite of its own: its class is the config with the comparison
     * ("models/x.yaml against accepted"), stable between runs, so its rows stand apart from the primary comparison's.
     */
    private static void comparisonSuite(Xml w, CheckView r, CheckView.ComparisonView c) throws XMLStreamException {
        w.start("testsuite");
        w.attribute("name", "modelgate: " + c.source() + " -> " + r.modified().source() + " (" + c.id() + ")");
        counts(w, c.counts().total(), c.counts().failed(), c.counts().errors());
        w.attribute("skipped", Long.toString(c.counts().skipped()));
        w.attribute("time", c.totalSeconds());
        w.start("properties");
        property(w, "against", c.against());
        property(w, "verdict", c.verdict().name());
        property(w, "original", c.source());
        property(w, "modified", r.modified().source());
        for (CheckView.Phase p : c.phases()) property(w, "time." + p.name(), p.duration());
        w.end();
        testCases(w, r.modified().source() + " " + c.id(), c.results(), c.source(), r.modified().source());
        w.end();
    }

    private static void testCases(Xml w, String classname, List<CheckView.RuleRow> rows, String original, String modified) throws XMLStreamException {
        Map<String, Integer> seen = new HashMap<>();
        for (CheckView.RuleRow x : rows) {
            String caseName = x.testName();
            int n = seen.merge(caseName, 1, Integer::sum);
            if (n > 1) caseName += " #" + n; // CI tools merge test cases of equal name
            w.start("testcase");
            w.attribute("classname", classname);
            w.attribute("name", caseName);
            w.attribute("time", "0");
            switch (x.status()) {
                case FAIL -> w.element("failure", Map.of("message", x.headline(), "type", x.rule()), body(x, original, modified));
                case ERROR -> w.element("error", Map.of("message", x.headline(), "type", x.rule()), body(x, original, modified));
                case SKIP -> w.element("skipped", Map.of("message", x.message()), null);
                case WARN -> w.element("system-out", Map.of(), "WARN (severity " + x.severity() + ", does not fail the check): " + body(x, original, modified));
                case PASS -> w.element("system-out", Map.of(), "PASS: " + body(x, original, modified));
            }
            w.end();
        }
    }

    /** A config whose check could not run: one test case in error, with the reason. */
    private static void errorSuite(Xml w, AuditView.Entry e, CheckView.EnvironmentView env) throws XMLStreamException {
        w.start("testsuite");
        w.attribute("name", e.config());
        counts(w, 1, 0, 1);
        w.attribute("skipped", "0");
        w.attribute("time", "0");
        w.start("properties");
        property(w, "config", e.config());
        property(w, "baseline", e.baseline());
        property(w, "verdict", e.verdict().name());
        environment(w, env);
        w.end();
        w.start("testcase");
        w.attribute("classname", e.config());
        w.attribute("name", "check");
        w.attribute("time", "0");
        w.element("error", Map.of("message", e.error(), "type", "check"),
                "the check of " + e.config() + " could not run: " + e.error() + "\nbaseline: " + (e.baselineFound() ? e.baseline() : "none found"));
        w.end();
        w.end();
    }

    private static void environment(Xml w, CheckView.EnvironmentView env) {
        property(w, "backend", env.backend());
        if (env.device() != null) property(w, "device", env.device());
        property(w, "threads", env.threads());
        property(w, "java", env.java());
        property(w, "modelgate", env.modelgate());
        if (env.libraries() != null) property(w, "libraries", env.libraries());
    }

    private static void property(Xml w, String name, String value) {
        try {
            w.element("property", Map.of("name", name, "value", value == null ? "" : value), null);
        } catch (XMLStreamException ex) {
            throw new IllegalStateException("cannot write JUnit XML", ex);
        }
    }

    /**
     * The counts every reader takes. {@code skipped} is written on test suites only: Jenkins' junit-10.xsd has no
     * {@code skipped} on {@code <testsuites>}, and readers add up the suites' anyway.
     */
    private static void counts(Xml w, long tests, long failures, long errors) throws XMLStreamException {
        w.attribute("tests", Long.toString(tests));
        w.attribute("failures", Long.toString(failures));
        w.attribute("errors", Long.toString(errors));
    }

    private static String body(CheckView.RuleRow x, String original, String modified) {
        StringBuilder sb = new StringBuilder(x.headline()).append('\n');
        sb.append("rule: ").append(x.rule()).append(" (severity ").append(x.severity()).append(")\n");
        if (x.layer() != null) sb.append("layer: ").append(x.layer()).append('\n');
        sb.append("measured: ").append(x.measured()).append('\n');
        sb.append("limit: ").append(x.limit()).append('\n');
        sb.append("original: ").append(original).append('\n');
        sb.append("modified: ").append(modified).append('\n');
        return sb.toString();
    }

    private interface Body {
        void write(Xml w) throws XMLStreamException;
    }

    private static String document(Body body) {
        StringWriter out = new StringWriter();
        try {
            XMLStreamWriter x = FACTORY.createXMLStreamWriter(out);
            x.writeStartDocument("UTF-8", "1.0");
            Xml w = new Xml(x);
            body.write(w);
            x.writeCharacters("\n");
            x.writeEndDocument();
            x.close();
        } catch (XMLStreamException e) {
            throw new IllegalStateException("cannot write JUnit XML", e);
        }
        return out.toString();
    }

    /**
     * An indenting layer over {@link XMLStreamWriter}: elements on their own lines, two spaces per level; text is
     * written as is. Characters XML 1.0 cannot hold (most control characters) become U+FFFD, line breaks in attribute
     * values become spaces (a parser would fold them anyway).
     */
    private static final class Xml {
        private final XMLStreamWriter x;
        private final List<Boolean> hasChildren = new ArrayList<>();

        Xml(XMLStreamWriter x) {
            this.x = x;
        }

        void start(String name) throws XMLStreamException {
            if (!hasChildren.isEmpty()) hasChildren.set(hasChildren.size() - 1, true);
            x.writeCharacters("\n" + "  ".repeat(hasChildren.size()));
            x.writeStartElement(name);
            hasChildren.add(false);
        }

        void attribute(String name, String value) throws XMLStreamException {
            x.writeAttribute(name, clean(value).replace("\r\n", " ").replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
        }

        void end() throws XMLStreamException {
            boolean children = hasChildren.remove(hasChildren.size() - 1);
            if (children) x.writeCharacters("\n" + "  ".repeat(hasChildren.size()));
            x.writeEndElement();
        }

        /** One element with its attributes (in a fixed order) and text, or empty when the text is null. */
        void element(String name, Map<String, String> attributes, String text) throws XMLStreamException {
            if (text == null) {
                if (!hasChildren.isEmpty()) hasChildren.set(hasChildren.size() - 1, true);
                x.writeCharacters("\n" + "  ".repeat(hasChildren.size()));
                x.writeEmptyElement(name);
                for (String key : order(attributes.keySet())) attribute(key, attributes.get(key));
                return;
            }
            start(name);
            for (String key : order(attributes.keySet())) attribute(key, attributes.get(key));
            x.writeCharacters(clean(text));
            end();
        }

        private static List<String> order(java.util.Set<String> keys) {
            List<String> preferred = List.of("name", "value", "message", "type");
            List<String> l = new ArrayList<>(keys);
            l.sort(java.util.Comparator.comparingInt((String k) -> preferred.indexOf(k) < 0 ? preferred.size() : preferred.indexOf(k))
                    .thenComparing(k -> k));
            return l;
        }

        private static String clean(String s) {
            if (s == null) return "";
            StringBuilder sb = new StringBuilder(s.length());
            s.codePoints().forEach(c -> {
                boolean ok = c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                        || (c >= 0x10000 && c <= 0x10FFFF);
                sb.appendCodePoint(ok ? c : 0xFFFD);
            });
            return sb.toString();
        }
    }
}
