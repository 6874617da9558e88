package dev.modelgate.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the JSON that {@link JsonRenderer} writes (schema 1) back into reports, so that reports from several runs
 * (audit shards) can be merged and rendered in any format. The field names are the ones JsonRenderer writes.
 */
public final class JsonReportReader {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonReportReader() {}

    /** A report file: an audit ({@code checks}) or a single check, as audit entries. */
    public static List<AuditEntry> entries(String json) throws IOException {
        JsonNode root = MAPPER.readTree(json);
        if (root == null || !root.isObject() || root.path("schema").asInt(-1) != CheckReport.SCHEMA) {
            throw new IOException("not a modelgate JSON report of schema " + CheckReport.SCHEMA);
        }
        List<AuditEntry> out = new ArrayList<>();
        if (root.has("checks")) {
            for (JsonNode c : root.get("checks")) out.add(entry(c));
        } else {
            CheckReport r = check(root);
            out.add(AuditEntry.checked(r.modified().source(), r.original().source(), r));
        }
        return out;
    }

    public static Environment environment(String json) throws IOException {
        return environment(MAPPER.readTree(json).path("environment"));
    }

    private static AuditEntry entry(JsonNode c) {
        String config = text(c, "config"), baseline = text(c, "baseline");
        if (c.hasNonNull("error") || !c.has("results")) {
            return new AuditEntry(config, baseline, Verdict.valueOf(c.path("verdict").asText("ERROR")), null, text(c, "error"));
        }
        return AuditEntry.checked(config, baseline, check(c));
    }

    static CheckReport check(JsonNode r) {
        List<LayerChange> diff = new ArrayList<>();
        for (JsonNode d : r.path("diff")) {
            diff.add(new LayerChange(LayerChange.Kind.valueOf(d.path("change").asText().toUpperCase()), text(d, "original"), text(d, "modified"),
                    text(d, "type"), strings(d.path("details"))));
        }
        List<RuleResult> results = new ArrayList<>();
        for (JsonNode x : r.path("results")) {
            results.add(new RuleResult(text(x, "rule"), Status.valueOf(x.path("status").asText()), Severity.parse(x.path("severity").asText()),
                    number(x, "measured"), number(x, "threshold"), text(x, "layer"), text(x, "message"), x.path("preExisting").asBoolean(false)));
        }
        JsonNode t = r.path("timing");
        TimingReport timing = t.isObject() ? new TimingReport(measurement(t.path("training")), measurement(t.path("inference")), text(t, "threads")) : null;
        Map<String, Long> phases = new LinkedHashMap<>();
        r.path("phasesMs").fields().forEachRemaining(e -> phases.put(e.getKey(), e.getValue().asLong()));
        return new CheckReport(r.path("schema").asInt(), Verdict.valueOf(r.path("verdict").asText()), text(r, "mode"), model(r.path("original")),
                model(r.path("modified")), diff, results, timing, environment(r.path("environment")), phases);
    }

    private static ModelReport model(JsonNode m) {
        List<LayerInfo> layers = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            Map<String, String> attrs = new LinkedHashMap<>();
            l.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
            layers.add(new LayerInfo(text(l, "name"), text(l, "type"), "", strings(l.path("inputs")), strings(l.path("inputShapes")),
                    text(l, "outputShape"), l.path("params").asLong(), l.path("macs").asLong(), null, null, attrs, false));
        }
        return new ModelReport(text(m, "source"), text(m, "format"), text(m, "name"), text(m, "input"), layers,
                m.path("totalParams").asLong(), m.path("totalMacs").asLong(), health(m.path("health")), strings(m.path("notes")));
    }

    private static HealthReport health(JsonNode h) {
        if (!h.isObject()) return null;
        List<ActivationStats> initial = new ArrayList<>(), trained = new ArrayList<>();
        List<LayerGradients> gradients = new ArrayList<>();
        for (JsonNode l : h.path("layers")) {
            String name = text(l, "name");
            if (l.path("initial").isObject()) initial.add(activations(name, l.get("initial")));
            if (l.path("trained").isObject()) trained.add(activations(name, l.get("trained")));
            JsonNode g = l.path("gradients");
            if (g.isObject()) {
                gradients.add(new LayerGradients(name, series(g.path("weightL2")), series(g.path("allL2")), series(g.path("maxAbs")),
                        series(g.path("weightMaxAbs")), g.path("nonFinite").asLong()));
            }
        }
        return new HealthReport(h.path("batchSize").asInt(), h.path("iterations").asInt(), initial, trained, gradients,
                series(h.path("losses")), h.path("nonFiniteParams").asLong(), h.path("dl4jParams").asLong());
    }

    private static ActivationStats activations(String layer, JsonNode a) {
        return new ActivationStats(layer, nan(a, "min"), nan(a, "max"), nan(a, "mean"), nan(a, "std"), a.path("nan").asLong(),
                a.path("inf").asLong(), a.path("zeroFraction").asDouble(), number(a, "saturatedFraction"));
    }

    private static TimingReport.Measurement measurement(JsonNode m) {
        return new TimingReport.Measurement(text(m, "operation"), m.path("batchSize").asInt(), summary(m.path("original")), summary(m.path("modified")),
                nan(m, "ratio"), nan(m, "ratioLow"), nan(m, "ratioHigh"), m.path("pairs").asInt(), m.path("warmupCalls").asInt(), m.path("borderline").asBoolean());
    }

    private static TimingReport.Summary summary(JsonNode s) {
        return new TimingReport.Summary(nan(s, "medianMs"), nan(s, "q1Ms"), nan(s, "q3Ms"), nan(s, "examplesPerSecond"));
    }

    /** device and libraries are absent from reports written before modelgate recorded them: null and empty then. */
    private static Environment environment(JsonNode e) {
        java.util.Map<String, String> libraries = new java.util.LinkedHashMap<>();
        e.path("libraries").fields().forEachRemaining(x -> libraries.put(x.getKey(), x.getValue().asText()));
        return new Environment(text(e, "backend"), text(e, "device"), text(e, "threads"), text(e, "java"), text(e, "os"), text(e, "modelgate"),
                libraries);
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    /** A number, or null where the writer wrote null (absent, or NaN/Inf, whose text it kept beside as keyText). */
    private static Double number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v != null && v.isNumber()) return v.asDouble();
        JsonNode text = n.get(key + "Text");
        return text != null ? Double.valueOf(text.asText()) : null;
    }

    private static double nan(JsonNode n, String key) {
        Double d = number(n, key);
        return d == null ? Double.NaN : d;
    }

    private static List<Double> series(JsonNode a) {
        List<Double> out = new ArrayList<>();
        for (JsonNode v : a) out.add(v.isNumber() ? v.asDouble() : Double.NaN);
        return out;
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : a) out.add(v.asText());
        return out;
    }
}
