package dev.modelgate.render;

import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.Environment;
import dev.modelgate.report.HealthReport;
import dev.modelgate.report.LayerGradients;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.text.Numbers;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@code modelgate inspect} shows of one model, derived and formatted once: every layer with its shapes,
 * parameters and MACs, and the health of the model when it ran.
 *
 * @param environment where it was measured, or null when not said
 */
public record ModelView(CheckView.ModelLine model, List<Layer> layers, Health health, CheckView.EnvironmentView environment) {

    public static ModelView of(ModelReport m, Environment environment) {
        List<Layer> layers = new ArrayList<>();
        for (LayerInfo l : m.layers()) {
            layers.add(new Layer(l.name(), l.type(), String.join(",", l.inputs()), String.join(" + ", l.inputShapes()), l.outputShape(),
                    Numbers.count(l.params()), Numbers.compact(l.macs()), l.summary()));
        }
        return new ModelView(CheckView.ModelLine.of("model", m), layers, m.health() == null ? null : Health.of(m),
                environment == null ? null : CheckView.EnvironmentView.of(environment));
    }

    public record Layer(String name, String type, String inputs, String inputShapes, String output, String params, String macs, String settings) {}

    /**
     * @param nonFiniteParams "12" NaN/Inf parameters after training, or null when there are none
     */
    public record Health(String iterations, String batch, String loss, List<HealthRow> rows, String dl4jParams, String nonFiniteParams) {
        static Health of(ModelReport m) {
            HealthReport h = m.health();
            List<HealthRow> rows = new ArrayList<>();
            for (LayerInfo l : m.layers()) {
                ActivationStats i = h.initial(l.name()).orElse(null), tr = h.trained(l.name()).orElse(null);
                LayerGradients g = h.gradients(l.name()).orElse(null);
                long bad = (i == null ? 0 : i.nan() + i.inf()) + (tr == null ? 0 : tr.nan() + tr.inf()) + (g == null ? 0 : g.nonFinite());
                rows.add(new HealthRow(l.name(), CheckView.range(i), CheckView.range(tr), tr == null ? "" : Numbers.percent(tr.zeroFraction()),
                        tr == null || tr.saturatedFraction() == null ? "" : Numbers.percent(tr.saturatedFraction()),
                        g == null ? "" : Numbers.sci(g.peakL2()), g == null ? "" : CheckView.medianWeightGradient(g),
                        bad == 0 ? "" : Numbers.count(bad)));
            }
            return new Health(Integer.toString(h.iterations()), Integer.toString(h.batchSize()), CheckView.loss(h), rows,
                    Numbers.count(h.dl4jParams()), h.nonFiniteParams() > 0 ? Numbers.count(h.nonFiniteParams()) : null);
        }
    }

    public record HealthRow(String layer, String initial, String trained, String zeros, String saturated, String peak, String median, String nonFinite) {}
}
