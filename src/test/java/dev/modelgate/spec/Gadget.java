package dev.modelgate.spec;

/**
 * A class whose loading is observable from outside it (a system property: reading a field of this class would load
 * it): a config that names it must never get it loaded.
 */
public class Gadget {
    static {
        System.setProperty("modelgate.test.gadget.loaded", "true");
    }

    public Gadget() {}
}
