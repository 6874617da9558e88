package dev.modelgate.render;

import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;

import javax.xml.stream.XMLOutputFactory;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * JUnit XML in the Apache Ant / Jenkins format that CI systems show natively: one test case per rule result.
 * FAIL is a {@code <failure>}, ERROR an {@code <error>}, SKIP {@code <skipped>}; PASS and WARN pass (warnings do not
 * fail a pipeline) and carry their message in {@code <system-out>}. An audit is one test suite per config.
 *
 * <p>Times come from the report's phases (the suite's time is the check's total); a single rule has no time of its
 * own, so test cases say 0. Nothing here reads the clock.
 */
public final class JunitRenderer implements Renderer {
    private static final XMLOutputFactory FACTORY = XMLOutputFactory.newFactory();

    @Override public String format() { return "junit"; }

    @Override
    public String render(CheckReport r) {
        return document(w -> {
            w.start("testsuites");
            w.attribute("name", "modelgate check");
            counts(w, r.results().size(), r.count(Status.FAIL), r.count(Status.ERROR), r.count(Status.SKIP));
            w.attribute("time", seconds(totalMs(r)));
            suite(w, "modelgate: " + r.original().source() + " -> " + r.modified().source(), r, null, null);
            w.end();
        });
    }

    @Override
    public String renderAudit(AuditReport a) {
        long tests = 0, failures = 0, errors = 0, skipped = 0, ms = 0;
        for (AuditEntry e : a.checks()) {
            if (e.report() == null) {
                tests++;
                errors++;
                continue;
            }
            CheckReport r = e.report();
            tests += r.results().size();
            failures += r.count(Status.FAIL);
            errors += r.count(Status.ERROR);
            skipped += r.count(Status.SKIP);
            ms += totalMs(r);
        }
        long t = tests, f = failures, er = errors, s = skipped, time = ms;
        return document(w -> {
            w.start("testsuites");
            w.attribute("name", "modelgate audit: " + a.folder());
            counts(w, t, f, er, s);
            w.attribute("time", seconds(time));
            for (AuditEntry e : a.checks()) {
                if (e.report() != null) suite(w, e.config(), e.report(), e.config(), e.baseline());
                else errorSuite(w, e, a.environment());
            }
            w.end();
        });
    }

    private static void suite(Xml w, String name, CheckReport r, String config, String baseline) throws XMLStreamException {
        w.start("testsuite");
        w.attribute("name", name);
        counts(w, r.results().size(), r.count(Status.FAIL), r.count(Status.ERROR), r.count(Status.SKIP));
        w.attribute("time", seconds(totalMs(r)));

        w.start("properties");
        if (config != null) property(w, "config", config);
        if (config != null || baseline != null) property(w, "baseline", baseline == null ? "-" : baseline);
        property(w, "verdict", r.verdict().name());
        property(w, "mode", r.mode());
        property(w, "original", r.original().source());
        property(w, "modified", r.modified().source());
        for (int i = 0; i < r.original().notes().size(); i++) property(w, "original.note" + (i + 1), r.original().notes().get(i));
        for (int i = 0; i < r.modified().notes().size(); i++) property(w, "modified.note" + (i + 1), r.modified().notes().get(i));
        environment(w, r.environment());
        r.phases().forEach((phase, ms) -> property(w, "time." + phase, Numbers.seconds(ms)));
        w.end();

        Map<String, Integer> seen = new HashMap<>();
        for (RuleResult x : r.results()) {
            String caseName = x.rule() + (x.layer() == null ? "" : " " + x.layer());
            int n = seen.merge(caseName, 1, Integer::sum);
            if (n > 1) caseName += " #" + n; // CI tools merge test cases of equal name
            w.start("testcase");
            w.attribute("classname", "modelgate." + x.rule());
            w.attribute("name", caseName);
            w.attribute("time", "0");
            switch (x.status()) {
                case FAIL -> w.element("failure", Map.of("message", headline(x), "type", x.rule()), body(x, r));
                case ERROR -> w.element("error", Map.of("message", headline(x), "type", x.rule()), body(x, r));
                case SKIP -> w.element("skipped", Map.of("message", x.message()), null);
                case WARN -> w.element("system-out", Map.of(), "WARN (severity " + x.severity().id() + ", does not fail the check): " + body(x, r));
                case PASS -> w.element("system-out", Map.of(), "PASS: " + body(x, r));
            }
            w.end();
        }
        w.end();
    }

    /** A config whose check could not run: one test case in error, with the reason. */
    private static void errorSuite(Xml w, AuditEntry e, Environment env) throws XMLStreamException {
        w.start("testsuite");
        w.attribute("name", e.config());
        counts(w, 1, 0, 1, 0);
        w.attribute("time", "0");
        w.start("properties");
        property(w, "config", e.config());
        property(w, "baseline", e.baseline() == null ? "-" : e.baseline());
        property(w, "verdict", e.verdict().name());
        environment(w, env);
        w.end();
        w.start("testcase");
        w.attribute("classname", "modelgate.check");
        w.attribute("name", "check");
        w.attribute("time", "0");
        String error = e.error() == null ? "the check could not run" : e.error();
        w.element("error", Map.of("message", error, "type", "check"),
                "the check of " + e.config() + " could not run: " + error + "\nbaseline: " + (e.baseline() == null ? "none found" : e.baseline()));
        w.end();
        w.end();
    }

    private static void environment(Xml w, Environment env) {
        property(w, "backend", env.backend());
        if (env.device() != null) property(w, "device", env.device());
        property(w, "threads", env.threads());
        property(w, "java", env.java());
        property(w, "modelgate", env.modelgate());
        if (!env.libraries().isEmpty()) property(w, "libraries", env.librariesText());
    }

    private static void property(Xml w, String name, String value) {
        try {
            w.element("property", Map.of("name", name, "value", value == null ? "" : value), null);
        } catch (XMLStreamException ex) {
            throw new IllegalStateException("cannot write JUnit XML", ex);
        }
    }

    private static void counts(Xml w, long tests, long failures, long errors, long skipped) throws XMLStreamException {
        w.attribute("tests", Long.toString(tests));
        w.attribute("failures", Long.toString(failures));
        w.attribute("errors", Long.toString(errors));
        w.attribute("skipped", Long.toString(skipped));
    }

    /** The one line a CI tool shows first: the message, then measured value and limit. */
    private static String headline(RuleResult x) {
        String evidence = x.measured() == null && x.threshold() == null ? ""
                : " [measured " + Numbers.value(x.measured()) + ", limit " + Numbers.value(x.threshold()) + "]";
        return x.message() + evidence + (x.preExisting() ? " (pre-existing: the original has it too)" : "");
    }

    private static String body(RuleResult x, CheckReport r) {
        StringBuilder sb = new StringBuilder(headline(x)).append('\n');
        sb.append("rule: ").append(x.rule()).append(" (severity ").append(x.severity().id()).append(")\n");
        if (x.layer() != null) sb.append("layer: ").append(x.layer()).append('\n');
        sb.append("measured: ").append(Numbers.value(x.measured())).append('\n');
        sb.append("limit: ").append(Numbers.value(x.threshold())).append('\n');
        sb.append("original: ").append(r.original().source()).append('\n');
        sb.append("modified: ").append(r.modified().source()).append('\n');
        return sb.toString();
    }

    private static long totalMs(CheckReport r) {
        return r.phases().values().stream().mapToLong(Long::longValue).sum();
    }

    private static String seconds(long ms) {
        return ms == 0 ? "0" : String.format(Locale.ROOT, "%.3f", ms / 1000.0);
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
