package dev.modelgate.check;

import dev.modelgate.spec.ModelLoader;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Every file a run reads, known before it measures anything: the models, what the specs name (CSV data, baselines),
 * the thresholds file, and for an audit every model of its folder and the baseline given for all. The output policy
 * ({@link dev.modelgate.io.OutputPolicy}) refuses to write a report over any of them.
 */
public final class RunInputs {
    private RunInputs() {}

    /** What {@code check} or {@code inspect} of {@code models} reads. */
    public static Set<Path> ofModels(Collection<Path> models, Path thresholds, CheckOptions options) {
        Set<Path> in = new LinkedHashSet<>();
        for (Path m : models) {
            in.add(m);
            in.addAll(ModelLoader.referencedFiles(m, options.files()));
        }
        if (thresholds != null) in.add(thresholds);
        return in;
    }

    /** What {@code audit} of {@code folder} reads ({@code baseline}: the one given for all, or null). */
    public static Set<Path> ofAudit(Path folder, Path baseline, Path thresholds, CheckOptions options) {
        Set<Path> models = new LinkedHashSet<>();
        if (Files.isDirectory(folder)) models.addAll(Auditor.discover(folder));
        if (baseline != null) models.add(baseline);
        return ofModels(models, thresholds, options.withDataRoot(folder));
    }
}
