package dev.modelgate.spec;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.Serializable;

/** A serializable object whose deserialization is observable (a system property): a zip carrying it must never get it read. */
public class SerialCanary implements Serializable {
    private static final long serialVersionUID = 1L;
    static final String PROPERTY = "modelgate.test.canary.deserialized";

    private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
        in.defaultReadObject();
        System.setProperty(PROPERTY, "true");
    }
}
