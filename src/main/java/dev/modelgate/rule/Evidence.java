package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.TimingReport;

import java.util.List;

/**
 * What rules judge: both models' measurements and how their layers correspond. Rules read evidence; they never measure.
 *
 * @param runtimeSkipReason why runtime measurements are absent (e.g. "--static: nothing was run"), or null when present
 * @param timing            the interleaved timing of both models, or null when not timed
 */
public record Evidence(ModelReport original, ModelReport modified, List<LayerChange> diff, String runtimeSkipReason, TimingReport timing) {
    public Evidence {
        diff = List.copyOf(diff);
    }

    /** Evidence about one model alone, as if it were the modified one: for rules that judge a single model. */
    public Evidence alone(ModelReport model) {
        return new Evidence(model, model, List.of(), runtimeSkipReason, timing);
    }
}
