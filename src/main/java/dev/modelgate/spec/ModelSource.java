package dev.modelgate.spec;

/**
 * One kind of model file modelgate reads. The kind is detected from the content, never the file name: each source
 * says whether it reads a file ({@link #accepts}), and {@link ModelSources} asks them in order. A new kind (ONNX,
 * say) is one class implementing this and one line in {@link ModelSources}.
 */
public interface ModelSource {
    /** What the source reads, for messages and docs: "DL4J model zip", "Keras HDF5 file", ... */
    String name();

    /** Whether this source reads the file; only cheap looks at its content (magic bytes, top-level keys). */
    boolean accepts(SourceFile file);

    /**
     * Reads the model.
     *
     * @param loss the loss for a model whose file has none of its own (Keras without a training config); other
     *             sources ignore it
     */
    ModelSpec read(SourceFile file, KerasReader.LossChoice loss);
}
