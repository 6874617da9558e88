package dev.modelgate.codec;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.error.BadInputException;
import dev.modelgate.error.Location;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Comparison;
import dev.modelgate.report.Environment;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.MemoryUse;
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
 * The one mapping between the report records and JSON (schema 1), in both directions. The JSON format, the worker
 * protocol, the measurement cache and {@code merge} all go through it, so a record crosses every boundary whole.
 * Field names are the outside contract; they are written here explicitly rather than derived from Java names, so a
 * refactoring cannot change them. Derived values (verdict, mode, summary counts) are written for readers and
 * ignored when read back: they are recomputed from the results.
 *
 * <p>JSON has no NaN or Infinity. A scalar that is not finite is written as null with its text beside it
 * ({@code "measured": null, "measuredText": "NaN"}); an element of a series is written as the string
 * {@code "NaN"}, {@code "Infinity"} or {@code "-Infinity"} (null, as older reports wrote it, reads as NaN).
 */
public final class ReportCodec {
    private static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    private static final ObjectMapper COMPACT = new ObjectMapper();

    private ReportCodec() {}

    // ---- whole documents ----------------------------------------------------------------------------------------

    /** Pretty JSON text of a tree, ending in a newline: what a report file holds. */
    public static String pretty(JsonNode node) {
        try {
            return MAPPER.writeValueAsString(node) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    /** One line of JSON: what the worker protocol sends. */
    public static String line(JsonNode node) {
        try {
            return COMPACT.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON", e);
        }
    }

    public static JsonNode parse(String json) throws IOException {
        return COMPACT.readTree(json);
    }

    public static ObjectNode object() {
        return COMPACT.createObjectNode();
    }

    /** A report file: an audit ({@code checks}) or a single check, as audit entries. */
    public static List<AuditEntry> entries(String json) throws IOException {
        JsonNode root = parse(json);
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

    // ---- audit --------------------------------------------------------------------------------------------------

    /** The contract's audit JSON: {"schema": 1, "verdict": ..., "checks": [one check report per config]}. */
    public static ObjectNode audit(AuditReport a) {
        ObjectNode root = object();
        root.put("schema", a.schema());
        root.put("verdict", a.verdict().name());
        root.put("folder", a.folder());
        if (a.shard() != null) root.putObject("shard").put("index", a.shard().index()).put("total", a.shard().total());
        ObjectNode summary = root.putObject("summary");
        for (Verdict v : Verdict.values()) summary.put(v.name().toLowerCase(), a.count(v));
        ArrayNode checks = root.putArray("checks");
        for (AuditEntry e : a.checks()) checks.add(entry(e));
        if (!a.skipped().isEmpty()) {
            ArrayNode skipped = root.putArray("skipped");
            for (AuditReport.Skipped k : a.skipped()) skipped.addObject().put("file", k.file()).put("reason", k.reason());
        }
        root.set("environment", environment(a.environment()));
        return root;
    }

    public static AuditReport audit(JsonNode root) {
        List<AuditEntry> entries = new ArrayList<>();
        for (JsonNode c : root.path("checks")) entries.add(entry(c));
        List<AuditReport.Skipped> skipped = new ArrayList<>();
        for (JsonNode k : root.path("skipped")) skipped.add(new AuditReport.Skipped(text(k, "file"), text(k, "reason")));
        JsonNode shard = root.path("shard");
        return new AuditReport(text(root, "folder"), entries, environment(root.path("environment")), skipped,
                shard.isObject() ? new AuditReport.Shard(shard.path("index").asInt(), shard.path("total").asInt()) : null);
    }

    public static ObjectNode entry(AuditEntry e) {
        ObjectNode c;
        if (e.report() != null) c = check(e.report());
        else {
            c = object();
            c.put("schema", CheckReport.SCHEMA);
            c.put("verdict", e.verdict().name());
            c.put("error", e.error());
        }
        c.put("config", e.config());
        c.put("baseline", e.baseline());
        return c;
    }

    public static AuditEntry entry(JsonNode c) {
        String config = text(c, "config"), baseline = text(c, "baseline");
        if (c.hasNonNull("error") || !c.has("results")) return AuditEntry.error(config, baseline, String.valueOf(text(c, "error")));
        return AuditEntry.checked(config, baseline, check(c));
    }

    // ---- check --------------------------------------------------------------------------------------------------

    public static ObjectNode check(CheckReport r) {
        ObjectNode root = object();
        root.put("schema", r.schema());
        root.put("verdict", r.verdict().name());
        root.put("mode", r.mode());
        root.set("original", model(r.original()));
        root.set("modified", model(r.modified()));
        comparison(root, r.diff(), r.results(), r.timing());
        // Additive: a check of one pair writes no "comparisons" at all, as before they existed.
        if (!r.comparisons().isEmpty()) {
            ArrayNode comparisons = root.putArray("comparisons");
            for (Comparison c : r.comparisons()) {
                ObjectNode o = comparisons.addObject();
                o.put("against", c.against());
                o.put("verdict", c.verdict().name());
                o.set("original", model(c.original()));
                comparison(o, c.diff(), c.results(), c.timing());
                summary(o, c::count);
                phases(o, c.phases());
            }
        }
        summary(root, r::count);
        phases(root, r.phases());
        root.set("environment", environment(r.environment()));
        return root;
    }

    /** What one comparison of two models found: the layer diff, the results, the timing (null: not timed). */
    private static void comparison(ObjectNode root, List<LayerChange> changes, List<RuleResult> rules, TimingReport timing) {
        ArrayNode diff = root.putArray("diff");
        for (LayerChange c : changes) {
            ObjectNode d = diff.addObject();
            d.put("change", c.kind().label());
            d.put("original", c.original());
            d.put("modified", c.modified());
            d.put("type", c.type());
            ArrayNode det = d.putArray("details");
            c.details().forEach(det::add);
        }
        ArrayNode results = root.putArray("results");
        for (RuleResult x : rules) results.add(result(x));
        if (timing == null) root.putNull("timing");
        else root.set("timing", timing(timing));
    }

    private static void summary(ObjectNode root, java.util.function.ToLongFunction<Status> count) {
        ObjectNode summary = root.putObject("summary");
        for (Status s : Status.values()) summary.put(s.name().toLowerCase(), count.applyAsLong(s));
    }

    private static void phases(ObjectNode root, Map<String, Long> phases) {
        ObjectNode o = root.putObject("phasesMs");
        phases.forEach(o::put);
    }

    public static CheckReport check(JsonNode r) {
        List<Comparison> comparisons = new ArrayList<>();
        for (JsonNode c : r.path("comparisons")) {
            comparisons.add(new Comparison(text(c, "against"), model(c.path("original")), diff(c), results(c), timingOrNull(c), phases(c)));
        }
        return new CheckReport(model(r.path("original")), model(r.path("modified")), diff(r), results(r),
                timingOrNull(r), environment(r.path("environment")), phases(r), comparisons);
    }

    private static List<LayerChange> diff(JsonNode r) {
        List<LayerChange> diff = new ArrayList<>();
        for (JsonNode d : r.path("diff")) {
            diff.add(new LayerChange(LayerChange.Kind.valueOf(d.path("change").asText().toUpperCase()), text(d, "original"), text(d, "modified"),
                    text(d, "type"), strings(d.path("details"))));
        }
        return diff;
    }

    private static List<RuleResult> results(JsonNode r) {
        List<RuleResult> results = new ArrayList<>();
        for (JsonNode x : r.path("results")) results.add(result(x));
        return results;
    }

    private static TimingReport timingOrNull(JsonNode r) {
        JsonNode t = r.path("timing");
        return t.isObject() ? timing(t) : null;
    }

    private static Map<String, Long> phases(JsonNode r) {
        Map<String, Long> phases = new LinkedHashMap<>();
        r.path("phasesMs").fields().forEachRemaining(e -> phases.put(e.getKey(), e.getValue().asLong()));
        return phases;
    }

    static ObjectNode result(RuleResult x) {
        ObjectNode o = object();
        o.put("rule", x.rule());
        o.put("status", x.status().name());
        o.put("severity", x.severity().id());
        putNumber(o, "measured", x.measured());
        putNumber(o, "threshold", x.threshold());
        o.put("layer", x.layer());
        o.put("message", x.message());
        o.put("preExisting", x.preExisting());
        if (x.statistic() != null) o.put("statistic", x.statistic());
        return o;
    }

    static RuleResult result(JsonNode x) {
        return new RuleResult(text(x, "rule"), Status.valueOf(x.path("status").asText()), Severity.parse(x.path("severity").asText()),
                number(x, "measured"), number(x, "threshold"), text(x, "layer"), text(x, "message"), x.path("preExisting").asBoolean(false),
                text(x, "statistic"));
    }

    // ---- one model ----------------------------------------------------------------------------------------------

    /** One model alone, as {@code inspect} writes it. */
    public static ObjectNode inspection(ModelReport m, Environment environment) {
        ObjectNode root = object();
        root.put("schema", CheckReport.SCHEMA);
        root.set("model", model(m));
        if (environment != null) root.set("environment", environment(environment));
        return root;
    }

    public static ObjectNode model(ModelReport m) {
        ObjectNode o = object();
        o.put("source", m.source());
        o.put("format", m.format());
        o.put("name", m.name());
        o.put("input", m.inputShape());
        o.put("totalParams", m.totalParams());
        o.put("totalMacs", m.totalMacs());
        if (!m.notes().isEmpty()) m.notes().forEach(o.withArray("notes")::add);
        if (m.data() != null) {
            ObjectNode d = o.putObject("data");
            d.put("file", m.data().file());
            d.put("rows", m.data().rows());
            d.put("classification", m.data().classification());
            d.put("labelMin", m.data().labelMin());
            d.put("labelMax", m.data().labelMax());
            d.put("featureMin", m.data().featureMin());
            d.put("featureMax", m.data().featureMax());
        }
        ArrayNode layers = o.putArray("layers");
        for (LayerInfo l : m.layers()) {
            ObjectNode x = layers.addObject();
            x.put("name", l.name());
            x.put("type", l.type());
            x.put("family", l.family());
            ArrayNode in = x.putArray("inputs");
            l.inputs().forEach(in::add);
            ArrayNode inShapes = x.putArray("inputShapes");
            l.inputShapes().forEach(inShapes::add);
            x.put("outputShape", l.outputShape());
            x.put("params", l.params());
            if (l.macs() >= 0) x.put("macs", l.macs());
            else x.putNull("macs"); // unknown: DL4J layer of a family without a formula
            x.put("width", l.width());
            x.put("inWidth", l.inWidth());
            ObjectNode attrs = x.putObject("attributes");
            l.attributes().forEach(attrs::put);
            x.put("autoNamed", l.autoNamed());
            if (l.line() > 0) x.put("line", l.line());
        }
        if (m.evaluation() != null) o.set("evaluation", evaluation(m.evaluation()));
        HealthReport h = m.health();
        if (h == null) {
            o.putNull("health");
            return o;
        }
        ObjectNode hn = o.putObject("health");
        hn.put("batchSize", h.batchSize());
        hn.put("iterations", h.iterations());
        series(hn, "losses", h.losses());
        hn.put("nonFiniteParams", h.nonFiniteParams());
        if (h.dl4jOutputNonFinite() >= 0) hn.put("dl4jOutputNonFinite", h.dl4jOutputNonFinite());
        hn.put("dl4jParams", h.dl4jParams());
        if (h.memory() != null) hn.set("memory", memory(h.memory()));
        ArrayNode layers2 = hn.putArray("layers");
        // One entry per layer that has any health measurement, in the model's layer order, then any others.
        List<String> names = new ArrayList<>();
        m.layers().forEach(l -> names.add(l.name()));
        h.initial().forEach(s -> { if (!names.contains(s.layer())) names.add(s.layer()); });
        h.trained().forEach(s -> { if (!names.contains(s.layer())) names.add(s.layer()); });
        h.gradients().forEach(g -> { if (!names.contains(g.layer())) names.add(g.layer()); });
        for (String name : names) {
            ObjectNode x = layers2.addObject();
            x.put("name", name);
            h.initial(name).ifPresentOrElse(s -> x.set("initial", activations(s)), () -> x.putNull("initial"));
            h.trained(name).ifPresentOrElse(s -> x.set("trained", activations(s)), () -> x.putNull("trained"));
            h.gradients(name).ifPresentOrElse(g -> {
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

    public static ModelReport model(JsonNode m) {
        List<LayerInfo> layers = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            Map<String, String> attrs = new LinkedHashMap<>();
            l.path("attributes").fields().forEachRemaining(e -> attrs.put(e.getKey(), e.getValue().asText()));
            layers.add(new LayerInfo(text(l, "name"), text(l, "type"), l.path("family").asText(""), strings(l.path("inputs")),
                    strings(l.path("inputShapes")), text(l, "outputShape"), l.path("params").asLong(), l.path("macs").isNumber() ? l.path("macs").asLong() : -1,
                    longOrNull(l, "width"), longOrNull(l, "inWidth"), attrs, l.path("autoNamed").asBoolean(false),
                    l.path("line").asInt(0)));
        }
        return new ModelReport(text(m, "source"), text(m, "format"), text(m, "name"), text(m, "input"), layers,
                health(m.path("health")), strings(m.path("notes")), data(m.path("data")), evaluation(m.path("evaluation")));
    }

    private static ObjectNode evaluation(dev.modelgate.report.EvaluationReport e) {
        ObjectNode o = object();
        o.put("metric", e.metric());
        o.put("outputs", e.outputs());
        o.put("data", e.data());
        o.put("trainRows", e.trainRows());
        o.put("heldOutRows", e.heldOutRows());
        o.put("epochs", e.epochs());
        o.put("maxSeconds", e.maxSeconds());
        if (e.skipped() != null) o.put("skipped", e.skipped());
        ArrayNode seeds = o.putArray("seeds");
        for (dev.modelgate.report.EvaluationReport.SeedRun r : e.seeds()) {
            ObjectNode x = seeds.addObject();
            x.put("seed", r.seed());
            putNumber(x, "metric", r.metric());
            putNumber(x, "loss", r.loss());
            if (!e.classification()) putNumber(x, "mae", r.mae());
            x.put("epochs", r.epochs());
            x.put("seconds", r.seconds());
            series(x, "curveLoss", r.curveLoss());
            series(x, "curveMetric", r.curveMetric());
        }
        return o;
    }

    private static dev.modelgate.report.EvaluationReport evaluation(JsonNode e) {
        if (!e.isObject()) return null;
        List<dev.modelgate.report.EvaluationReport.SeedRun> seeds = new ArrayList<>();
        for (JsonNode x : e.path("seeds")) {
            seeds.add(new dev.modelgate.report.EvaluationReport.SeedRun(x.path("seed").asLong(), nan(x, "metric"), nan(x, "loss"), nan(x, "mae"),
                    x.path("epochs").asInt(), x.path("seconds").asDouble(), series(x.path("curveLoss")), series(x.path("curveMetric"))));
        }
        return new dev.modelgate.report.EvaluationReport("accuracy".equals(text(e, "metric")), e.path("outputs").asInt(), text(e, "data"), e.path("trainRows").asInt(),
                e.path("heldOutRows").asInt(), e.path("epochs").asInt(), e.path("maxSeconds").asDouble(), seeds, e.path("skipped").isTextual() ? e.path("skipped").asText() : null);
    }

    private static dev.modelgate.report.DataSummary data(JsonNode d) {
        if (!d.isObject()) return null;
        return new dev.modelgate.report.DataSummary(text(d, "file"), d.path("rows").asInt(), d.path("classification").asBoolean(),
                d.path("labelMin").asDouble(), d.path("labelMax").asDouble(), d.path("featureMin").asDouble(), d.path("featureMax").asDouble());
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
                series(h.path("losses")), h.path("nonFiniteParams").asLong(), h.path("dl4jParams").asLong(), h.path("dl4jOutputNonFinite").asLong(-1),
                memory(h.path("memory")));
    }

    private static ObjectNode memory(MemoryUse m) {
        ObjectNode o = object();
        o.put("trainingBytes", m.trainingBytes());
        o.put("inferenceBytes", m.inferenceBytes());
        o.put("trainingBatch", m.trainingBatch());
        o.put("inferenceBatch", m.inferenceBatch());
        o.put("stateBytes", m.stateBytes());
        o.put("trainingWorkspaceBytes", m.trainingWorkspaceBytes());
        o.put("inferenceWorkspaceBytes", m.inferenceWorkspaceBytes());
        ArrayNode layers = o.putArray("layers");
        for (MemoryUse.Layer l : m.layers()) {
            layers.addObject().put("layer", l.layer()).put("parameterBytes", l.parameterBytes()).put("activationBytes", l.activationBytes())
                    .put("trainingBytes", l.trainingBytes());
        }
        return o;
    }

    private static MemoryUse memory(JsonNode m) {
        if (!m.isObject()) return null;
        List<MemoryUse.Layer> layers = new ArrayList<>();
        for (JsonNode l : m.path("layers")) {
            layers.add(new MemoryUse.Layer(text(l, "layer"), l.path("parameterBytes").asLong(), l.path("activationBytes").asLong(), l.path("trainingBytes").asLong()));
        }
        return new MemoryUse(m.path("trainingBytes").asLong(), m.path("inferenceBytes").asLong(), m.path("trainingBatch").asInt(), m.path("inferenceBatch").asInt(),
                m.path("stateBytes").asLong(), m.path("trainingWorkspaceBytes").asLong(), m.path("inferenceWorkspaceBytes").asLong(), layers);
    }

    private static ObjectNode activations(ActivationStats s) {
        ObjectNode a = object();
        putNumber(a, "min", s.min());
        putNumber(a, "max", s.max());
        putNumber(a, "mean", s.mean());
        putNumber(a, "std", s.std());
        a.put("nan", s.nan());
        a.put("inf", s.inf());
        putNumber(a, "zeroFraction", s.zeroFraction());
        putNumber(a, "saturatedFraction", s.saturatedFraction());
        return a;
    }

    private static ActivationStats activations(String layer, JsonNode a) {
        return new ActivationStats(layer, nan(a, "min"), nan(a, "max"), nan(a, "mean"), nan(a, "std"), a.path("nan").asLong(),
                a.path("inf").asLong(), nan(a, "zeroFraction"), number(a, "saturatedFraction"));
    }

    // ---- timing -------------------------------------------------------------------------------------------------

    private static ObjectNode timing(TimingReport t) {
        ObjectNode o = object();
        o.put("threads", t.threads());
        o.set("training", measurement(t.training()));
        o.set("inference", measurement(t.inference()));
        if (t.layers() != null) layerTimes(o, t.layers());
        return o;
    }

    private static TimingReport timing(JsonNode t) {
        return new TimingReport(measurement(t.path("training")), measurement(t.path("inference")), text(t, "threads"), layerTimes(t));
    }

    /** {@code timing.layers[]} (the outside contract's layer, originalMs, modifiedMs, ratio, and more) and {@code timing.layerSum}. */
    private static void layerTimes(ObjectNode o, TimingReport.LayerTimes l) {
        ArrayNode rows = o.putArray("layers");
        for (TimingReport.LayerTime x : l.layers()) {
            ObjectNode r = rows.addObject();
            r.put("layer", x.layer());
            r.put("change", x.change());
            putNumber(r, "originalMs", x.originalMs());
            putNumber(r, "modifiedMs", x.modifiedMs());
            putNumber(r, "ratio", x.ratio());
            putNumber(r, "share", x.share());
            putNumber(r, "originalBackwardMs", x.originalBackwardMs());
            putNumber(r, "modifiedBackwardMs", x.modifiedBackwardMs());
            putNumber(r, "inferenceOriginalMs", x.inferenceOriginalMs());
            putNumber(r, "inferenceModifiedMs", x.inferenceModifiedMs());
            putNumber(r, "inferenceRatio", x.inferenceRatio());
            putNumber(r, "inferenceShare", x.inferenceShare());
        }
        ObjectNode sum = o.putObject("layerSum");
        sum.set("training", layerSum(l.training()));
        sum.set("inference", layerSum(l.inference()));
        o.put("layerPhaseMs", l.elapsedMs());
    }

    private static ObjectNode layerSum(TimingReport.LayerSum s) {
        ObjectNode o = object();
        o.put("pass", s.pass());
        o.put("pairs", s.pairs());
        putNumber(o, "originalMs", s.originalMs());
        putNumber(o, "modifiedMs", s.modifiedMs());
        putNumber(o, "wholeOriginalMs", s.wholeOriginalMs());
        putNumber(o, "wholeModifiedMs", s.wholeModifiedMs());
        putNumber(o, "originalGapMs", s.originalGapMs());
        putNumber(o, "modifiedGapMs", s.modifiedGapMs());
        return o;
    }

    private static TimingReport.LayerTimes layerTimes(JsonNode t) {
        if (!t.path("layers").isArray() || !t.path("layerSum").isObject()) return null;
        List<TimingReport.LayerTime> rows = new ArrayList<>();
        for (JsonNode r : t.path("layers")) {
            rows.add(new TimingReport.LayerTime(text(r, "layer"), text(r, "change"), number(r, "originalMs"), number(r, "modifiedMs"),
                    number(r, "ratio"), number(r, "share"), number(r, "originalBackwardMs"), number(r, "modifiedBackwardMs"),
                    number(r, "inferenceOriginalMs"), number(r, "inferenceModifiedMs"), number(r, "inferenceRatio"), number(r, "inferenceShare")));
        }
        return new TimingReport.LayerTimes(layerSum(t.path("layerSum").path("training")), layerSum(t.path("layerSum").path("inference")), rows,
                t.path("layerPhaseMs").asLong());
    }

    private static TimingReport.LayerSum layerSum(JsonNode s) {
        return new TimingReport.LayerSum(text(s, "pass"), s.path("pairs").asInt(), nan(s, "originalMs"), nan(s, "modifiedMs"),
                nan(s, "wholeOriginalMs"), nan(s, "wholeModifiedMs"));
    }

    private static ObjectNode measurement(TimingReport.Measurement m) {
        ObjectNode o = object();
        o.put("operation", m.operation());
        o.put("batchSize", m.batchSize());
        o.set("original", summary(m.original()));
        o.set("modified", summary(m.modified()));
        putNumber(o, "ratio", m.ratio());
        putNumber(o, "ratioLow", m.ratioLow());
        putNumber(o, "ratioHigh", m.ratioHigh());
        o.put("pairs", m.pairs());
        o.put("warmupCalls", m.warmupCalls());
        if (m.healthPairs() > 0) o.put("healthPairs", m.healthPairs());
        o.put("borderline", m.borderline());
        if (m.budgetCut() != null) {
            ObjectNode c = o.putObject("budgetCut");
            c.put("budgetSeconds", m.budgetCut().budgetSeconds());
            c.put("minPairs", m.budgetCut().minPairs());
            c.put("warmUpCut", m.budgetCut().warmUpCut());
        }
        return o;
    }

    private static TimingReport.Measurement measurement(JsonNode m) {
        return new TimingReport.Measurement(text(m, "operation"), m.path("batchSize").asInt(), summary(m.path("original")), summary(m.path("modified")),
                nan(m, "ratio"), nan(m, "ratioLow"), nan(m, "ratioHigh"), m.path("pairs").asInt(), m.path("warmupCalls").asInt(), m.path("borderline").asBoolean(),
                budgetCut(m.path("budgetCut")), m.path("healthPairs").asInt());
    }

    private static TimingReport.BudgetCut budgetCut(JsonNode c) {
        if (!c.isObject()) return null;
        return new TimingReport.BudgetCut(c.path("budgetSeconds").asDouble(), c.path("minPairs").asInt(), c.path("warmUpCut").asBoolean());
    }

    private static ObjectNode summary(TimingReport.Summary s) {
        ObjectNode o = object();
        putNumber(o, "medianMs", s.medianMs());
        putNumber(o, "q1Ms", s.q1Ms());
        putNumber(o, "q3Ms", s.q3Ms());
        putNumber(o, "examplesPerSecond", s.examplesPerSecond());
        if (!Double.isNaN(s.cpuMedianMs())) putNumber(o, "cpuMedianMs", s.cpuMedianMs());
        return o;
    }

    private static TimingReport.Summary summary(JsonNode s) {
        return new TimingReport.Summary(nan(s, "medianMs"), nan(s, "q1Ms"), nan(s, "q3Ms"), nan(s, "examplesPerSecond"), nan(s, "cpuMedianMs"));
    }

    // ---- environment --------------------------------------------------------------------------------------------

    public static ObjectNode environment(Environment e) {
        ObjectNode env = object();
        if (e == null) return env;
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

    /** device and libraries are absent from reports written before modelgate recorded them: null and empty then. */
    public static Environment environment(JsonNode e) {
        Map<String, String> libraries = new LinkedHashMap<>();
        e.path("libraries").fields().forEachRemaining(x -> libraries.put(x.getKey(), x.getValue().asText()));
        return new Environment(text(e, "backend"), text(e, "device"), text(e, "threads"), text(e, "java"), text(e, "os"), text(e, "modelgate"),
                libraries);
    }

    // ---- errors -------------------------------------------------------------------------------------------------

    /** A bad-input error with every field, so that it is thrown again unchanged on the other side of the worker boundary. */
    public static ObjectNode error(BadInputException e) {
        ObjectNode o = object();
        o.put("kind", e.kind().name());
        o.put("file", e.file());
        o.put("line", e.location().line());
        o.put("column", e.location().column());
        o.put("keyPath", e.keyPath());
        o.put("problem", e.problem());
        return o;
    }

    public static BadInputException error(JsonNode o) {
        return new BadInputException(BadInputException.Kind.valueOf(o.path("kind").asText("MODEL")), text(o, "file"),
                new Location(o.path("line").asInt(), o.path("column").asInt()), o.path("keyPath").asText(""), o.path("problem").asText(), null);
    }

    // ---- values -------------------------------------------------------------------------------------------------

    private static void series(ObjectNode o, String key, List<Double> values) {
        ArrayNode a = o.putArray(key);
        for (double v : values) {
            if (Double.isFinite(v)) a.add(v);
            else a.add(Double.toString(v));
        }
    }

    private static List<Double> series(JsonNode a) {
        List<Double> out = new ArrayList<>();
        for (JsonNode v : a) {
            if (v.isNumber()) out.add(v.asDouble());
            else if (v.isTextual()) out.add(parseNonFinite(v.asText()));
            else out.add(Double.NaN);
        }
        return out;
    }

    private static double parseNonFinite(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void putNumber(ObjectNode o, String key, Double v) {
        if (v == null) o.putNull(key);
        else if (Double.isNaN(v) || Double.isInfinite(v)) {
            o.putNull(key);
            o.put(key + "Text", v.toString());
        } else o.put(key, v);
    }

    /** A number, or null where the writer wrote null (absent, or NaN/Inf, whose text it kept beside as keyText). */
    private static Double number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        if (v != null && v.isNumber()) return v.asDouble();
        JsonNode text = n.get(key + "Text");
        return text != null ? parseNonFinite(text.asText()) : null;
    }

    private static double nan(JsonNode n, String key) {
        Double d = number(n, key);
        return d == null ? Double.NaN : d;
    }

    private static Long longOrNull(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isNumber() ? v.asLong() : null;
    }

    private static String text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static List<String> strings(JsonNode a) {
        List<String> out = new ArrayList<>();
        for (JsonNode v : a) out.add(v.asText());
        return out;
    }
}
