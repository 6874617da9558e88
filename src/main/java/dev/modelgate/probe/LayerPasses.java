package dev.modelgate.probe;

import dev.modelgate.model.Network;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * One pass through a network a layer at a time, with a clock around each layer: what per-layer time is measured on.
 * DL4J's own {@code fit} and {@code output} have no per-layer hooks (its listeners see whole iterations;
 * deeplearning4j#5627 asks for per-layer time since 2018), so the layers are called one by one here, the way
 * {@code MultiLayerNetwork.calcBackpropGradients} calls them.
 *
 * <p>Each pass returns, per layer in model order, {forward ms, backward ms}; backward is NaN in an inference pass. A
 * training pass has no update: the optimizer updates the flattened parameters of the whole network at once, not
 * layer by layer, so its time stays in the gap between the per-layer sum and the whole call.
 */
final class LayerPasses {
    private LayerPasses() {}

    /**
     * The clock for a layer's time: the calling thread's CPU time where the native code runs on it (one native thread,
     * the timing default: ND4J then runs each op on the caller), so that a pass the scheduler interrupts is not charged
     * for the wait (on this 2-core machine at load average 5, LeNet iterations measured 81-103 ms wall but 74-79 ms of
     * thread CPU); wall time otherwise, where other threads do the work.
     */
    static LongSupplier clock(int nativeThreads) {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        if (nativeThreads == 1 && threads.isCurrentThreadCpuTimeSupported()) {
            if (!threads.isThreadCpuTimeEnabled()) threads.setThreadCpuTimeEnabled(true);
            return threads::getCurrentThreadCpuTime;
        }
        return System::nanoTime;
    }

    /** Whether {@link #clock} gives thread CPU time for this many native threads. */
    static boolean cpuClock(int nativeThreads) {
        return nativeThreads == 1 && java.lang.management.ManagementFactory.getThreadMXBean().isCurrentThreadCpuTimeSupported();
    }

    /** An inference-mode forward pass. */
    static Map<String, double[]> inference(Network net, INDArray[] x, LongSupplier clock) {
        return forward(net, x, false, clock);
    }

    /** The time between one layer's output and the next (its preprocessor included), in a pass of {@link LayerwiseForward}. */
    private static Map<String, double[]> forward(Network net, INDArray[] x, boolean training, LongSupplier clock) {
        Map<String, double[]> ms = new LinkedHashMap<>();
        long[] last = {clock.getAsLong()};
        LayerwiseForward.run(net, x, l -> training, (name, out) -> {
            ms.put(name, new double[] {(clock.getAsLong() - last[0]) / 1e6, Double.NaN});
            last[0] = clock.getAsLong(); // the consumer's own bookkeeping is not the next layer's time
        });
        return ms;
    }

    /**
     * A training pass without the update: every layer forward in training mode, then backward from the loss. A
     * MultiLayerNetwork whose last layer computes no loss gets its training-mode forward pass only.
     */
    static Map<String, double[]> training(Network net, INDArray[] x, INDArray labels, LongSupplier clock) {
        net.readyForBackward(); // the whole-call timing may have trained other instances only (the health probes')
        if (net.model() instanceof ComputationGraph g) return graphTraining(g, x, labels, clock);
        if (!(net.model() instanceof MultiLayerNetwork m) || !(m.getLayer(m.getnLayers() - 1) instanceof IOutputLayer head)) {
            return forward(net, x, true, clock);
        }
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        int n = m.getnLayers(), batch = (int) x[0].size(0);
        String[] names = new String[n];
        double[] forward = new double[n], backward = new double[n];
        INDArray current = x[0];
        try {
            for (int i = 0; i < n; i++) {
                long t0 = clock.getAsLong();
                InputPreProcessor p = m.getLayerWiseConfigurations().getInputPreProcess(i);
                INDArray in = p == null ? current : p.preProcess(current, batch, mgr);
                Layer layer = m.getLayer(i);
                layer.setInputMiniBatchSize(batch);
                current = layer.activate(in, true, mgr);
                forward[i] = (clock.getAsLong() - t0) / 1e6;
                names[i] = net.splitGradientKey(i + "_W")[0];
            }
            head.setLabels(labels);
            INDArray epsilon = null; // the output layer computes its own from the labels
            for (int i = n - 1; i >= 0; i--) {
                long t0 = clock.getAsLong();
                Pair<Gradient, INDArray> g = m.getLayer(i).backpropGradient(epsilon, mgr);
                epsilon = g.getSecond();
                InputPreProcessor p = m.getLayerWiseConfigurations().getInputPreProcess(i);
                if (p != null && i > 0) epsilon = p.backprop(epsilon, batch, mgr);
                backward[i] = (clock.getAsLong() - t0) / 1e6;
            }
        } finally {
            for (int i = 0; i < n; i++) m.getLayer(i).clear();
        }
        Map<String, double[]> ms = new LinkedHashMap<>();
        for (int i = 0; i < n; i++) ms.put(names[i], new double[] {forward[i], backward[i]});
        return ms;
    }
    /**
     * {@link #training} of a graph, as {@code ComputationGraph.calcBackpropGradients} does it: vertices forward in
     * topological order, then backward in reverse, each vertex's epsilon the sum of what its readers hand back.
     */
    private static Map<String, double[]> graphTraining(ComputationGraph g, INDArray[] x, INDArray labels, LongSupplier clock) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        GraphVertex[] vertices = g.getVertices();
        int[] order = g.topologicalSortOrder();
        INDArray[] outputs = new INDArray[vertices.length];
        double[] forward = new double[vertices.length], backward = new double[vertices.length];
        boolean[] epsilonSet = new boolean[vertices.length];
        List<String> inputs = g.getConfiguration().getNetworkInputs(), outputNames = g.getConfiguration().getNetworkOutputs();
        int batch = (int) x[0].size(0);
        g.setInputs(x); // a layer vertex reads the batch size from the graph's inputs when it applies its preprocessor
        try {
            for (int idx : order) {
                GraphVertex v = vertices[idx];
                if (v.isInputVertex()) {
                    outputs[idx] = x[inputs.indexOf(v.getVertexName())];
                    continue;
                }
                long t0 = clock.getAsLong();
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) v.setInput(j, outputs[in[j].getVertexIndex()], mgr);
                if (v.hasLayer()) v.getLayer().setInputMiniBatchSize(batch);
                outputs[idx] = v.doForward(true, mgr);
                forward[idx] = (clock.getAsLong() - t0) / 1e6;
            }
            for (int k = order.length - 1; k >= 0; k--) {
                GraphVertex v = vertices[order[k]];
                if (v.isInputVertex()) continue;
                long t0 = clock.getAsLong();
                if (v.isOutputVertex() && v.getLayer() instanceof IOutputLayer head) head.setLabels(labels);
                else if (!epsilonSet[order[k]]) continue; // an output without a loss: nothing flows back through it
                Pair<Gradient, INDArray[]> p = v.doBackward(false, mgr);
                VertexIndices[] in = v.getInputVertices();
                for (int j = 0; j < in.length; j++) {
                    int from = in[j].getVertexIndex();
                    INDArray e = p.getSecond()[j];
                    if (vertices[from].isInputVertex() || e == null) continue;
                    vertices[from].setEpsilon(epsilonSet[from] ? vertices[from].getEpsilon().add(e) : e);
                    epsilonSet[from] = true;
                }
                backward[order[k]] = (clock.getAsLong() - t0) / 1e6;
            }
        } finally {
            for (GraphVertex v : vertices) v.clear();
        }
        Map<String, double[]> ms = new LinkedHashMap<>();
        for (int idx : order) {
            if (!vertices[idx].isInputVertex()) ms.put(vertices[idx].getVertexName(), new double[] {forward[idx], backward[idx]});
        }
        return ms;
    }
}
