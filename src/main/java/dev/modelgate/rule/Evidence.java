package dev.modelgate.rule;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;

import java.util.List;

/**
 * What rules judge: both models' measurements and how their layers correspond. Rules read evidence; they never measure.
 *
 * @param runtimeSkipReason why runtime measurements are absent (e.g. "--static: nothing was run"), or null when present
 */
public record Evidence(ModelReport original, ModelReport modified, List<LayerChange> diff, String runtimeSkipReason) {
    public Evidence {
        diff = List.copyOf(diff);
    }
}
