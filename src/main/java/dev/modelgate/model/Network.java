package dev.modelgate.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A built, initialized DL4J network, whichever of DL4J's two network classes it is, with its layers addressed by
 * the names modelgate gives them.
 */
public final class Network {
    private final MultiLayerNetwork multiLayer;
    private final ComputationGraph graph;
    /** For a MultiLayerNetwork: modelgate's name of each DL4J layer index (preprocessors have no index). */
    private final List<String> layerNames;

    Network(MultiLayerNetwork multiLayer, List<String> layerNames) {
        this.multiLayer = multiLayer;
        this.graph = null;
        this.layerNames = List.copyOf(layerNames);
    }

    Network(ComputationGraph graph) {
        this.multiLayer = null;
        this.graph = graph;
        this.layerNames = List.of();
    }

    public Model model() { return multiLayer != null ? multiLayer : graph; }

    public long numParams() { return multiLayer != null ? multiLayer.numParams() : graph.numParams(); }

    public INDArray params() { return model().params(); }

    /** Inference-mode forward pass. */
    public INDArray output(INDArray x) {
        return multiLayer != null ? multiLayer.output(x, false) : graph.outputSingle(false, x);
    }

    /** One training iteration: forward, backward and an update with the model's own optimizer. */
    public void fit(INDArray x, INDArray labels) {
        if (multiLayer != null) multiLayer.fit(x, labels);
        else graph.fit(new INDArray[] {x}, new INDArray[] {labels});
    }

    /** The loss of the last training iteration or gradient computation. */
    public double score() {
        return multiLayer != null ? multiLayer.score() : graph.score();
    }


    public void setListeners(TrainingListener... listeners) {
        if (multiLayer != null) multiLayer.setListeners(listeners);
        else graph.setListeners(listeners);
    }

    /** Every layer's output for {@code x} in inference mode, keyed by modelgate's layer name, in model order. */
    public Map<String, INDArray> activations(INDArray x) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        if (multiLayer != null) {
            List<INDArray> acts = multiLayer.feedForward(x, false);
            for (int i = 0; i < layerNames.size(); i++) out.put(layerNames.get(i), acts.get(i + 1));
        } else {
            Map<String, INDArray> acts = graph.feedForward(x, false);
            for (String name : graph.getConfiguration().getTopologicalOrderStr()) {
                if (acts.containsKey(name) && !graph.getConfiguration().getNetworkInputs().contains(name)) out.put(name, acts.get(name));
            }
        }
        return out;
    }

    /**
     * modelgate's layer name for a DL4J gradient key ({@code 0_W} in a MultiLayerNetwork, {@code conv1_W} in a graph),
     * and the parameter's own name after the last '_'.
     */
    public String[] splitGradientKey(String key) {
        int cut = key.lastIndexOf('_');
        String layer = key.substring(0, cut), param = key.substring(cut + 1);
        if (multiLayer != null) layer = layerNames.get(Integer.parseInt(layer));
        return new String[] {layer, param};
    }
}
