package dev.modelgate.spec;

/** A Keras model saved with {@code model.save("m.h5")}: configuration, weights and training config, through DL4J's import. */
final class KerasHdf5Source implements ModelSource {
    @Override public String name() { return "Keras HDF5 file"; }

    @Override public boolean accepts(SourceFile f) { return KerasReader.isHdf5(f.path()); }

    @Override public ModelSpec read(SourceFile f, KerasReader.LossChoice loss) { return KerasReader.fromHdf5(f.path(), loss, f.kerasConfigs()); }
}
