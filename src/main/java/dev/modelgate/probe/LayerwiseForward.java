package dev.modelgate.probe;

import dev.modelgate.model.Network;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.graph.vertex.GraphVertex;
import org.deeplearning4j.nn.graph.vertex.VertexIndices;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.buffer.DataBuffer;
import org.nd4j.linalg.api.ndarray.INDArray;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Predicate;

/**
 * A forward pass one layer (graph vertex) at a time, handing each layer's output to a consumer the moment it exists
 * and releasing it as soon as every layer that reads it has run. Only the outputs still waiting for a consumer are
 * alive at once (the whole network's activations in DL4J's {@code feedForward} list), and each released array's
 * native memory is freed then, not at the next garbage collection.
 *
 * <p>The consumer sees each output before any later layer runs: DL4J's inference-mode ActivationLayer applies its
 * function in place to the array it is given, so a layer whose output has further readers hands them copies.
 *
 * <p>{@code training} says which layers run in training mode (the rest in inference mode, without dropout): the
 * health probe runs batch-norm layers whose running statistics are still the initial ones on the batch's own
 * statistics (see {@link HealthProbe}). A training-mode forward pass stores nothing in the network's parameters.
 */
final class LayerwiseForward {
    private LayerwiseForward() {}

    /** The layer's name in modelgate's terms, and the DL4J layer (null for a graph vertex without one). */
    record LayerRef(String name, Layer layer) {}

    /** @param x one array per network input */
    static void run(Network net, INDArray[] x, Predicate<LayerRef> training, BiConsumer<String, INDArray> consumer) {
        LayerWorkspaceMgr mgr = LayerWorkspaceMgr.noWorkspaces();
        if (net.model() instanceof MultiLayerNetwork m) multiLayer(net, m, x[0], training, consumer, mgr);
        else graph((ComputationGraph) net.model(), x, training, consumer, mgr);
    }

    private static void multiLayer(Network net, MultiLayerNetwork m, INDArray x, Predicate<LayerRef> training,
                                   BiConsumer<String, INDArray> consumer, LayerWorkspaceMgr mgr) {
        int batch = (int) x.size(0);
        INDArray current = x.dup();
        for (int i = 0; i < m.getnLayers(); i++) {
            InputPreProcessor p = m.getLayerWiseConfigurations().getInputPreProcess(i);
            INDArray in = p == null ? current : p.preProcess(current, batch, mgr);
            Layer layer = m.getLayer(i);
            layer.setInputMiniBatchSize(batch);
            String name = net.splitGradientKey(i + "_W")[0];
            boolean train = training.test(new LayerRef(name, layer));
            INDArray out = layer.activate(in, train, mgr);
            layer.clear();
            if (train) dropTrainingCache(layer, out);
            consumer.accept(name, out);
            List<INDArray> live = List.of(out);
            release(in, live);
            if (in != current) release(current, live);
            current = out;
        }
        release(current, List.of());
    }

    private static void graph(ComputationGraph g, INDArray[] x, Predicate<LayerRef> training, BiConsumer<String, INDArray> consumer,
                              LayerWorkspaceMgr mgr) {
        GraphVertex[] vertices = g.getVertices();
        INDArray[] outputs = new INDArray[vertices.length];
        int[] readers = new int[vertices.length];
        for (GraphVertex v : vertices) {
            VertexIndices[] in = v.getInputVertices();
            if (in != null) for (VertexIndices i : in) readers[i.getVertexIndex()]++;
        }
        int batch = (int) x[0].size(0);
        g.setInputs(x); // a layer vertex reads the batch size from the graph's inputs when it applies its preprocessor
        List<String> inputNames = g.getConfiguration().getNetworkInputs();
        for (int idx : g.topologicalSortOrder()) {
            GraphVertex v = vertices[idx];
            if (v.isInputVertex()) {
                // The caller's batch is used again: never handed to a layer itself.
                outputs[idx] = x[inputNames.indexOf(v.getVertexName())].dup();
                continue;
            }
            VertexIndices[] in = v.getInputVertices();
            List<Integer> done = new ArrayList<>();
            for (int j = 0; j < in.length; j++) {
                int from = in[j].getVertexIndex();
                INDArray a = outputs[from];
                boolean last = --readers[from] == 0;
                v.setInput(j, last ? a : a.dup(), mgr);
                if (last) done.add(from);
            }
            Layer layer = v.hasLayer() ? v.getLayer() : null;
            if (layer != null) layer.setInputMiniBatchSize(batch);
            boolean train = training.test(new LayerRef(v.getVertexName(), layer));
            INDArray out;
            try {
                out = v.doForward(train, mgr);
            } finally {
                v.clear();
            }
            if (train) dropTrainingCache(layer, out);
            outputs[idx] = out;
            consumer.accept(v.getVertexName(), out);
            for (int from : done) {
                INDArray a = outputs[from];
                outputs[from] = null;
                release(a, live(outputs));
            }
            if (readers[idx] == 0) { // an output vertex: nothing reads it
                outputs[idx] = null;
                release(out, live(outputs));
            }
        }
    }

    /**
     * A training-mode batch norm keeps its centred and normalized input (two arrays of its output's size) for a
     * backward pass that never comes here; {@code clear()} leaves them. Without this, every batch-norm layer's pair
     * stays alive until the next garbage collection (measured in docs/benchmarks.md).
     */
    static void dropTrainingCache(Layer layer, INDArray out) {
        if (!(layer instanceof org.deeplearning4j.nn.layers.normalization.BatchNormalization)) return;
        for (String field : new String[] {"xMu", "xHat", "std"}) {
            try {
                java.lang.reflect.Field f = org.deeplearning4j.nn.layers.normalization.BatchNormalization.class.getDeclaredField(field);
                f.setAccessible(true);
                INDArray a = (INDArray) f.get(layer);
                f.set(layer, null);
                release(a, List.of(out));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return; // another DL4J version: the garbage collector frees them
            }
        }
    }

    private static List<INDArray> live(INDArray[] outputs) {
        List<INDArray> out = new ArrayList<>();
        for (INDArray a : outputs) if (a != null) out.add(a);
        return out;
    }

    /**
     * Frees {@code a}'s native memory now, unless it is a view or shares its buffer with an array still in use (a
     * layer may return its input itself, or a view of it).
     */
    static void release(INDArray a, List<INDArray> live) {
        if (a == null || a.wasClosed() || !a.closeable()) return;
        DataBuffer root = root(a.data());
        for (INDArray b : live) {
            if (b == a || (!b.wasClosed() && root(b.data()) == root)) return;
        }
        try {
            a.close();
        } catch (RuntimeException e) {
            // not closeable after all (attached to a workspace): the garbage collector frees it
        }
    }

    private static DataBuffer root(DataBuffer b) {
        DataBuffer r = b;
        while (r.originalDataBuffer() != null && r.originalDataBuffer() != r) r = r.originalDataBuffer();
        return r;
    }
}
