package dev.modelgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;

/**
 * The machine-readable report. Field names are the outside contract (schema 1); they are written explicitly here
 * rather than derived from Java names, so a refactoring cannot change them.
 */
public final class JsonRenderer implements Renderer {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    @Override public String format() { return "json"; }

    @Override public boolean rendersModels() { return true; }

    @Override
    public String render(CheckReport r) {
        return write(check(r));
    }

    /** The contract's audit JSON: {"schema": 1, "verdict": ..., "checks": [one check report per config]}. */
    @Override
    public String renderAudit(AuditReport a) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", a.schema());
        root.put("verdict", a.verdict().name());
        root.put("folder", a.folder());
        ObjectNode summary = root.putObject("summary");
        for (Verdict v : Verdict.values()) summary.put(v.name().toLowerCase(), a.count(v));
        ArrayNode checks = root.putArray("checks");
        for (AuditEntry e : a.checks()) {
            ObjectNode c = e.report() != null ? check(e.report()) : MAPPER.createObjectNode();
            if (e.report() == null) {
                c.put("schema", CheckReport.SCHEMA);
                c.put("verdict", e.verdict().name());
                c.put("error", e.error());
            }
            c.put("config", e.config());
            c.put("baseline", e.baseline());
            checks.add(c);
        }
        root.set("environment", environment(a.environment()));
        return write(root);
    }

    static ObjectNode environment(dev.modelgate.report.Environment e) {
        ObjectNode env = MAPPER.createObjectNode();
        env.put("backend", e.backend());
        env.put("device", e.device());
        env.put("threads", e.threads());
        env.put("java", e.java());
        env.put("os", e.os());
        env.put("modelgate", e.modelgate());
        ObjectNode libs = env.putObject("libraries");
        e.libraries().forEach(libs::put);
        return env;
    }

    private static ObjectNode check(CheckReport r) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", r.schema());
        root.put("verdict", r.verdict().name());
        root.put("mode", r.mode());
        root.set("original", model(r.original()));
        root.set("modified", model(r.modified()));
        ArrayNode diff = root.putArray("diff");
        for (LayerChange c : r.diff()) {
            ObjectNode d = diff.addObject();
            d.put("change", c.kind().label());
            d.put("original", c.original());
            d.put("modified", c.modified());
            d.put("type", c.type());
            ArrayNode det = d.putArray("details");
            c.details().forEach(det::add);
        }
        ArrayNode results = root.putArray("results");
        for (RuleResult x : r.results()) {
            ObjectNode o = results.addObject();
            o.put("rule", x.rule());
            o.put("status", x.status().name());
            o.put("severity", x.severity().id());
            putNumber(o, "measured", x.measured());
            putNumber(o, "threshold", x.threshold());
            o.put("layer", x.layer());
            o.put("message", x.message());
            o.put("preExisting", x.preExisting());
        }
        if (r.timing() == null) root.putNull("timing");
        else {
            ObjectNode t = root.putObject("timing");
            t.put("threads", r.timing().threads());
            t.set("training", measurement(r.timing().training()));
            t.set("inference", measurement(r.timing().inference()));
        }
        ObjectNode summary = root.putObject("summary");
        for (Status s : Status.values()) summary.put(s.name().toLowerCase(), r.count(s));
        ObjectNode phases = root.putObject("phasesMs");
        r.phases().forEach(phases::put);
        root.set("environment", environment(r.environment()));
        return root;
    }

    @Override
    public String renderModel(ModelReport m, dev.modelgate.report.Environment environment) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", CheckReport.SCHEMA);
        root.set("model", model(m));
        if (environment != null) root.set("environment", environment(environment));
        return write(root);
    }

    private static ObjectNode model(ModelReport m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("source", m.source());
        o.put("format", m.format());
        o.put("name", m.name());
        o.put("input", m.inputShape());
        o.put("totalParams", m.totalParams());
        o.put("totalMacs", m.totalMacs());
        if (!m.notes().isEmpty()) m.notes().forEach(o.withArray("notes")::add);
        ArrayNode layers = o.putArray("layers");
        for (LayerInfo l : m.layers()) {
            ObjectNode x = layers.addObject();
            x.put("name", l.name());
            x.put("type", l.type());
            ArrayNode in = x.putArray("inputs");
            l.inputs().forEach(in::add);
            ArrayNode inShapes = x.putArray("inputShapes");
            l.inputShapes().forEach(inShapes::add);
            x.put("outputShape", l.outputShape());
            x.put("params", l.params());
            x.put("macs", l.macs());
            ObjectNode attrs = x.putObject("attributes");
            l.attributes().forEach(attrs::put);
        }
        HealthReport h = m.health();
        if (h == null) {
            o.putNull("health");
            return o;
        }
        ObjectNode hn = o.putObject("health");
        hn.put("batchSize", h.batchSize());
        hn.put("iterations", h.iterations());
        ArrayNode losses = hn.putArray("losses");
        h.losses().forEach(v -> addNumber(losses, v));
        hn.put("nonFiniteParams", h.nonFiniteParams());
        hn.put("dl4jParams", h.dl4jParams());
        ArrayNode layers2 = hn.putArray("layers");
        for (LayerInfo l : m.layers()) {
            ObjectNode x = layers2.addObject();
            x.put("name", l.name());
            h.initial(l.name()).ifPresentOrElse(s -> x.set("initial", activations(s)), () -> x.putNull("initial"));
            h.trained(l.name()).ifPresentOrElse(s -> x.set("trained", activations(s)), () -> x.putNull("trained"));
            h.gradients(l.name()).ifPresentOrElse(g -> {
                ObjectNode gn = x.putObject("gradients");
                series(gn, "weightL2", g.weightL2());
                series(gn, "allL2", g.allL2());
                series(gn, "maxAbs", g.maxAbs());
                series(gn, "weightMaxAbs", g.weightMaxAbs());
                gn.put("nonFinite", g.nonFinite());
            }, () -> x.putNull("gradients"));
        }
        return o;
    }

    private static ObjectNode activations(ActivationStats s) {
        ObjectNode a = MAPPER.createObjectNode();
        putNumber(a, "min", s.min());
        putNumber(a, "max", s.max());
        putNumber(a, "mean", s.mean());
        putNumber(a, "std", s.std());
        a.put("nan", s.nan());
        a.put("inf", s.inf());
        a.put("zeroFraction", s.zeroFraction());
        putNumber(a, "saturatedFraction", s.saturatedFraction());
        return a;
    }

    private static ObjectNode measurement(TimingReport.Measurement m) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("operation", m.operation());
        o.put("batchSize", m.batchSize());
        o.set("original", summary(m.original()));
        o.set("modified", summary(m.modified()));
        putNumber(o, "ratio", m.ratio());
        putNumber(o, "ratioLow", m.ratioLow());
        putNumber(o, "ratioHigh", m.ratioHigh());
        o.put("pairs", m.pairs());
        o.put("warmupCalls", m.warmupCalls());
        o.put("borderline", m.borderline());
        return o;
    }

    private static ObjectNode summary(TimingReport.Summary s) {
        ObjectNode o = MAPPER.createObjectNode();
        putNumber(o, "medianMs", s.medianMs());
        putNumber(o, "q1Ms", s.q1Ms());
        putNumber(o, "q3Ms", s.q3Ms());
        putNumber(o, "examplesPerSecond", s.examplesPerSecond());
        return o;
    }

    private static void series(ObjectNode o, String key, java.util.List<Double> values) {
        ArrayNode a = o.putArray(key);
        values.forEach(v -> addNumber(a, v));
    }

    /** JSON has no NaN or Infinity: such an element is written as null. */
    private static void addNumber(ArrayNode a, double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) a.addNull();
        else a.add(v);
    }

    /** JSON has no NaN or Infinity: such a value is written as null with its text beside it. */
    private static void putNumber(ObjectNode o, String key, Double v) {
        if (v == null) o.putNull(key);
        else if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
            o.put(key + "Text", v.toString());
        } else o.put(key, v);
    }

    private static String write(ObjectNode root) {
        try {
            return MAPPER.writeValueAsString(root) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }
}
