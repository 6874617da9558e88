package dev.modelgate.spec;

import java.nio.file.Path;

/**
 * Reads what modelgate needs from a Keras HDF5 file: its model config and training config, as JSON text. HDF5 is a
 * C library, and a damaged file can crash it (SIGSEGV) or hang it; so the main JVM never calls it: it asks a worker
 * JVM ({@code check.WorkerRunner}), which answers within a timeout and whose crash costs that one file. The worker
 * itself, and {@code --isolation none}, read {@link #IN_THIS_JVM}.
 */
public interface Hdf5Reader extends AutoCloseable {
    /**
     * A Keras model's configs as DL4J's import reads them from the file ({@code model_config} with the Keras version
     * and backend added, and {@code training_config}, null when the model was not compiled).
     */
    record KerasConfigs(String model, String training) {}

    KerasConfigs kerasConfigs(Path file);

    /** Ends whatever process reads for this JVM; nothing for {@link #IN_THIS_JVM}. */
    @Override
    default void close() {}

    /** Whether the file is HDF5 (by its magic bytes, read in Java): the files a reader is needed for. */
    static boolean isHdf5(Path file) {
        return KerasReader.isHdf5(file);
    }

    /** The HDF5 library in this JVM: for a worker JVM (its crash is contained) and {@code --isolation none}. */
    Hdf5Reader IN_THIS_JVM = KerasReader::readHdf5;
}
