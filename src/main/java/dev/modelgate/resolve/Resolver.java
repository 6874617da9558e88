package dev.modelgate.resolve;

import dev.modelgate.io.FileScope;
import dev.modelgate.probe.LayerMatcher;
import dev.modelgate.probe.StructureProbe;
import dev.modelgate.report.LayerChange;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.Hdf5Reader;
import dev.modelgate.spec.KerasReader;
import dev.modelgate.spec.ModelSpec;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.InputShapes;
import dev.modelgate.spec.Shape;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The resolve stage: turns two files into a {@link ResolvedPair}: both models loaded (from whichever source their
 * content shows), each with the loss it trains with, the modified one with the starting weights it takes from the
 * original ({@code init: from-original}), their structures and how their layers correspond. Everything after this
 * stage works on the pair; nothing here is built or run.
 */
public final class Resolver {
    private Resolver() {}

    /**
     * @param inputShape used only where a config does not determine its own
     * @param loss       {@code --loss}: the loss for a Keras model saved without a training config, or empty
     * @param files      where the files a spec names may be
     * @param hdf5       reads Keras HDF5 files (a worker JVM, outside one)
     */
    public static ResolvedPair resolve(Path original, Path modified, InputShapes inputShape, Optional<String> loss, FileScope files, Hdf5Reader hdf5) {
        return resolve(original, modified, new ModelLoader.Given(inputShape, Optional.empty()), loss, files, hdf5);
    }

    /** @param inputShape what the command line gives every model: input shapes and data ({@code --data}) */
    public static ResolvedPair resolve(Path original, Path modified, ModelLoader.Given inputShape, Optional<String> loss, FileScope files, Hdf5Reader hdf5) {
        KerasReader.LossChoice given = loss.map(l -> new KerasReader.LossChoice(l, "from --loss")).orElse(KerasReader.LossChoice.NONE);
        ResolvedModel a0 = ModelLoader.loadResolved(original, inputShape, given, files, hdf5), b0 = ModelLoader.loadResolved(modified, inputShape, given, files, hdf5);
        // A Keras model saved without a training config has no loss; it borrows the other model's, so that both
        // train on the same objective, before falling back to one assumed from its activation. The loss is part of
        // the DL4J configuration DL4J's import builds, so the borrowing side is read again with it.
        ResolvedModel a = a0.spec().lossAssumed() && !b0.spec().lossAssumed()
                ? ModelLoader.loadResolved(original, inputShape, lossOf(b0, "the modified model"), files, hdf5) : a0;
        ResolvedModel b1 = b0.spec().lossAssumed() && !a0.spec().lossAssumed()
                ? ModelLoader.loadResolved(modified, inputShape, lossOf(a0, "the original model"), files, hdf5) : b0;
        ModelReport sa = StructureProbe.measure(a), sb = StructureProbe.measure(b1);
        List<LayerChange> diff = LayerMatcher.match(sa.layers(), sb.layers());
        if (!b1.spec().initFromOriginal()) return new ResolvedPair(a, b1, sa, sb, diff);
        ResolvedModel b = withTransfer(a, sa, b1, sb, diff);
        // The same structure, with the transfer's note.
        return new ResolvedPair(a, b, sa, sb.withNotes(b.spec().notes()), diff);
    }

    /** One model alone, as {@code inspect} sees it. */
    public static ResolvedModel resolve(Path model, ModelLoader.Given inputShape, Optional<String> loss, FileScope files, Hdf5Reader hdf5) {
        return ModelLoader.loadResolved(model, inputShape, loss.map(l -> new KerasReader.LossChoice(l, "from --loss")).orElse(KerasReader.LossChoice.NONE), files, hdf5);
    }

    private static KerasReader.LossChoice lossOf(ResolvedModel other, String which) {
        String loss = other.spec().head().map(ModelSpec.Head::loss).orElse(null);
        return new KerasReader.LossChoice(loss, "from " + which + ", " + other.spec().source().getFileName());
    }

    /**
     * {@code init: from-original}: each modified layer matched to an original layer with the same type, input and
     * output shapes and parameter count starts from the original's parameters (its trained ones for a model zip or
     * HDF5 file); the rest initialize as configured. Which is which goes into the modified model's notes.
     */
    public static ResolvedModel withTransfer(ResolvedModel original, ModelReport so, ResolvedModel modified, ModelReport sm, List<LayerChange> diff) {
        Map<String, String> copied = new LinkedHashMap<>();
        List<String> fresh = new ArrayList<>();
        for (LayerChange c : diff) {
            if (c.modified() == null) continue;
            var m = sm.layer(c.modified()).orElseThrow();
            if (m.params() == 0) continue;
            var o = c.original() == null ? null : so.layer(c.original()).orElse(null);
            if (o != null && o.type().equals(m.type()) && o.params() == m.params() && o.inputShapes().equals(m.inputShapes())
                    && o.outputShape().equals(m.outputShape())) {
                copied.put(m.name(), o.name());
            } else {
                fresh.add(m.name() + (o == null ? " (new)" : " (" + (o.type().equals(m.type()) ? "shape" : "type") + " differs)"));
            }
        }
        String from = original.spec().weights() != null ? "trained weights of " + original.spec().source().getFileName()
                : "initial weights of " + original.spec().source().getFileName() + ", which has no trained weights";
        String note = "init: from-original: " + (copied.isEmpty() ? "no layer" : String.join(", ", copied.keySet())) + (copied.size() == 1 ? " starts" : " start") + " from the " + from
                + (fresh.isEmpty() ? "" : "; initialized as configured: " + String.join(", ", fresh));
        return modified.withTransfer(new ResolvedModel.Transfer(original, copied), modified.spec().withNote(note, modified.spec().lossAssumed()));
    }
}
