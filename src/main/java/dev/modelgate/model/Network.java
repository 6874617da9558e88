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

    /** Inference-mode forward pass; one array per network input. */
    public INDArray output(INDArray... x) {
        return output(false, x);
    }

    /**
     * DL4J's own forward pass, with batch-norm (and dropout) in training mode where {@code training}: how DL4J itself
     * computes the output, to compare a layer-by-layer pass against.
     */
    public INDArray output(boolean training, INDArray... x) {
        if (multiLayer != null) return multiLayer.output(x[0], training);
        forBatchOf(x);
        return graph.outputSingle(training, x);
    }

    /**
     * DL4J 1.0.0-M2.1's preprocessor vertices reshape to the graph's batch size, which it takes from the labels of the
     * last fit, not from the input of an inference pass: a Keras Reshape (a PreprocessorVertex) trained at batch 4 then
     * failed at batch 1 ("Input shape [1, 1024] and target shape[4, 1, 1, 1024] do not match", MobileNet's head).
     */
    private void forBatchOf(INDArray... x) {
        graph.setInputs(x);
        graph.setLabels((INDArray) null);
    }

    /** One training iteration: forward, backward and an update with the model's own optimizer. */
    public void fit(INDArray[] x, INDArray labels) {
        if (multiLayer != null) multiLayer.fit(x[0], labels);
        else graph.fit(x, new INDArray[] {labels});
    }

    /**
     * Sets up the flat gradient array every layer's gradients are views of, where no training iteration has yet
     * (DL4J does it on the first fit): a layer's own backward pass needs it.
     */
    public void readyForBackward() {
        if (model().getGradientsViewArray() != null) return;
        if (multiLayer != null) multiLayer.initGradientsView();
        else graph.initGradientsView();
    }

    /** {@link #fit(INDArray[], INDArray)} for a model with one input. */
    public void fit(INDArray x, INDArray labels) {
        fit(new INDArray[] {x}, labels);
    }

    /**
     * The loss of a batch in inference mode, without training: DL4J's score (its loss function averaged over the
     * examples, plus the model's regularization terms).
     */
    public double score(INDArray[] x, INDArray labels) {
        if (multiLayer != null) return multiLayer.score(new org.nd4j.linalg.dataset.DataSet(x[0], labels), false);
        return graph.score(new org.nd4j.linalg.dataset.MultiDataSet(x, new INDArray[] {labels}), false);
    }

    /** The loss of the last training iteration or gradient computation. */
    public double score() {
        return multiLayer != null ? multiLayer.score() : graph.score();
    }


    /** The parameters of one layer by modelgate's name ({@code W}, {@code b}, ...), as views into the network's. */
    public Map<String, INDArray> paramTable(String layer) {
        if (multiLayer != null) {
            int i = layerNames.indexOf(layer);
            return i < 0 ? Map.of() : multiLayer.getLayer(i).paramTable();
        }
        org.deeplearning4j.nn.api.Layer l = graph.getLayer(layer);
        return l == null ? Map.of() : l.paramTable();
    }

    public void setListeners(TrainingListener... listeners) {
        if (multiLayer != null) multiLayer.setListeners(listeners);
        else graph.setListeners(listeners);
    }

    /**
     * Every layer's output for {@code x} in inference mode, keyed by modelgate's layer name, in model order.
     *
     * <p>In inference mode DL4J's ActivationLayer applies its function in place, to the array the layer before it
     * returned: after a full forward pass, a batch-norm followed by a ReLU reads as if it were ReLU'd itself (its
     * negative values gone). A layer whose output array is shared with a later layer is therefore measured again: in
     * a MultiLayerNetwork by a forward pass that stops at it, in a graph by running that vertex alone on copies of its
     * inputs.
     */
    public Map<String, INDArray> activations(INDArray... inputs) {
        Map<String, INDArray> out = new LinkedHashMap<>();
        INDArray x = inputs[0];
        if (multiLayer != null) {
            List<INDArray> acts = multiLayer.feedForward(x, false);
            for (int i = 0; i < layerNames.size(); i++) {
                INDArray a = acts.get(i + 1);
                if (sharedLater(a, acts.subList(i + 2, acts.size()))) a = multiLayer.feedForwardToLayer(i, x, false).get(i + 1);
                out.put(layerNames.get(i), a);
            }
        } else {
            forBatchOf(inputs);
            Map<String, INDArray> acts = graph.feedForward(inputs, false);
            List<String> order = new java.util.ArrayList<>();
            for (String name : graph.getConfiguration().getTopologicalOrderStr()) {
                if (acts.containsKey(name) && !graph.getConfiguration().getNetworkInputs().contains(name)) order.add(name);
            }
            for (int i = 0; i < order.size(); i++) {
                INDArray a = acts.get(order.get(i));
                List<INDArray> later = order.subList(i + 1, order.size()).stream().map(acts::get).toList();
                if (sharedLater(a, later)) a = forwardAlone(order.get(i), inputs, out);
                out.put(order.get(i), a);
            }
        }
        return out;
    }

    /** One graph vertex's inference output, from copies of its inputs' outputs (measured before, so intact). */
    private INDArray forwardAlone(String name, INDArray[] x, Map<String, INDArray> before) {
        org.deeplearning4j.nn.graph.vertex.GraphVertex v = graph.getVertex(name);
        org.deeplearning4j.nn.graph.vertex.VertexIndices[] in = v.getInputVertices();
        INDArray[] inputs = new INDArray[in.length];
        for (int j = 0; j < in.length; j++) {
            org.deeplearning4j.nn.graph.vertex.GraphVertex from = graph.getVertices()[in[j].getVertexIndex()];
            inputs[j] = (from.isInputVertex() ? x[graph.getConfiguration().getNetworkInputs().indexOf(from.getVertexName())]
                    : before.get(from.getVertexName())).dup();
        }
        var workspaces = org.deeplearning4j.nn.workspace.LayerWorkspaceMgr.noWorkspaces();
        for (int j = 0; j < inputs.length; j++) v.setInput(j, inputs[j], workspaces);
        if (v instanceof org.deeplearning4j.nn.graph.vertex.impl.LayerVertex lv) lv.applyPreprocessorAndSetInput(workspaces);
        try {
            return v.doForward(false, workspaces).dup();
        } finally {
            v.clear();
        }
    }

    private static boolean sharedLater(INDArray a, List<INDArray> later) {
        long address = a.data().address() + a.offset() * a.data().getElementSize();
        for (INDArray b : later) if (b != null && b.data().address() + b.offset() * b.data().getElementSize() == address) return true;
        return false;
    }

    /** modelgate's name of a MultiLayerNetwork's layer at DL4J's index (preprocessors have no index). */
    public String layerName(int dl4jIndex) {
        return layerNames.get(dl4jIndex);
    }

    /**
     * Bytes of the arrays a network keeps outside ND4J's workspaces to train: its parameters, their gradients and
     * the optimizer's state (DL4J creates the optimizer's on the first fit: read it after one).
     */
    public long trainingStateBytes() {
        INDArray gradients = multiLayer != null ? multiLayer.getGradientsViewArray() : graph.getGradientsViewArray();
        org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?> updater = multiLayer != null
                ? (org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) multiLayer.getUpdater(false) : graph.getUpdater(false);
        return bytes(params()) + bytes(gradients) + (updater == null ? 0 : bytes(updater.getStateViewArray()));
    }

    /** Bytes of an array's elements; 0 for none. */
    public static long bytes(INDArray a) {
        return a == null ? 0 : a.length() * a.data().getElementSize();
    }

    /**
     * DL4J's own memory report of the configuration, per layer (and vertex) by DL4J's name: a MultiLayerNetwork's
     * layers are named by their index where the configuration gives them no name.
     */
    public org.deeplearning4j.nn.conf.memory.NetworkMemoryReport memoryReport(org.deeplearning4j.nn.conf.inputs.InputType... inputs) {
        return multiLayer != null ? multiLayer.getLayerWiseConfigurations().getMemoryReport(inputs[0]) : graph.getConfiguration().getMemoryReport(inputs);
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
