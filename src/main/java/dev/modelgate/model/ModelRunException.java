package dev.modelgate.model;

/** A model that is valid on paper but that DL4J cannot build or run; the message names the layer where known. */
public class ModelRunException extends RuntimeException {
    public ModelRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
