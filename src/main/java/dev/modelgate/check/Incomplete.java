package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.rule.RuleRegistry;
import dev.modelgate.rule.RuleMetadata;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Hdf5Reader;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The report of a check that a limit stopped while the models ran: everything the structure decides (judged in this
 * JVM, nothing built), and the runtime rules as ERROR with the reason, so that a user learns the structural verdict
 * and how far the check got instead of a bare error line.
 */
final class Incomplete {
    private Incomplete() {}

    /** @param hdf5 reads Keras HDF5 files (this JVM never does: a worker) */
    static CheckReport report(Path original, Path modified, CheckOptions options, Path thresholdsFile, BadInputException stop, Hdf5Reader hdf5) {
        Thresholds t = thresholdsFile == null ? Thresholds.defaults() : Thresholds.defaults().overlay(thresholdsFile);
        CheckReport structural = new Checker(t, null, hdf5).check(original, modified, options.withStaticOnly(true));
        Set<String> runtime = RuleRegistry.all().stream().filter(RuleMetadata::runtime).map(RuleMetadata::id).collect(Collectors.toSet());
        List<RuleResult> results = new ArrayList<>();
        for (RuleResult r : structural.results()) {
            if (runtime.contains(r.rule()) && r.status() == Status.SKIP && !r.message().startsWith("turned off")) {
                results.add(RuleResult.notMeasured(r.rule(), r.severity(), stop.problem()));
            } else {
                results.add(r);
            }
        }
        return new CheckReport(structural.original(), structural.modified(), structural.diff(), results, null, structural.environment(),
                structural.phases());
    }
}
