package dev.modelgate.probe;

import dev.modelgate.model.Dl4jErrors;
import dev.modelgate.model.ModelRunException;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ResolvedModel;

/**
 * Builds a model and runs one inference pass and one forward-backward pass on a small synthetic batch: the
 * cheapest proof that DL4J accepts the config (DL4J finds some shape errors only at the first forward pass).
 */
public final class SmokeProbe {
    /** Small on purpose: this proves the model runs; it measures nothing. */
    public static final int BATCH = 2;

    private SmokeProbe() {}

    public static ModelReport.SmokeRun run(ResolvedModel model, java.util.OptionalLong seedOverride) {
        long seed = seedOverride.orElse(model.spec().training().seed());
        Network net = NetworkFactory.build(model, seedOverride);
        SyntheticData.Batch batch = SyntheticData.batch(model, BATCH, seed);
        try {
            net.output(batch.features());
            double loss = net.computeGradientAndScore(batch.features(), batch.labels());
            return new ModelReport.SmokeRun(BATCH, loss, net.numParams());
        } catch (ModelRunException e) {
            throw e;
        } catch (RuntimeException e) {
            throw Dl4jErrors.translate(model, "running", e);
        }
    }
}
