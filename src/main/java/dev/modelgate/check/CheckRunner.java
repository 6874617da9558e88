package dev.modelgate.check;

import dev.modelgate.report.CheckReport;
import dev.modelgate.spec.Hdf5Reader;

import java.nio.file.Path;

/** Runs checks: in this JVM ({@link Checker}) or in a worker JVM ({@link WorkerRunner}). */
public interface CheckRunner extends AutoCloseable {
    CheckReport check(Path original, Path modified, CheckOptions options);

    /** How this runner reads Keras HDF5 files for work done in this JVM (reading configs, static checks). */
    Hdf5Reader hdf5Reader();

    @Override
    default void close() {}
}
