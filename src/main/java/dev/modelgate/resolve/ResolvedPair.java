package dev.modelgate.resolve;

import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ResolvedModel;

import java.util.List;

/**
 * What the resolve stage hands on: both models ready to build, their structures (measured once, here) and the layer
 * correspondence (matched once, here; the transfer and the rules use the same one).
 */
public record ResolvedPair(ResolvedModel original, ResolvedModel modified, ModelReport originalStructure,
                           ModelReport modifiedStructure, List<LayerChange> diff) {
    public ResolvedPair {
        diff = List.copyOf(diff);
    }
}
