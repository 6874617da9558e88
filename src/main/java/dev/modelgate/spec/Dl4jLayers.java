package dev.modelgate.spec;

import org.deeplearning4j.nn.conf.layers.Layer;

/** What modelgate needs to know of DL4J's layer configuration classes in more than one place. */
public final class Dl4jLayers {
    private Dl4jLayers() {}

    /** The layer a wrapper (frozen, bidirectional, last-time-step, mask, time-distributed) wraps; the layer itself otherwise. */
    public static Layer unwrapped(Layer layer) {
        Layer l = layer;
        for (int depth = 0; depth < 8; depth++) {
            if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayer f) l = f.getLayer();
            else if (l instanceof org.deeplearning4j.nn.conf.layers.misc.FrozenLayerWithBackprop f) l = f.getUnderlying();
            else if (l instanceof org.deeplearning4j.nn.conf.layers.wrapper.BaseWrapperLayer w) l = w.getUnderlying();
            else if (l instanceof org.deeplearning4j.nn.conf.layers.recurrent.Bidirectional b) l = b.getFwd();
            else if (l instanceof org.deeplearning4j.nn.conf.layers.recurrent.LastTimeStep t) l = t.getUnderlying();
            else break;
        }
        return l;
    }

}
