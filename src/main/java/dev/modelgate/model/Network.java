package dev.modelgate.model;

import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.nd4j.linalg.api.ndarray.INDArray;

/** A built, initialized DL4J network, whichever of DL4J's two network classes it is. */
public final class Network {
    private final MultiLayerNetwork multiLayer;
    private final ComputationGraph graph;

    Network(MultiLayerNetwork multiLayer) {
        this.multiLayer = multiLayer;
        this.graph = null;
    }

    Network(ComputationGraph graph) {
        this.multiLayer = null;
        this.graph = graph;
    }

    public Model model() { return multiLayer != null ? multiLayer : graph; }

    public long numParams() { return multiLayer != null ? multiLayer.numParams() : graph.numParams(); }

    /** Inference-mode forward pass. */
    public INDArray output(INDArray x) {
        return multiLayer != null ? multiLayer.output(x, false) : graph.outputSingle(false, x);
    }

    /** One training-mode forward and backward pass without updating parameters; returns the loss. */
    public double computeGradientAndScore(INDArray x, INDArray labels) {
        if (multiLayer != null) {
            multiLayer.setInput(x);
            multiLayer.setLabels(labels);
            multiLayer.computeGradientAndScore();
            return multiLayer.score();
        }
        graph.setInputs(x);
        graph.setLabels(labels);
        graph.computeGradientAndScore();
        return graph.score();
    }
}
