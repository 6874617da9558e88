package dev.modelgate.check;

import dev.modelgate.report.CheckReport;

import java.nio.file.Path;

/** Runs checks: in this JVM ({@link Checker}) or in a worker JVM ({@link WorkerRunner}). */
public interface CheckRunner extends AutoCloseable {
    CheckReport check(Path original, Path modified, CheckOptions options);

    @Override
    default void close() {}
}
