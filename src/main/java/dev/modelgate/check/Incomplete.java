package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Hdf5Reader;

import java.nio.file.Path;
import java.util.Map;

/**
 * The report of a check that a limit stopped while the models ran: everything the structure decides (judged in this
 * JVM, nothing built), the health the worker measured before the stop judged too, and the rules it did not get to
 * as ERROR with the reason, so that a user learns the verdict so far and how far the check got instead of a bare
 * error line.
 */
final class Incomplete {
    private Incomplete() {}

    /**
     * @param hdf5     reads Keras HDF5 files (this JVM never does: a worker)
     * @param measured the health the worker sent before the stop, by role ({@link Checker#ORIGINAL}, {@link Checker#MODIFIED})
     */
    static CheckReport report(Path original, Path modified, CheckOptions options, Path thresholdsFile, BadInputException stop, Hdf5Reader hdf5,
                              Map<String, ModelReport> measured) {
        Thresholds t = thresholdsFile == null ? Thresholds.defaults() : Thresholds.defaults().overlay(thresholdsFile);
        return new Checker(t, null, hdf5).stopped(original, modified, options, measured, stop.problem());
    }
}
