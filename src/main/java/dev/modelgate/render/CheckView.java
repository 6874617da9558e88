package dev.modelgate.render;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Comparison;
import dev.modelgate.report.EvaluationReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.MemoryUse;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.TimingReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.text.Numbers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What every human-readable renderer shows of one check, derived and formatted once: the renderers (text, Markdown,
 * HTML, JUnit, GitHub) only lay it out. Every number is text already, formatted by {@link Numbers}; a rule row's
 * measured and limit are {@link Numbers#value(Double)}, as the {@code {measured}} and {@code {limit}} of its message.
 *
 * @param rules   the rule results in display order: failures first, then errors, warnings, passes, skips (report
 *                order within each)
 * @param results the same rows in report order (registry order), for formats that list every result as it came
 * @param counts  "1 failed, 3 warnings, 4 passed, 6 skipped" (errors named after the failures when there are any)
 * @param charts  the measurements as numbers, for charts
 * @param comparisons the further comparisons of the modified model (with other baselines), empty for a check of one pair
 * @param primaryHeadline with further comparisons, the primary comparison's own verdict and counts in one line
 *                ("HEAD:models/x.yaml: PASS, 0 failed, ..."; the report's verdict is the worst of all), else null
 * @param ratios  the growth and timing ratios of every comparison side by side (the primary's first), or null
 *                without further comparisons
 */
public record CheckView(Verdict verdict, Counts counts, String mode, String modeLabel, String title,
                        ModelLine original, ModelLine modified, List<RuleRow> rules, List<RuleRow> results,
                        String failedRules, String warnedRules, String firstFailure,
                        List<LayerRow> layers, String totalParams, String totalMacs,
                        HealthView health, String healthNote, EvaluationView evaluation, TimingView timing, String timingNote,
                        EnvironmentView environment, List<Phase> phases, Charts charts,
                        List<ComparisonView> comparisons, Ratios ratios, String primaryHeadline) {

    /** Failures first, then errors, warnings, passes, skips; report order within each. */
    static final List<Status> DISPLAY_ORDER = List.of(Status.FAIL, Status.ERROR, Status.WARN, Status.PASS, Status.SKIP);

    private static final String STOPPED_NOTE = "Not measured: a limit stopped the check before the worker sent its measurements (see the ERROR rows).";

    public static CheckView of(CheckReport r) {
        List<RuleRow> results = rows(r.results(), r.modified());
        List<RuleRow> rules = displayOrder(results);
        List<ComparisonView> comparisons = r.comparisons().stream().map(c -> ComparisonView.of(c, r.modified())).toList();
        boolean healthy = r.original().health() != null && r.modified().health() != null;
        boolean isStatic = r.mode().equals("static");
        return new CheckView(r.verdict(), Counts.of(r.results()), r.mode(), modeLabel(r),
                r.original().source() + " -> " + r.modified().source(),
                ModelLine.of("original", r.original()), ModelLine.of("modified", r.modified()), rules, results,
                ruleIds(r, Status.FAIL), ruleIds(r, Status.WARN),
                r.results().stream().filter(x -> x.status() == Status.FAIL).map(RuleResult::message).findFirst().orElse(""),
                layers(r), Numbers.pair(Numbers.count(r.original().totalParams()), Numbers.count(r.modified().totalParams())),
                Numbers.pair(totalMacs(r.original()), totalMacs(r.modified())),
                healthy ? HealthView.of(r) : null,
                healthy ? null : isStatic
                        ? "Structure only (--static): the models were not built or trained, so there are no activations, gradients or losses."
                        : r.mode().equals("stopped") ? STOPPED_NOTE : "No health data in this report.",
                EvaluationView.of(r),
                r.timing() == null ? null : TimingView.of(r.timing()),
                r.timing() != null ? null : isStatic
                        ? "Structure only (--static): the models were not run, so nothing was timed."
                        : r.mode().equals("stopped") ? STOPPED_NOTE : "Not timed: both timing rules are off.",
                EnvironmentView.of(r.environment()), Phase.of(r.phases()), Charts.of(r),
                comparisons, comparisons.isEmpty() ? null : Ratios.of(r),
                comparisons.isEmpty() ? null : r.original().source() + ": " + Verdict.of(r.results()).name() + ", " + Counts.of(r.results()).text());
    }

    private static List<RuleRow> rows(List<RuleResult> results, ModelReport modified) {
        return results.stream().map(x -> RuleRow.of(x, results, modified)).toList();
    }

    private static List<RuleRow> displayOrder(List<RuleRow> rows) {
        return rows.stream().sorted(Comparator.comparingInt(x -> DISPLAY_ORDER.indexOf(x.status()))).toList();
    }

    public List<ModelLine> models() { return List.of(original, modified); }

    /** "loading 1.2 s, rules 3 ms". */
    public String phasesText() {
        StringBuilder sb = new StringBuilder();
        for (Phase p : phases) sb.append(sb.length() == 0 ? "" : ", ").append(p.name()).append(' ').append(p.duration());
        return sb.toString();
    }

    /** All phases together, in seconds with three decimals (0 when none took time). */
    public String totalSeconds() {
        return Numbers.decimalSeconds(totalMs());
    }

    public long totalMs() {
        return phases.stream().mapToLong(Phase::ms).sum();
    }

    /** Every comparison's phases together (the primary's and each further one's), in seconds: a test report's time. */
    public String allSeconds() {
        return Numbers.decimalSeconds(totalMs() + comparisons.stream().flatMap(c -> c.phases().stream()).mapToLong(Phase::ms).sum());
    }

    /** Every comparison's counts together (the primary's and each further one's): a test report's totals. */
    public Counts allCounts() {
        Counts t = counts;
        for (ComparisonView c : comparisons) t = t.plus(c.counts());
        return t;
    }

    private static String modeLabel(CheckReport r) {
        return r.mode().equals("static") ? "structure only (--static)"
                : r.mode().equals("stopped") ? "stopped by a limit; the structure and what was measured before the stop judged, the rest not"
                : r.timing() == null ? "models built and trained, not timed" : "models built, trained and timed";
    }

    private static String ruleIds(CheckReport r, Status s) {
        return r.results().stream().filter(x -> x.status() == s).map(RuleResult::rule).distinct()
                .reduce((x, y) -> x + ", " + y).orElse("-");
    }

    private static List<LayerRow> layers(CheckReport r) {
        List<LayerRow> rows = new ArrayList<>();
        for (LayerChange c : r.diff()) {
            LayerInfo a = c.original() == null ? null : r.original().layer(c.original()).orElse(null);
            LayerInfo b = c.modified() == null ? null : r.modified().layer(c.modified()).orElse(null);
            rows.add(new LayerRow(c.kind(), c.kind() == LayerChange.Kind.UNCHANGED ? "=" : c.kind().label(), c.name(),
                    c.type() == null ? "" : c.type(), pair(a, b, LayerInfo::outputShape), pair(a, b, l -> Numbers.count(l.params())),
                    pair(a, b, l -> Numbers.compact(l.macs())), String.join("; ", c.details()),
                    Numbers.pair(layerMemory(r.original(), c.original(), MemoryUse.Layer::parameterBytes), layerMemory(r.modified(), c.modified(), MemoryUse.Layer::parameterBytes)),
                    Numbers.pair(layerMemory(r.original(), c.original(), MemoryUse.Layer::activationBytes), layerMemory(r.modified(), c.modified(), MemoryUse.Layer::activationBytes))));
        }
        return rows;
    }

    /** One layer's bytes in DL4J's memory report of the model, or null where it has none (--static, no report). */
    private static String layerMemory(ModelReport m, String layer, java.util.function.ToLongFunction<MemoryUse.Layer> bytes) {
        if (layer == null || m.health() == null || m.health().memory() == null) return null;
        return m.health().memory().layer(layer).map(l -> Numbers.bytes(bytes.applyAsLong(l))).orElse(null);
    }

    /** Whether the layer rows carry DL4J's per-layer memory (models that ran): the tables show its columns. */
    public boolean layerMemory() {
        return layers.stream().anyMatch(l -> !l.paramMemory().isEmpty() || !l.activationMemory().isEmpty());
    }

    private static <T> String pair(T a, T b, Function<T, String> f) {
        return Numbers.pair(a == null ? null : f.apply(a), b == null ? null : f.apply(b));
    }

    /** "[-1.2, 3.4]", "no finite values", or "" when there is nothing. */
    static String range(ActivationStats s) {
        if (s == null) return "";
        if (Double.isNaN(s.min())) return "no finite values";
        return "[" + Numbers.sci(s.min()) + ", " + Numbers.sci(s.max()) + "]";
    }

    /** "2.3 -> 2.1" (first and last training loss), or "no loss". */
    static String loss(HealthReport h) {
        if (h.losses().isEmpty()) return "no loss";
        return Numbers.sci(h.losses().get(0)) + " -> " + Numbers.sci(h.losses().get(h.losses().size() - 1));
    }

    /** A layer's median weight-gradient L2, or "-" for a layer that has no weights (batch-norm: scale and shift only). */
    static String medianWeightGradient(LayerGradients g) {
        return g.weightL2().isEmpty() ? Numbers.NONE : Numbers.sci(g.medianWeightL2());
    }

    /** The name of a model format: "DL4J MultiLayerConfiguration" for {@code dl4j-multilayer}. */
    static String formatLabel(String id) {
        if (id == null) return "";
        return switch (id) {
            case "modelgate-spec" -> "modelgate spec";
            case "dl4j-multilayer" -> "DL4J MultiLayerConfiguration";
            case "dl4j-graph" -> "DL4J ComputationGraphConfiguration";
            case "keras-sequential" -> "Keras Sequential model";
            case "keras-functional" -> "Keras Functional model";
            default -> id;
        };
    }

    // ---- parts ---------------------------------------------------------------------------------------------------

    /** How many results have each status, and the line that says so. */
    public record Counts(long failed, long errors, long warnings, long passed, long skipped, long total) {
        static Counts of(List<RuleResult> results) {
            Function<Status, Long> n = s -> results.stream().filter(x -> x.status() == s).count();
            return new Counts(n.apply(Status.FAIL), n.apply(Status.ERROR), n.apply(Status.WARN), n.apply(Status.PASS), n.apply(Status.SKIP), results.size());
        }

        Counts plus(Counts o) {
            return new Counts(failed + o.failed, errors + o.errors, warnings + o.warnings, passed + o.passed, skipped + o.skipped, total + o.total);
        }

        /** "1 failed, 3 warnings, 4 passed, 6 skipped", with "1 error, " after the failures when there are errors. */
        public String text() {
            return failed + " failed, " + (errors > 0 ? errors + (errors == 1 ? " error, " : " errors, ") : "")
                    + warnings + (warnings == 1 ? " warning, " : " warnings, ") + passed + " passed, " + skipped + " skipped";
        }
    }

    /** One model in one line: where it came from and how big it is. */
    /** The model's MACs; a lower bound, marked "+", where some layer's count is unknown. */
    static String totalMacs(ModelReport m) {
        return Numbers.compact(m.totalMacs()) + (m.macsKnown() ? "" : "+");
    }

    public record ModelLine(String role, String source, String name, String format, String input, String params, String macs, List<String> notes) {
        static ModelLine of(String role, ModelReport m) {
            return new ModelLine(role, m.source(), m.name() == null ? "" : m.name(), formatLabel(m.format()),
                    m.inputShape() == null ? "" : m.inputShape(), Numbers.count(m.totalParams()), totalMacs(m), m.notes());
        }
    }

    /**
     * One rule result as shown.
     *
     * @param measured the measured value, {@link Numbers#value(Double)} ("-" when none)
     * @param limit    the limit, formatted the same way
     * @param evidence " [measured 4.0, limit 2.0]", or "" when the result has neither
     * @param line     the line of the result's layer in the modified model's file, or 0 where not known (a model-wide
     *                 result, a DL4J or Keras file)
     * @param testName the result's stable name in test reports: the rule id, plus the layer only where the rule gave
     *                 several results with layers (each layer is then a result of its own); a single result's layer, such as
     *                 a passing rule's layer with the extreme value, changes between runs and stays out of the name
     */
    public record RuleRow(Status status, String rule, String severity, String layer, String measured, String limit, String message,
                          boolean preExisting, String statistic, String evidence, int line, String testName) {
        /** What a pre-existing result adds to its message, in words. */
        public static final String PRE_EXISTING = "pre-existing: the original has it too";

        /** @param all every result of the same comparison (a rule with several per-layer results names each by its layer) */
        static RuleRow of(RuleResult x, List<RuleResult> all, ModelReport modified) {
            String measured = Numbers.value(x.measured()), limit = Numbers.value(x.threshold());
            String evidence = x.measured() == null && x.threshold() == null ? "" : " [measured " + measured + ", limit " + limit + "]";
            int line = x.layer() == null ? 0 : modified.layer(x.layer()).map(LayerInfo::line).orElse(0);
            boolean perLayer = x.layer() != null
                    && all.stream().filter(o -> o.rule().equals(x.rule()) && o.layer() != null).count() > 1;
            return new RuleRow(x.status(), x.rule(), x.severity().id(), x.layer(), measured, limit, x.message() == null ? "" : x.message(),
                    x.preExisting(), x.statistic(), evidence, line, perLayer ? x.rule() + " " + x.layer() : x.rule());
        }

        public String statusName() { return status.name(); }

        /** The one line a CI tool shows first: the message, the evidence, and whether it is pre-existing. */
        public String headline() {
            return message + evidence + (preExisting ? " (" + PRE_EXISTING + ")" : "");
        }
    }

    /**
     * A further comparison of the modified model with another baseline, as shown.
     *
     * @param against  what it was against, as the user named it ({@code accepted}, a revision, a file)
     * @param source   where that baseline came from ({@code accepted:models/x.yaml})
     * @param id       a stable identifier ("against accepted"): test-report class suffixes, section anchors
     * @param rules    its results in display order (failures first)
     * @param results  the same rows in report order
     * @param notPassing its FAIL, ERROR and WARN rows, in display order
     * @param timing   its timing, or null when not timed
     */
    public record ComparisonView(String against, String source, String id, Verdict verdict, Counts counts, List<RuleRow> rules,
                                 List<RuleRow> results, List<RuleRow> notPassing, TimingView timing, List<Phase> phases) {
        static ComparisonView of(Comparison c, ModelReport modified) {
            List<RuleRow> results = rows(c.results(), modified);
            List<RuleRow> rules = displayOrder(results);
            return new ComparisonView(c.against(), c.original().source(), "against " + c.against(), c.verdict(), Counts.of(c.results()), rules, results,
                    rules.stream().filter(x -> x.status() == Status.FAIL || x.status() == Status.ERROR || x.status() == Status.WARN).toList(),
                    c.timing() == null ? null : TimingView.of(c.timing()), Phase.of(c.phases()));
        }

        public String totalSeconds() {
            return Numbers.decimalSeconds(phases.stream().mapToLong(Phase::ms).sum());
        }

        /** "against accepted (accepted:models/x.yaml): FAIL, 1 failed, ..." */
        public String headline() {
            return id + " (" + source + "): " + verdict.name() + ", " + counts.text();
        }
    }

    /**
     * The ratios the comparisons measured, side by side: one row per growth or timing rule that any comparison
     * measured, one cell per comparison (the primary's first), so that a change's ratio against its parent stands
     * beside its ratio against the accepted version.
     *
     * @param baselines the column heads: each comparison's baseline source, the primary's first
     */
    public record Ratios(List<String> baselines, List<RatioRow> rows) {
        /** The rules whose measurement is a modified / original ratio, in the order shown. */
        static final List<String> RULES = List.of("channel-growth", "dense-growth", "param-growth", "flops-growth", "memory-growth",
                "training-time", "inference-latency");

        static Ratios of(CheckReport r) {
            List<String> baselines = new ArrayList<>(List.of(r.original().source()));
            List<List<RuleResult>> results = new ArrayList<>(List.of(r.results()));
            for (Comparison c : r.comparisons()) {
                baselines.add(c.original().source());
                results.add(c.results());
            }
            List<RatioRow> rows = new ArrayList<>();
            for (String rule : RULES) {
                List<Optional<RuleResult>> worst = results.stream().map(rs -> worst(rs, rule)).toList();
                if (worst.stream().noneMatch(Optional::isPresent)) continue;
                rows.add(new RatioRow(rule, worst.stream().map(w -> w.map(x -> Numbers.value(x.measured()) + " " + x.status().name()
                        + (x.layer() == null ? "" : " (" + x.layer() + ")")).orElse(Numbers.NONE)).toList(),
                        worst.stream().map(w -> w.map(RuleResult::status).orElse(null)).toList()));
            }
            return new Ratios(baselines, rows);
        }

        /** The rule's measured result that matters most: the worst status, then the largest ratio. */
        private static Optional<RuleResult> worst(List<RuleResult> results, String rule) {
            return results.stream().filter(x -> x.rule().equals(rule) && x.measured() != null)
                    .min(Comparator.<RuleResult>comparingInt(x -> DISPLAY_ORDER.indexOf(x.status()))
                            .thenComparing(Comparator.comparingDouble((RuleResult x) -> x.measured()).reversed()));
        }
    }

    /**
     * @param cells    per comparison: "2.56 FAIL (conv1)", or "-" where that comparison measured none
     * @param statuses per comparison: the cell's status, or null
     */
    public record RatioRow(String rule, List<String> cells, List<Status> statuses) {}

    /** One line of the layer diff; every cell "a -> b" where the models differ. */
    /**
     * @param paramMemory,activationMemory DL4J's memory report of the layer: its parameters, and its output for one
     *                                     training batch ("" where the models did not run)
     */
    public record LayerRow(LayerChange.Kind kind, String change, String layer, String type, String output, String params, String macs, String details,
                           String paramMemory, String activationMemory) {}

    /** Activations, gradients and loss of both models, per layer of the diff. */
    public record HealthView(String iterations, String batch, String lossOriginal, String lossModified, List<HealthRow> rows,
                             String gradientNote) {
        static HealthView of(CheckReport r) {
            HealthReport ho = r.original().health(), hm = r.modified().health();
            List<HealthRow> rows = new ArrayList<>();
            for (LayerChange c : r.diff()) {
                String a = c.original(), b = c.modified();
                rows.add(new HealthRow(c.name(),
                        Numbers.pair(a == null ? null : range(ho.initial(a).orElse(null)), b == null ? null : range(hm.initial(b).orElse(null))),
                        Numbers.pair(a == null ? null : range(ho.trained(a).orElse(null)), b == null ? null : range(hm.trained(b).orElse(null))),
                        Numbers.pair(a == null ? null : ho.trained(a).map(s -> Numbers.percent(s.zeroFraction())).orElse(""),
                                b == null ? null : hm.trained(b).map(s -> Numbers.percent(s.zeroFraction())).orElse("")),
                        Numbers.pair(a == null ? null : ho.gradients(a).map(g -> Numbers.sci(g.peakL2())).orElse(""),
                                b == null ? null : hm.gradients(b).map(g -> Numbers.sci(g.peakL2())).orElse("")),
                        Numbers.pair(a == null ? null : ho.gradients(a).map(CheckView::medianWeightGradient).orElse(""),
                                b == null ? null : hm.gradients(b).map(CheckView::medianWeightGradient).orElse(""))));
            }
            String batch = ho.batchSize() == hm.batchSize() ? Integer.toString(hm.batchSize()) : ho.batchSize() + " -> " + hm.batchSize();
            return new HealthView(Integer.toString(hm.iterations()), batch, loss(ho), loss(hm), rows,
                    Charts.gradientNote(r));
        }
    }

    /** One layer's health, original -> modified. */
    public record HealthRow(String layer, String initial, String trained, String zeros, String peak, String median) {}

    /**
     * The held-out evaluation of both models, seed by seed (the accuracy rules' messages give the means and the
     * interval); null where neither model was evaluated.
     *
     * @param summary "accuracy on 30 held-out rows of iris.csv (120 training rows), 20 epochs at batch 16, 5 seeds"
     */
    public record EvaluationView(String metric, String summary, String note, List<EvaluationRow> rows) {
        static EvaluationView of(CheckReport r) {
            EvaluationReport o = r.original().evaluation(), m = r.modified().evaluation();
            if (o == null && m == null) return null;
            EvaluationReport any = m != null ? m : o;
            String note = o == null || m == null ? "only the " + (o == null ? "modified" : "original") + " model has data"
                    : any.skipped() != null ? any.skipped() : o.skipped();
            String budget = any.epochs() > 0 ? any.epochs() + " epochs" : "";
            if (any.maxSeconds() > 0) budget += (budget.isEmpty() ? "" : ", ") + "at most " + Numbers.value(any.maxSeconds()) + " s per seed";
            String summary = (any.classification() ? "accuracy" : "mean squared error") + " on " + any.heldOutRows() + " held-out rows of "
                    + any.data().replaceAll("#[0-9a-f]+$", "") + " (" + any.trainRows() + " training rows), " + budget + ", "
                    + any.seeds().size() + " seed" + (any.seeds().size() == 1 ? "" : "s");
            List<EvaluationRow> rows = new ArrayList<>();
            int n = Math.max(o == null ? 0 : o.seeds().size(), m == null ? 0 : m.seeds().size());
            for (int i = 0; i < n; i++) {
                EvaluationReport.SeedRun a = o == null || i >= o.seeds().size() ? null : o.seeds().get(i);
                EvaluationReport.SeedRun b = m == null || i >= m.seeds().size() ? null : m.seeds().get(i);
                EvaluationReport.SeedRun either = a != null ? a : b;
                rows.add(new EvaluationRow(Long.toString(either.seed()), pair(a, b, EvaluationReport.SeedRun::metric),
                        pair(a, b, EvaluationReport.SeedRun::loss), any.classification() ? "" : pair(a, b, EvaluationReport.SeedRun::mae),
                        Numbers.pair(a == null ? "-" : Integer.toString(a.epochs()), b == null ? "-" : Integer.toString(b.epochs()))));
            }
            return new EvaluationView(any.classification() ? "accuracy" : "MSE", summary, note, rows);
        }

        private static String pair(EvaluationReport.SeedRun a, EvaluationReport.SeedRun b, java.util.function.ToDoubleFunction<EvaluationReport.SeedRun> f) {
            return Numbers.pair(a == null ? "-" : Numbers.value(f.applyAsDouble(a)), b == null ? "-" : Numbers.value(f.applyAsDouble(b)));
        }
    }

    public record EvaluationRow(String seed, String metric, String loss, String mae, String epochs) {}

    /** The interleaved timing of both models. */
    public record TimingView(String threads, List<TimingRow> rows, LayerTimesView layers) {
        static TimingView of(TimingReport t) {
            List<TimingRow> rows = new ArrayList<>();
            int i = 0;
            for (TimingReport.Measurement m : List.of(t.training(), t.inference())) {
                rows.add(new TimingRow("chart-timing-" + (i++), m.operation(), Integer.toString(m.batchSize()), ms(m.original()), ms(m.modified()),
                        Numbers.ratio(m.ratio()), Numbers.value(m.ratioLow()) + "-" + Numbers.ratio(m.ratioHigh()),
                        pairs(m), Integer.toString(m.warmupCalls()), m.borderline()));
            }
            return new TimingView(t.threads() == null ? "" : t.threads(), rows, t.layers() == null ? null : LayerTimesView.of(t.layers()));
        }

        /** The pairs, and how many of them were the health probes' own iterations ("8 (health 8)"). */
        private static String pairs(TimingReport.Measurement m) {
            return m.healthPairs() > 0 ? m.pairs() + " (health " + m.healthPairs() + ")" : Integer.toString(m.pairs());
        }

        private static String ms(TimingReport.Summary s) {
            return Numbers.sci(s.medianMs()) + " (" + Numbers.sci(s.q1Ms()) + "-" + Numbers.sci(s.q3Ms()) + ")";
        }
    }

    /**
     * One timed operation.
     *
     * @param ratio the median ratio as the timing rule's message writes it (1.22x)
     * @param ci    its interval (TimingReport.INTERVAL_LEVEL), 1.1-1.3x
     */
    public record TimingRow(String chartId, String operation, String batch, String original, String modified, String ratio, String ci,
                            String pairs, String warmup, boolean borderline) {}

    /**
     * "Time per layer": the layers that added the most training time first, at most {@link #SHOWN} (the JSON report has
     * every layer), and how the per-layer sums compare with the whole calls.
     *
     * @param training,inference "per-layer sum 60.1 -> 80.2 ms, whole call 65.8 -> 85.1 ms (gap 5.7 / 4.9 ms)"
     * @param more               "3 more layers in the JSON report", or null
     * @param elapsed            what the per-layer passes took, "1.2 s"
     */
    public record LayerTimesView(String trainingPass, String training, String inferencePass, String inference, List<LayerTimeRow> rows, String more,
                                 String elapsed) {
        static final int SHOWN = 5;

        static LayerTimesView of(TimingReport.LayerTimes l) {
            List<TimingReport.LayerTime> all = l.byAddedTime();
            List<LayerTimeRow> rows = all.stream().limit(SHOWN).map(x -> new LayerTimeRow(x.layer(), x.change(), Numbers.value(x.originalMs()),
                    Numbers.value(x.modifiedMs()), x.ratio() == null ? Numbers.NONE : Numbers.ratio(x.ratio()),
                    x.share() == null ? Numbers.NONE : Numbers.percent(x.share()),
                    Numbers.value(x.inferenceOriginalMs()) + " -> " + Numbers.value(x.inferenceModifiedMs()))).toList();
            return new LayerTimesView(l.training().pass() + ", " + pairs(l.training().pairs()), sum(l.training()),
                    l.inference().pass() + ", " + pairs(l.inference().pairs()), sum(l.inference()), rows,
                    all.size() > SHOWN ? (all.size() - SHOWN) + (all.size() - SHOWN == 1 ? " more layer" : " more layers") + " in the JSON report" : null,
                    Numbers.seconds(l.elapsedMs()));
        }

        private static String pairs(int n) {
            return n + (n == 1 ? " pair" : " pairs");
        }

        private static String sum(TimingReport.LayerSum s) {
            return "per-layer sum " + Numbers.value(s.originalMs()) + " -> " + Numbers.value(s.modifiedMs()) + " ms, whole call "
                    + Numbers.value(s.wholeOriginalMs()) + " -> " + Numbers.value(s.wholeModifiedMs()) + " ms (gap "
                    + Numbers.value(s.originalGapMs()) + " / " + Numbers.value(s.modifiedGapMs()) + " ms)";
        }
    }

    /** @param share this layer's part of the added training time; inference: "original -> modified" ms */
    public record LayerTimeRow(String layer, String change, String original, String modified, String ratio, String share, String inference) {}

    /** Where the check ran. */
    public record EnvironmentView(String backend, String device, String threads, String java, String os, String modelgate, String libraries) {
        static EnvironmentView of(Environment e) {
            return new EnvironmentView(e.backend(), e.device() == null || e.device().isBlank() ? null : e.device(), e.threads(), e.java(), e.os(),
                    e.modelgate(), e.libraries().isEmpty() ? null : e.librariesText());
        }

        /** "backend cpu, device DEVICE, threads 1, java 17.0.2, modelgate 0.1.0" (no device in reports written before it was recorded). */
        public String line() {
            return "backend " + backend + (device == null ? "" : ", device " + device) + ", threads " + threads + ", java " + java + ", modelgate " + modelgate;
        }

        /** "libraries: deeplearning4j 1.0.0-M2.1, ...", or null when the report names none. */
        public String librariesLine() {
            return libraries == null ? null : "libraries: " + libraries;
        }
    }

    /** Where the check's time went: one phase. */
    public record Phase(String name, long ms, String duration) {
        static List<Phase> of(Map<String, Long> phases) {
            List<Phase> out = new ArrayList<>();
            phases.forEach((k, v) -> out.add(new Phase(k, v, Numbers.seconds(v))));
            return out;
        }

        /** Seconds with three decimals. */
        public String seconds() { return Numbers.decimalSeconds(ms); }
    }

    /**
     * The measurements as numbers for charts, picked out of the report, shaped as the page's chart code reads them
     * (serialized as they are; a missing or non-finite value is null).
     *
     * @param activations per layer of the diff, [min, max] or null; null without health data
     * @param gradients   per layer with gradients; null without health data
     * @param loss        loss per iteration; null without health data
     * @param timing      null when not timed
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Charts(Structure structure, Activations activations, Gradients gradients, Series loss, HeldOut heldOut, List<TimingChart> timing) {
        /** Held-out metric after each epoch, one curve per seed and model. */
        public record HeldOut(String metric, List<List<Double>> original, List<List<Double>> modified) {}

        /** One number per layer (or iteration) of each model. */
        public record Series(List<Double> original, List<Double> modified) {}

        public record Structure(List<String> labels, List<String> kinds, Series params, Series macs) {}

        public record Activations(List<String> labels, List<double[]> originalInitial, List<double[]> originalTrained,
                                  List<double[]> modifiedInitial, List<double[]> modifiedTrained) {}

        /** @param limits the rule limits that apply to these series (the L2 norms), as dashed lines */
        public record Gradients(List<String> labels, List<Double> peakOriginal, List<Double> peakModified, List<Double> medianOriginal,
                                List<Double> medianModified, List<Limit> limits) {}

        public record Limit(String label, double value) {}

        /** Milliseconds per call. */
        public record Summary(Double median, Double q1, Double q3) {}

        public record TimingChart(String id, String operation, int batch, Summary original, Summary modified, String ratio, String ci,
                                  int pairs, boolean borderline) {}

        /** The gradient rules whose limit applies to the charted series, and which series: the L2 norms the chart shows. */
        private static final List<String> GRADIENT_RULES = List.of("gradient-explosion", "gradient-vanishing");
        private static final String L2 = "l2";

        static Charts of(CheckReport r) {
            List<String> labels = new ArrayList<>(), kinds = new ArrayList<>();
            List<Double> po = new ArrayList<>(), pm = new ArrayList<>(), mo = new ArrayList<>(), mm = new ArrayList<>();
            for (LayerChange c : r.diff()) {
                labels.add(c.name());
                kinds.add(c.kind().label());
                Optional<LayerInfo> a = c.original() == null ? Optional.empty() : r.original().layer(c.original());
                Optional<LayerInfo> b = c.modified() == null ? Optional.empty() : r.modified().layer(c.modified());
                po.add(a.map(l -> (double) l.params()).orElse(null));
                pm.add(b.map(l -> (double) l.params()).orElse(null));
                mo.add(a.map(l -> (double) l.macs()).orElse(null));
                mm.add(b.map(l -> (double) l.macs()).orElse(null));
            }
            Structure structure = new Structure(labels, kinds, new Series(po, pm), new Series(mo, mm));

            HealthReport ho = r.original().health(), hm = r.modified().health();
            Activations activations = null;
            Gradients gradients = null;
            Series loss = null;
            if (ho != null && hm != null) {
                List<String> al = new ArrayList<>(), gl = new ArrayList<>();
                List<double[]> oi = new ArrayList<>(), ot = new ArrayList<>(), mi = new ArrayList<>(), mt = new ArrayList<>();
                List<Double> gpo = new ArrayList<>(), gpm = new ArrayList<>(), gmo = new ArrayList<>(), gmm = new ArrayList<>();
                for (LayerChange c : r.diff()) {
                    String a = c.original(), b = c.modified();
                    al.add(c.name());
                    oi.add(range(a == null ? null : ho.initial(a).orElse(null)));
                    ot.add(range(a == null ? null : ho.trained(a).orElse(null)));
                    mi.add(range(b == null ? null : hm.initial(b).orElse(null)));
                    mt.add(range(b == null ? null : hm.trained(b).orElse(null)));
                    LayerGradients ga = a == null ? null : ho.gradients(a).orElse(null);
                    LayerGradients gb = b == null ? null : hm.gradients(b).orElse(null);
                    if (ga == null && gb == null) continue; // a layer without parameters has no gradients to chart
                    gl.add(c.name());
                    gpo.add(finite(ga == null ? null : ga.peakL2()));
                    gpm.add(finite(gb == null ? null : gb.peakL2()));
                    gmo.add(finite(ga == null ? null : ga.medianWeightL2()));
                    gmm.add(finite(gb == null ? null : gb.medianWeightL2()));
                }
                activations = new Activations(al, oi, ot, mi, mt);
                List<Limit> limits = new ArrayList<>();
                for (String rule : GRADIENT_RULES) {
                    judged(r, rule).filter(x -> x.statistic() == null || x.statistic().equals(L2))
                            .ifPresent(x -> limits.add(new Limit(rule + " limit " + Numbers.value(x.threshold()), x.threshold())));
                }
                gradients = new Gradients(gl, gpo, gpm, gmo, gmm, limits);
                loss = new Series(ho.losses().stream().map(Charts::finite).toList(), hm.losses().stream().map(Charts::finite).toList());
            }

            List<TimingChart> timing = null;
            if (r.timing() != null) {
                timing = new ArrayList<>();
                TimingView tv = TimingView.of(r.timing());
                List<TimingReport.Measurement> ms = List.of(r.timing().training(), r.timing().inference());
                for (int i = 0; i < ms.size(); i++) {
                    TimingReport.Measurement m = ms.get(i);
                    TimingRow row = tv.rows().get(i);
                    timing.add(new TimingChart(row.chartId(), m.operation(), m.batchSize(), summary(m.original()), summary(m.modified()),
                            row.ratio(), row.ci(), m.pairs(), m.borderline()));
                }
            }
            HeldOut heldOut = null;
            EvaluationReport eo = r.original().evaluation(), em = r.modified().evaluation();
            if (eo != null && em != null && eo.skipped() == null && em.skipped() == null) {
                heldOut = new HeldOut(eo.classification() ? "held-out accuracy" : "held-out mean squared error",
                        eo.seeds().stream().map(x -> x.curveMetric().stream().map(Charts::finite).toList()).toList(),
                        em.seeds().stream().map(x -> x.curveMetric().stream().map(Charts::finite).toList()).toList());
            }
            return new Charts(structure, activations, gradients, loss, heldOut, timing);
        }

        /**
         * Why a gradient rule's limit is not drawn: it judged a statistic the chart does not show (max-abs under
         * {@code statistic: max-abs}); null when every limit is drawn.
         */
        static String gradientNote(CheckReport r) {
            List<String> notes = new ArrayList<>();
            for (String rule : GRADIENT_RULES) {
                judged(r, rule).filter(x -> x.statistic() != null && !x.statistic().equals(L2))
                        .ifPresent(x -> notes.add(rule + " judged the " + x.statistic() + " statistic (limit " + Numbers.value(x.threshold())
                                + "), which these L2 norms are not; its limit is not drawn"));
            }
            return notes.isEmpty() ? null : String.join("; ", notes) + ".";
        }

        /** The first result of a rule that has a limit. */
        private static Optional<RuleResult> judged(CheckReport r, String rule) {
            return r.results().stream().filter(x -> x.rule().equals(rule) && x.threshold() != null).findFirst();
        }

        private static double[] range(ActivationStats s) {
            if (s == null || !Double.isFinite(s.min()) || !Double.isFinite(s.max())) return null;
            return new double[] {s.min(), s.max()};
        }

        private static Summary summary(TimingReport.Summary s) {
            return new Summary(finite(s.medianMs()), finite(s.q1Ms()), finite(s.q3Ms()));
        }

        private static Double finite(Double v) {
            return v == null || !Double.isFinite(v) ? null : v;
        }
    }
}
