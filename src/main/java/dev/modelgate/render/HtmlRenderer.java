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
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;

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
import java.util.Optional;
import java.util.Properties;
import java.util.function.Function;

/**
 * One self-contained HTML page: the verdict, the rules table, the layer diff, and charts of what was measured
 * (activation ranges, gradient norms, timing, loss, parameters and MACs per layer). Nothing is fetched when the page
 * is opened: the CSS, Chart.js and the chart data are inlined, and a Content-Security-Policy forbids any request.
 *
 * <p>Markup comes from Mustache templates under {@code src/main/resources/dev/modelgate/render/}, which HTML-escape
 * every value. The chart data is one JSON document serialized by Jackson with {@code <}, {@code >} and {@code &}
 * written as {@code \\u003c} etc., so no string in the report (a layer name, a message) can close its script element.
 * Like every renderer it only formats what the report holds.
 */
public final class HtmlRenderer implements Renderer {
    private static final String ROOT = "dev/modelgate/render";
    private static final ObjectWriter JSON = new ObjectMapper().writer().with(new ScriptSafeEscapes());

    @Override public String format() { return "html"; }

    @Override
    public String render(CheckReport r) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("verdict", r.verdict().name());
        page.put("verdictClass", verdictClass(r.verdict()));
        page.put("counts", counts(r));
        page.put("mode", modeLabel(r));
        page.put("title", r.original().source() + " -> " + r.modified().source());
        page.put("models", List.of(model("original", r.original()), model("modified", r.modified())));
        page.put("rules", rules(r.results()));

        // Sections with data, or the note saying why there is none.
        boolean healthy = r.original().health() != null && r.modified().health() != null;
        page.put("timing", r.timing() != null ? timing(r.timing()) : null);
        page.put("timingNote", r.timing() != null ? null : r.mode().equals("static")
                ? "Structure only (--static): the models were not run, so nothing was timed."
                : "Not timed: both timing rules are off.");
        page.put("health", healthy ? health(r) : null);
        page.put("healthNote", healthy ? null : r.mode().equals("static")
                ? "Structure only (--static): the models were not built or trained, so there are no activations, gradients or losses."
                : "No health data in this report.");

        page.put("diff", diff(r));
        page.put("totals", Map.of(
                "params", Numbers.pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams())),
                "macs", Numbers.pair(Numbers.compact(r.original().totalMacs()), Numbers.compact(r.modified().totalMacs()))));
        page.put("environment", environment(r.environment()));
        page.put("phases", phases(r.phases()));

        page.put("chartJs", Library.CHART_JS);
        page.put("chartJsVersion", Library.VERSION);
        page.put("chartCode", Library.REPORT_JS);
        page.put("data", json(chartData(r)));
        return execute(Templates.CHECK, page);
    }

    @Override
    public String renderAudit(AuditReport a) {
        Map<String, Object> page = new LinkedHashMap<>();
        page.put("verdict", a.verdict().name());
        page.put("verdictClass", verdictClass(a.verdict()));
        page.put("folder", a.folder());
        page.put("configs", a.checks().size());
        page.put("failed", a.count(Verdict.FAIL));
        page.put("errors", a.count(Verdict.ERROR));
        page.put("passed", a.count(Verdict.PASS));
        List<Map<String, Object>> entries = new ArrayList<>();
        int i = 0;
        for (AuditEntry e : a.checks()) {
            Map<String, Object> x = new LinkedHashMap<>();
            x.put("id", "config-" + (++i));
            x.put("verdict", e.verdict().name());
            x.put("verdictClass", verdictClass(e.verdict()));
            x.put("config", e.config());
            x.put("baseline", e.baseline() == null ? "-" : e.baseline());
            x.put("open", e.verdict() != Verdict.PASS);
            CheckReport r = e.report();
            if (r == null) {
                x.put("failedRules", "");
                x.put("warnedRules", "");
                x.put("detail", e.error() == null ? "" : e.error());
                x.put("error", e.error() == null ? "" : e.error());
                x.put("report", null);
            } else {
                x.put("failedRules", ruleIds(r, Status.FAIL));
                x.put("warnedRules", ruleIds(r, Status.WARN));
                x.put("detail", r.results().stream().filter(y -> y.status() == Status.FAIL).map(RuleResult::message).findFirst().orElse(""));
                x.put("error", null);
                x.put("report", Map.of("counts", counts(r), "mode", modeLabel(r),
                        "models", List.of(model("original", r.original()), model("modified", r.modified())),
                        "rules", rules(r.results())));
            }
            entries.add(x);
        }
        page.put("entries", entries);
        page.put("environment", environment(a.environment()));
        return execute(Templates.AUDIT, page);
    }

    // ---- tables -------------------------------------------------------------------------------------------------

    private static List<Map<String, Object>> rules(List<RuleResult> results) {
        List<Map<String, Object>> rows = new ArrayList<>();
        results.stream().sorted(Labels.WORST_FIRST).forEach(x -> {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("status", x.status().name());
            row.put("statusClass", x.status().name().toLowerCase(Locale.ROOT));
            row.put("rule", x.rule());
            row.put("severity", x.severity().id());
            row.put("measured", Numbers.value(x.measured()));
            row.put("limit", Numbers.value(x.threshold()));
            row.put("message", x.message() == null ? "" : x.message());
            row.put("preExisting", x.preExisting());
            rows.add(row);
        });
        return rows;
    }

    private static List<Map<String, Object>> diff(CheckReport r) {
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerChange c : r.diff()) {
            LayerInfo a = c.original() == null ? null : r.original().layer(c.original()).orElse(null);
            LayerInfo b = c.modified() == null ? null : r.modified().layer(c.modified()).orElse(null);
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("kindClass", c.kind().label());
            row.put("change", c.kind() == LayerChange.Kind.UNCHANGED ? "=" : c.kind().label());
            row.put("layer", c.name());
            row.put("type", c.type() == null ? "" : c.type());
            row.put("output", pair(a, b, LayerInfo::outputShape));
            row.put("params", pair(a, b, l -> Numbers.count(l.params())));
            row.put("macs", pair(a, b, l -> Numbers.compact(l.macs())));
            row.put("details", String.join("; ", c.details()));
            rows.add(row);
        }
        return rows;
    }

    private static Map<String, Object> model(String role, ModelReport m) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("role", role);
        x.put("source", m.source());
        x.put("name", m.name() == null ? "" : m.name());
        x.put("format", Labels.format(m.format()));
        x.put("input", m.inputShape() == null ? "" : m.inputShape());
        x.put("params", Numbers.count(m.totalParams()));
        x.put("macs", Numbers.compact(m.totalMacs()));
        x.put("notes", m.notes());
        return x;
    }

    private static Map<String, Object> timing(TimingReport t) {
        List<Map<String, Object>> rows = new ArrayList<>();
        int i = 0;
        for (TimingReport.Measurement m : List.of(t.training(), t.inference())) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("chartId", "chart-timing-" + (i++));
            row.put("operation", m.operation());
            row.put("batch", Integer.toString(m.batchSize()));
            row.put("original", ms(m.original()));
            row.put("modified", ms(m.modified()));
            row.put("ratio", Numbers.ratio(m.ratio()) + "x");
            row.put("ci", Numbers.ratio(m.ratioLow()) + "-" + Numbers.ratio(m.ratioHigh()) + "x");
            row.put("pairs", Integer.toString(m.pairs()));
            row.put("warmup", Integer.toString(m.warmupCalls()));
            row.put("borderline", m.borderline());
            rows.add(row);
        }
        return Map.of("threads", t.threads() == null ? "" : t.threads(), "rows", rows);
    }

    private static Map<String, Object> health(CheckReport r) {
        HealthReport ho = r.original().health(), hm = r.modified().health();
        List<Map<String, Object>> rows = new ArrayList<>();
        for (LayerChange c : r.diff()) {
            String a = c.original(), b = c.modified();
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("layer", c.name());
            row.put("initial", Numbers.pair(a == null ? null : range(ho.initial(a).orElse(null)), b == null ? null : range(hm.initial(b).orElse(null))));
            row.put("trained", Numbers.pair(a == null ? null : range(ho.trained(a).orElse(null)), b == null ? null : range(hm.trained(b).orElse(null))));
            row.put("zeros", Numbers.pair(a == null ? null : ho.trained(a).map(s -> Numbers.percent(s.zeroFraction())).orElse(""),
                    b == null ? null : hm.trained(b).map(s -> Numbers.percent(s.zeroFraction())).orElse("")));
            row.put("peak", Numbers.pair(a == null ? null : ho.gradients(a).map(g -> Numbers.sci(g.peakL2())).orElse(""),
                    b == null ? null : hm.gradients(b).map(g -> Numbers.sci(g.peakL2())).orElse("")));
            row.put("median", Numbers.pair(a == null ? null : ho.gradients(a).map(Numbers::medianWeightGradient).orElse(""),
                    b == null ? null : hm.gradients(b).map(Numbers::medianWeightGradient).orElse("")));
            rows.add(row);
        }
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("iterations", Integer.toString(hm.iterations()));
        x.put("batch", Integer.toString(hm.batchSize()));
        x.put("lossOriginal", lossLine(ho));
        x.put("lossModified", lossLine(hm));
        x.put("rows", rows);
        return x;
    }

    private static Map<String, Object> environment(Environment e) {
        Map<String, Object> x = new LinkedHashMap<>();
        x.put("backend", e.backend());
        x.put("device", e.device());
        x.put("threads", e.threads());
        x.put("java", e.java());
        x.put("os", e.os());
        x.put("modelgate", e.modelgate());
        x.put("libraries", e.libraries().isEmpty() ? null : e.librariesText());
        return x;
    }

    private static String phases(Map<String, Long> phases) {
        StringBuilder sb = new StringBuilder();
        phases.forEach((k, v) -> sb.append(sb.length() == 0 ? "" : ", ").append(k).append(' ').append(Numbers.seconds(v)));
        return sb.toString();
    }

    // ---- chart data: values picked out of the report, nothing derived --------------------------------------------

    private static ObjectNode chartData(CheckReport r) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        ObjectNode root = f.objectNode();

        ObjectNode structure = root.putObject("structure");
        ArrayNode labels = structure.putArray("labels"), kinds = structure.putArray("kinds");
        ObjectNode params = structure.putObject("params"), macs = structure.putObject("macs");
        ArrayNode po = params.putArray("original"), pm = params.putArray("modified");
        ArrayNode mo = macs.putArray("original"), mm = macs.putArray("modified");
        for (LayerChange c : r.diff()) {
            labels.add(c.name());
            kinds.add(c.kind().label());
            Optional<LayerInfo> a = c.original() == null ? Optional.empty() : r.original().layer(c.original());
            Optional<LayerInfo> b = c.modified() == null ? Optional.empty() : r.modified().layer(c.modified());
            addNumber(po, a.map(l -> (double) l.params()).orElse(null));
            addNumber(pm, b.map(l -> (double) l.params()).orElse(null));
            addNumber(mo, a.map(l -> (double) l.macs()).orElse(null));
            addNumber(mm, b.map(l -> (double) l.macs()).orElse(null));
        }

        HealthReport ho = r.original().health(), hm = r.modified().health();
        if (ho != null && hm != null) {
            ObjectNode act = root.putObject("activations");
            ArrayNode al = act.putArray("labels");
            ArrayNode oi = act.putArray("originalInitial"), ot = act.putArray("originalTrained");
            ArrayNode mi = act.putArray("modifiedInitial"), mt = act.putArray("modifiedTrained");
            ObjectNode grad = root.putObject("gradients");
            ArrayNode gl = grad.putArray("labels");
            ArrayNode gpo = grad.putArray("peakOriginal"), gpm = grad.putArray("peakModified");
            ArrayNode gmo = grad.putArray("medianOriginal"), gmm = grad.putArray("medianModified");
            for (LayerChange c : r.diff()) {
                String a = c.original(), b = c.modified();
                al.add(c.name());
                addRange(oi, a == null ? null : ho.initial(a).orElse(null));
                addRange(ot, a == null ? null : ho.trained(a).orElse(null));
                addRange(mi, b == null ? null : hm.initial(b).orElse(null));
                addRange(mt, b == null ? null : hm.trained(b).orElse(null));
                LayerGradients ga = a == null ? null : ho.gradients(a).orElse(null);
                LayerGradients gb = b == null ? null : hm.gradients(b).orElse(null);
                if (ga == null && gb == null) continue; // a layer without parameters has no gradients to chart
                gl.add(c.name());
                addNumber(gpo, ga == null ? null : ga.peakL2());
                addNumber(gpm, gb == null ? null : gb.peakL2());
                addNumber(gmo, ga == null ? null : ga.medianWeightL2());
                addNumber(gmm, gb == null ? null : gb.medianWeightL2());
            }
            ArrayNode limits = grad.putArray("limits");
            threshold(r, "gradient-explosion").ifPresent(v -> limits.addObject().put("label", "gradient-explosion limit " + Numbers.value(v)).put("value", v));
            threshold(r, "gradient-vanishing").ifPresent(v -> limits.addObject().put("label", "gradient-vanishing limit " + Numbers.value(v)).put("value", v));

            ObjectNode loss = root.putObject("loss");
            ArrayNode lo = loss.putArray("original"), lm = loss.putArray("modified");
            ho.losses().forEach(v -> addNumber(lo, v));
            hm.losses().forEach(v -> addNumber(lm, v));
        }

        if (r.timing() != null) {
            ArrayNode timing = root.putArray("timing");
            int i = 0;
            for (TimingReport.Measurement m : List.of(r.timing().training(), r.timing().inference())) {
                ObjectNode t = timing.addObject();
                t.put("id", "chart-timing-" + (i++));
                t.put("operation", m.operation());
                t.put("batch", m.batchSize());
                summary(t.putObject("original"), m.original());
                summary(t.putObject("modified"), m.modified());
                t.put("ratio", Numbers.ratio(m.ratio()) + "x");
                t.put("ci", Numbers.ratio(m.ratioLow()) + "-" + Numbers.ratio(m.ratioHigh()) + "x");
                t.put("pairs", m.pairs());
                t.put("borderline", m.borderline());
            }
        }
        return root;
    }

    /** The limit a rule reported with its results (the first one that has one). */
    private static Optional<Double> threshold(CheckReport r, String rule) {
        return r.results().stream().filter(x -> x.rule().equals(rule) && x.threshold() != null).map(RuleResult::threshold).findFirst();
    }

    private static void summary(ObjectNode o, TimingReport.Summary s) {
        putNumber(o, "median", s.medianMs());
        putNumber(o, "q1", s.q1Ms());
        putNumber(o, "q3", s.q3Ms());
    }

    private static void addRange(ArrayNode a, ActivationStats s) {
        if (s == null || !Double.isFinite(s.min()) || !Double.isFinite(s.max())) {
            a.addNull();
            return;
        }
        a.addArray().add(s.min()).add(s.max());
    }

    /** JSON has no NaN or Infinity: such a value (and a missing one) is null, which Chart.js leaves out. */
    private static void addNumber(ArrayNode a, Double v) {
        if (v == null || !Double.isFinite(v)) a.addNull();
        else a.add(v);
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

    // ---- text helpers (the same wording as the text report) -----------------------------------------------------

    private static String counts(CheckReport r) {
        long warns = r.count(Status.WARN);
        return r.count(Status.FAIL) + " failed, " + warns + " warning" + (warns == 1 ? "" : "s") + ", " + r.count(Status.PASS)
                + " passed, " + r.count(Status.SKIP) + " skipped" + (r.count(Status.ERROR) > 0 ? ", " + r.count(Status.ERROR) + " errors" : "");
    }

    private static String modeLabel(CheckReport r) {
        return r.mode().equals("static") ? "structure only (--static)"
                : r.timing() == null ? "models built and trained, not timed" : "models built, trained and timed";
    }

    private static String ruleIds(CheckReport r, Status s) {
        return r.results().stream().filter(x -> x.status() == s).map(RuleResult::rule).distinct().reduce((x, y) -> x + ", " + y).orElse("-");
    }

    private static String verdictClass(Verdict v) {
        return v.name().toLowerCase(Locale.ROOT);
    }

    private static String lossLine(HealthReport h) {
        if (h.losses().isEmpty()) return "no loss";
        return Numbers.sci(h.losses().get(0)) + " -> " + Numbers.sci(h.losses().get(h.losses().size() - 1));
    }

    private static String range(ActivationStats s) {
        if (s == null) return "";
        if (Double.isNaN(s.min())) return "no finite values";
        return "[" + Numbers.sci(s.min()) + ", " + Numbers.sci(s.max()) + "]";
    }

    private static String ms(TimingReport.Summary s) {
        return Numbers.sci(s.medianMs()) + " (" + Numbers.sci(s.q1Ms()) + "-" + Numbers.sci(s.q3Ms()) + ")";
    }

    private static String pair(LayerInfo a, LayerInfo b, Function<LayerInfo, String> f) {
        return Numbers.pair(a == null ? null : f.apply(a), b == null ? null : f.apply(b));
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
