package dev.modelgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.report.CheckReport;
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

    @Override
    public String render(CheckReport r) {
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
        }
        ObjectNode summary = root.putObject("summary");
        for (Status s : Status.values()) summary.put(s.name().toLowerCase(), r.count(s));
        ObjectNode env = root.putObject("environment");
        env.put("backend", r.environment().backend());
        env.put("threads", r.environment().threads());
        env.put("java", r.environment().java());
        env.put("os", r.environment().os());
        env.put("modelgate", r.environment().modelgate());
        return write(root);
    }

    @Override
    public String renderModel(ModelReport m) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", CheckReport.SCHEMA);
        root.set("model", model(m));
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
        if (m.smoke() != null) {
            ObjectNode s = o.putObject("smoke");
            s.put("batchSize", m.smoke().batchSize());
            putNumber(s, "loss", m.smoke().loss());
            s.put("dl4jParams", m.smoke().parameters());
        } else {
            o.putNull("smoke");
        }
        return o;
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
