package dev.modelgate.check;

import dev.modelgate.probe.LayerMatcher;
import dev.modelgate.probe.SmokeProbe;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Evidence;
import dev.modelgate.rule.Rule;
import dev.modelgate.rule.RuleRegistry;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The core API: measures an original and a modified model, applies every rule to the modified one and returns the
 * report. Bad input surfaces as {@link dev.modelgate.spec.SpecException} or
 * {@link dev.modelgate.model.ModelRunException}; the caller decides how to show it.
 */
public final class Checker {
    static final String STATIC_SKIP = "--static: nothing was run";
    static final String NOT_MEASURED = "not measured: this version runs each model once but does not yet measure timing, activations or gradients";

    private final Thresholds thresholds;

    public Checker(Thresholds thresholds) {
        this.thresholds = thresholds;
    }

    public CheckReport check(Path original, Path modified, CheckOptions options) {
        ResolvedModel a = ModelLoader.loadResolved(original, options.inputShape());
        ResolvedModel b = ModelLoader.loadResolved(modified, options.inputShape());
        ModelReport ra = measure(a, options);
        ModelReport rb = measure(b, options);
        List<LayerChange> diff = LayerMatcher.match(ra.layers(), rb.layers());
        Evidence evidence = new Evidence(ra, rb, diff, options.staticOnly() ? STATIC_SKIP : NOT_MEASURED);
        List<RuleResult> results = new ArrayList<>();
        for (Rule rule : RuleRegistry.build(thresholds)) {
            if (rule.severity() == Severity.OFF) {
                results.add(RuleResult.skip(rule.id(), rule.metadata().defaultSeverity(), "turned off in the config (severity: off)"));
            } else {
                results.addAll(rule.evaluate(evidence));
            }
        }
        return new CheckReport(CheckReport.SCHEMA, Verdict.of(results), options.staticOnly() ? "static" : "run", ra, rb, diff,
                results, environment(options));
    }

    /** The structure of one model alone, and its smoke run unless static: what {@code modelgate inspect} shows. */
    public static ModelReport inspect(Path model, CheckOptions options) {
        return measure(ModelLoader.loadResolved(model, options.inputShape()), options);
    }

    private static ModelReport measure(ResolvedModel model, CheckOptions options) {
        ModelReport r = StructureProbe.measure(model);
        if (options.staticOnly()) return r;
        return r.withSmoke(SmokeProbe.run(model, options.seed()));
    }

    public static Environment environment(CheckOptions options) {
        String threads = System.getenv("OMP_NUM_THREADS");
        return new Environment(options.staticOnly() ? "none (static)" : "cpu",
                threads == null ? "default (OMP_NUM_THREADS unset)" : threads,
                System.getProperty("java.version"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                Version.get());
    }
}
