package dev.modelgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * One self-contained HTML page: the verdict, the rules table, the layer diff, and charts of what was measured
 * (activation ranges, gradient norms, timing, loss, parameters and MACs per layer). Nothing is fetched when the page
 * is opened: the CSS, Chart.js and the chart data are inlined, and a Content-Security-Policy forbids any request.
 *
 * <p>Markup comes from Mustache templates under {@code src/main/resources/dev/modelgate/render/}, which HTML-escape
 * every value. The chart data is one JSON document serialized by Jackson with {@code <}, {@code >} and {@code &}
 * written as {@code \\u003c} etc., so no string in the report (a layer name, a message) can close its script element.
 * Like every renderer it lays out a {@link CheckView} / {@link AuditView}; it computes nothing.
 */
public final class HtmlRenderer extends ViewRenderer {
    private static final String ROOT = "dev/modelgate/render";
    private static final ObjectWriter JSON = new ObjectMapper().writer().with(new ScriptSafeEscapes());

    @Override public String format() { return "html"; }

    @Override
    String render(CheckView r) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("verdict", r.verdict().name());
        page.put("verdictClass", cssClass(r.verdict().name()));
        page.put("counts", r.counts().text());
        page.put("mode", r.modeLabel());
        page.put("title", r.title());
        page.put("models", scope(r.models()));
        page.put("rules", rules(r));
        page.put("comparisons", comparisons(r));
        // Sections with data, or the note saying why there is none.
        page.put("timing", scope(r.timing()));
        page.put("timingNote", r.timingNote());
        page.put("health", scope(r.health()));
        page.put("healthNote", r.healthNote());
        page.put("diff", r.layers().stream().map(l -> with(scope(l), "kindClass", l.kind().label())).toList());
        page.put("totals", Map.of("params", r.totalParams(), "macs", r.totalMacs()));
        page.put("layerMemory", r.layerMemory());
        page.put("environment", scope(r.environment()));
        page.put("phases", r.phasesText());
        page.put("chartJs", Library.CHART_JS);
        page.put("chartJsVersion", Library.VERSION);
        page.put("chartCode", Library.REPORT_JS);
        page.put("data", json(r.charts()));
        return execute(Templates.CHECK, page);
    }

    @Override
    String render(AuditView a) {
        Map<String, Object> page = scope(a);
        page.put("verdict", a.verdict().name());
        page.put("verdictClass", cssClass(a.verdict().name()));
        page.put("entries", a.entries().stream().map(e -> {
            Map<String, Object> x = scope(e);
            x.put("verdictClass", cssClass(e.verdict().name()));
            CheckView r = e.report();
            x.put("report", r == null ? null : Map.of("counts", r.counts().text(), "mode", r.modeLabel(), "models", scope(r.models()), "rules", rules(r)));
            return x;
        }).toList());
        page.put("chartJs", Library.CHART_JS);
        page.put("chartJsVersion", Library.VERSION);
        page.put("chartCode", Library.REPORT_JS);
        page.put("data", json(java.util.Map.of("audit", a.charts())));
        return execute(Templates.AUDIT, page);
    }

    private static List<Map<String, Object>> rules(CheckView r) {
        return rules(r.rules());
    }

    private static List<Map<String, Object>> rules(List<CheckView.RuleRow> rows) {
        return rows.stream().map(x -> with(scope(x), "statusClass", cssClass(x.statusName()))).toList();
    }

    /** The ratios side by side and each further comparison's failures and warnings; null without further comparisons. */
    private static Map<String, Object> comparisons(CheckView r) {
        if (r.ratios() == null) return null;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("primaryHeadline", r.primaryHeadline());
        m.put("baselines", r.ratios().baselines());
        m.put("rows", r.ratios().rows().stream().map(row -> {
            List<Map<String, Object>> cells = new java.util.ArrayList<>();
            for (int i = 0; i < row.cells().size(); i++) {
                var s = row.statuses().get(i);
                cells.add(Map.of("text", row.cells().get(i), "statusClass", s == null ? "" : cssClass(s.name())));
            }
            return Map.of("rule", row.rule(), "cells", cells);
        }).toList());
        m.put("list", r.comparisons().stream().map(c -> {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", c.id());
            x.put("source", c.source());
            x.put("verdict", c.verdict().name());
            x.put("verdictClass", cssClass(c.verdict().name()));
            x.put("counts", c.counts().text());
            x.put("headline", c.headline());
            x.put("rules", rules(c.notPassing()));
            x.put("hasRules", !c.notPassing().isEmpty());
            return x;
        }).toList());
        return m;
    }

    /**
     * A view record as a template scope: its components by name, nested records and lists of them likewise, enums by
     * name. Mustache reads maps; the view stays plain records.
     */
    @SuppressWarnings("unchecked")
    static <T> T scope(Object o) {
        if (o instanceof Record r) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (RecordComponent c : r.getClass().getRecordComponents()) {
                try {
                    m.put(c.getName(), scope(c.getAccessor().invoke(r)));
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException("cannot read " + c, e);
                }
            }
            return (T) m;
        }
        if (o instanceof List<?> l) return (T) l.stream().map(HtmlRenderer::scope).toList();
        if (o instanceof Enum<?> e) return (T) e.name();
        return (T) o;
    }

    private static Map<String, Object> with(Map<String, Object> scope, String key, Object value) {
        scope.put(key, value);
        return scope;
    }

    private static String cssClass(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    private static String json(Object charts) {
        try {
            return JSON.writeValueAsString(charts);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the chart data", e);
        }
    }

    /**
     * JSON inside a script element: {@code <}, {@code >} and {@code &} as unicode escapes, so neither {@code </script>}
     * nor {@code <!--} can appear; U+2028/U+2029 too, for older script parsers.
     */
    static final class ScriptSafeEscapes extends CharacterEscapes {
        private final int[] escapes;

        ScriptSafeEscapes() {
            escapes = standardAsciiEscapesForJSON();
            escapes['<'] = ESCAPE_STANDARD;
            escapes['>'] = ESCAPE_STANDARD;
            escapes['&'] = ESCAPE_STANDARD;
        }

        @Override public int[] getEscapeCodesForAscii() { return escapes; }

        @Override
        public SerializableString getEscapeSequence(int ch) {
            if (ch == 0x2028 || ch == 0x2029) {
                return new com.fasterxml.jackson.core.io.SerializedString(String.format(Locale.ROOT, "\\u%04x", ch));
            }
            return null;
        }
    }

    // ---- templates and inlined scripts ---------------------------------------------------------------------------

    private static String execute(Mustache template, Object scope) {
        StringWriter out = new StringWriter();
        template.execute(out, scope);
        return out.toString();
    }

    /** Compiled once; Mustache.java's compiled templates are safe to share between threads. */
    private static final class Templates {
        static final DefaultMustacheFactory FACTORY = new DefaultMustacheFactory(ROOT);
        static final Mustache CHECK = FACTORY.compile("check.mustache");
        static final Mustache AUDIT = FACTORY.compile("audit.mustache");
    }

    /** Chart.js from its webjar (the version the build resolved) and the report's own chart code, read once. */
    static final class Library {
        static final String VERSION;
        static final String CHART_JS;
        static final String REPORT_JS;

        static {
            Properties p = new Properties();
            try (InputStream in = open("META-INF/maven/org.webjars.npm/chart.js/pom.properties")) {
                p.load(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            VERSION = p.getProperty("version");
            CHART_JS = inlineable(read("META-INF/resources/webjars/chart.js/" + VERSION + "/dist/chart.umd.min.js"));
            REPORT_JS = inlineable(read(ROOT + "/report.js"));
        }

        private static InputStream open(String resource) {
            InputStream in = HtmlRenderer.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) throw new IllegalStateException("the HTML report needs " + resource + " on the class path (the chart.js webjar)");
            return in;
        }

        private static String read(String resource) {
            try (InputStream in = open(resource)) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        /**
         * Script text that can sit in a script element: no source-map comment (the page must not ask for anything),
         * and no sequence that would end the element early.
         */
        static String inlineable(String js) {
            String s = js.replaceAll("(?m)^//# sourceMappingURL=.*$", "");
            String lower = s.toLowerCase(Locale.ROOT);
            if (lower.contains("</script") || lower.contains("<!--")) {
                throw new IllegalStateException("script cannot be inlined: it contains </script or <!--");
            }
            return s;
        }
    }
}
