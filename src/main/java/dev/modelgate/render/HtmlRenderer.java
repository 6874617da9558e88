package dev.modelgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.CharacterEscapes;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.mustachejava.DefaultMustacheFactory;
import com.github.mustachejava.Mustache;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
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
public final class HtmlRenderer implements Renderer {
    private static final String ROOT = "dev/modelgate/render";
    private static final ObjectWriter JSON = new ObjectMapper().writer().with(new ScriptSafeEscapes());

    @Override public String format() { return "html"; }

    @Override
    public String render(CheckReport report) {
        CheckView r = CheckView.of(report);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("verdict", r.verdict().name());
        page.put("verdictClass", cssClass(r.verdict().name()));
        page.put("counts", r.counts().text());
        page.put("mode", r.modeLabel());
        page.put("title", r.title());
        page.put("models", models(r));
        page.put("rules", rules(r));

        // Sections with data, or the note saying why there is none.
        page.put("timing", r.timing() != null ? timing(r.timing()) : null);
        page.put("timingNote", r.timingNote());
        page.put("health", r.health() != null ? health(r.health()) : null);
        page.put("healthNote", r.healthNote());

        page.put("diff", diff(r));
        page.put("totals", Map.of("params", r.totalParams(), "macs", r.totalMacs()));
        page.put("environment", environment(r.environment()));
        page.put("phases", r.phasesText());

        page.put("chartJs", Library.CHART_JS);
        page.put("chartJsVersion", Library.VERSION);
        page.put("chartCode", Library.REPORT_JS);
        page.put("data", json(chartData(r.charts())));
        return execute(Templates.CHECK, page);
    }

    @Override
    public String renderAudit(AuditReport report) {
        AuditView a = AuditView.of(report);
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("verdict", a.verdict().name());
        page.put("verdictClass", cssClass(a.verdict().name()));
        page.put("folder", a.folder());
        page.put("configs", a.configs());
        page.put("failed", a.failed());
        page.put("errors", a.errors());
        page.put("passed", a.passed());
        List<Map<String, Object>> entries = new ArrayList<>();
        for (AuditView.Entry e : a.entries()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", e.id());
            x.put("verdict", e.verdict().name());
            x.put("verdictClass", cssClass(e.verdict().name()));
            x.put("config", e.config());
            x.put("baseline", e.baseline());
            x.put("open", e.open());
            x.put("failedRules", e.failedRules());
            x.put("warnedRules", e.warnedRules());
            x.put("detail", e.detail());
            x.put("error", e.error());
            CheckView r = e.report();
            x.put("report", r == null ? null : Map.of("counts", r.counts().text(), "mode", r.modeLabel(), "models", models(r), "rules", rules(r)));
            entries.add(x);
        }
        page.put("entries", entries);
        page.put("environment", environment(a.environment()));
        return execute(Templates.AUDIT, page);
    }

    // ---- the view as template scopes ------------------------------------------------------------------------------

    private static List<Map<String, Object>> rules(CheckView r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckView.RuleRow x : r.rules()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("status", x.statusName());
            row.put("statusClass", cssClass(x.statusName()));
            row.put("rule", x.rule());
            row.put("severity", x.severity());
            row.put("measured", x.measured());
            row.put("limit", x.limit());
            row.put("message", x.message());
            row.put("preExisting", x.preExisting());
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, Object>> diff(CheckView r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckView.LayerRow l : r.layers()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kindClass", l.kind().label());
            row.put("change", l.change());
            row.put("layer", l.layer());
            row.put("type", l.type());
            row.put("output", l.output());
            row.put("params", l.params());
            row.put("macs", l.macs());
            row.put("details", l.details());
            rows.add(row);
        }
        return rows;
    }

    private static List<Map<String, Object>> models(CheckView r) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (CheckView.ModelLine m : r.models()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("role", m.role());
            x.put("source", m.source());
            x.put("name", m.name());
            x.put("format", m.format());
            x.put("input", m.input());
            x.put("params", m.params());
            x.put("macs", m.macs());
            x.put("notes", m.notes());
            out.add(x);
        }
        return out;
    }

    private static Map<String, Object> timing(CheckView.TimingView t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckView.TimingRow m : t.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("chartId", m.chartId());
            row.put("operation", m.operation());
            row.put("batch", m.batch());
            row.put("original", m.original());
            row.put("modified", m.modified());
            row.put("ratio", m.ratio());
            row.put("ci", m.ci());
            row.put("pairs", m.pairs());
            row.put("warmup", m.warmup());
            row.put("borderline", m.borderline());
            rows.add(row);
        }
        return Map.of("threads", t.threads(), "rows", rows);
    }

    private static Map<String, Object> health(CheckView.HealthView h) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (CheckView.HealthRow x : h.rows()) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", x.layer());
            row.put("initial", x.initial());
            row.put("trained", x.trained());
            row.put("zeros", x.zeros());
            row.put("peak", x.peak());
            row.put("median", x.median());
            rows.add(row);
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("iterations", h.iterations());
        x.put("batch", h.batch());
        x.put("lossOriginal", h.lossOriginal());
        x.put("lossModified", h.lossModified());
        x.put("gradientNote", h.gradientNote());
        x.put("rows", rows);
        return x;
    }

    private static Map<String, Object> environment(CheckView.EnvironmentView e) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("backend", e.backend());
        x.put("device", e.device());
        x.put("threads", e.threads());
        x.put("java", e.java());
        x.put("os", e.os());
        x.put("modelgate", e.modelgate());
        x.put("libraries", e.libraries());
        return x;
    }

    private static String cssClass(String name) {
        return name.toLowerCase(Locale.ROOT);
    }

    // ---- chart data: the view's numbers as JSON -------------------------------------------------------------------

    private static ObjectNode chartData(CheckView.Charts charts) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();

        CheckView.Charts.Structure s = charts.structure();
        ObjectNode structure = root.putObject("structure");
        strings(structure.putArray("labels"), s.labels());
        strings(structure.putArray("kinds"), s.kinds());
        ObjectNode params = structure.putObject("params"), macs = structure.putObject("macs");
        numbers(params.putArray("original"), s.paramsOriginal());
        numbers(params.putArray("modified"), s.paramsModified());
        numbers(macs.putArray("original"), s.macsOriginal());
        numbers(macs.putArray("modified"), s.macsModified());

        if (charts.activations() != null) {
            CheckView.Charts.Activations a = charts.activations();
            ObjectNode act = root.putObject("activations");
            strings(act.putArray("labels"), a.labels());
            ranges(act.putArray("originalInitial"), a.originalInitial());
            ranges(act.putArray("originalTrained"), a.originalTrained());
            ranges(act.putArray("modifiedInitial"), a.modifiedInitial());
            ranges(act.putArray("modifiedTrained"), a.modifiedTrained());
        }
        if (charts.gradients() != null) {
            CheckView.Charts.Gradients g = charts.gradients();
            ObjectNode grad = root.putObject("gradients");
            strings(grad.putArray("labels"), g.labels());
            numbers(grad.putArray("peakOriginal"), g.peakOriginal());
            numbers(grad.putArray("peakModified"), g.peakModified());
            numbers(grad.putArray("medianOriginal"), g.medianOriginal());
            numbers(grad.putArray("medianModified"), g.medianModified());
            ArrayNode limits = grad.putArray("limits");
            for (CheckView.Charts.Limit l : g.limits()) limits.addObject().put("label", l.label()).put("value", l.value());
        }
        if (charts.loss() != null) {
            ObjectNode loss = root.putObject("loss");
            numbers(loss.putArray("original"), charts.loss().get(0));
            numbers(loss.putArray("modified"), charts.loss().get(1));
        }
        if (!charts.timing().isEmpty()) {
            ArrayNode timing = root.putArray("timing");
            for (CheckView.Charts.TimingChart m : charts.timing()) {
                ObjectNode t = timing.addObject();
                t.put("id", m.id());
                t.put("operation", m.operation());
                t.put("batch", m.batch());
                summary(t.putObject("original"), m.original());
                summary(t.putObject("modified"), m.modified());
                t.put("ratio", m.ratio());
                t.put("ci", m.ci());
                t.put("pairs", m.pairs());
                t.put("borderline", m.borderline());
            }
        }
        return root;
    }

    private static void strings(ArrayNode a, List<String> values) {
        values.forEach(a::add);
    }

    /** A missing value is null, which Chart.js leaves out (the view has made non-finite values null already). */
    private static void numbers(ArrayNode a, List<Double> values) {
        for (Double v : values) {
            if (v == null || !Double.isFinite(v)) a.addNull();
            else a.add(v);
        }
    }

    private static void ranges(ArrayNode a, List<double[]> values) {
        for (double[] r : values) {
            if (r == null) a.addNull();
            else a.addArray().add(r[0]).add(r[1]);
        }
    }

    /** [median, q1, q3] in ms. */
    private static void summary(ObjectNode o, double[] s) {
        putNumber(o, "median", s[0]);
        putNumber(o, "q1", s[1]);
        putNumber(o, "q3", s[2]);
    }

    private static void putNumber(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) o.put(key, v);
        else o.putNull(key);
    }

    private static String json(ObjectNode node) {
        try {
            return JSON.writeValueAsString(node);
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
