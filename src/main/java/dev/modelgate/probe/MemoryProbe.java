package dev.modelgate.probe;

import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.report.MemoryUse;
import dev.modelgate.spec.ResolvedModel;
import org.deeplearning4j.nn.conf.CacheMode;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryType;
import org.deeplearning4j.nn.conf.memory.MemoryUseMode;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Measures what a network holds in memory while it trains and infers, from DL4J's and ND4J's own accounting
 * (docs/benchmarks.md, "Measured peak memory", for why these counters and how they compare with the process's
 * resident size). DL4J keeps every activation, activation gradient and working buffer of a training iteration or
 * an inference call in ND4J workspaces, which grow to the largest size the call has needed and keep it; its
 * parameters, their gradients and the optimizer's state are arrays of their own. On CPU, JavaCPP's
 * {@code Pointer.totalBytes()} counts none of these (ND4J allocates natively: it stayed 0 through training) and
 * the resident size moves with the garbage collector and malloc's caches; the workspace sizes are exact and repeat
 * from run to run for the same model and batch.
 *
 * <p>Workspaces belong to the thread and are shared by name between networks (every MultiLayerNetwork's are called
 * {@code WS_LAYER_WORKING_MEM}, ...): a measurement starts by destroying the thread's, so that a model measured after
 * another does not inherit the other's sizes.
 */
public final class MemoryProbe {
    private MemoryProbe() {}

    /** Frees this thread's workspaces, so that the next calls size them from empty. Nothing may be open. */
    static void startFromEmpty() {
        Nd4j.getWorkspaceManager().destroyAllWorkspacesForCurrentThread();
    }

    /** The bytes this thread's workspaces hold now: the largest each has needed since {@link #startFromEmpty}. */
    static long workspaceBytes() {
        long sum = 0;
        for (MemoryWorkspace w : Nd4j.getWorkspaceManager().getAllWorkspacesForCurrentThread()) sum += w.getCurrentSize();
        return sum;
    }

    static long bytes(INDArray... arrays) {
        long sum = 0;
        for (INDArray a : arrays) sum += Network.bytes(a);
        return sum;
    }

    /**
     * The inference peak: from empty workspaces, two inference-mode forward passes (the first sizes the workspaces,
     * the second runs in them; a third changed nothing when tried), the parameters and the input.
     */
    static long[] inference(Network net, INDArray[] input) {
        startFromEmpty();
        for (int k = 0; k < 2; k++) net.output(input);
        long workspaces = workspaceBytes();
        return new long[] {workspaces + Network.bytes(net.params()) + bytes(input), workspaces};
    }

    /**
     * DL4J's memory report of each layer at {@code batch}, float32, in modelgate's layer names; empty where DL4J
     * cannot report on one of the layers (a layer type without a memory report, an input type it does not take).
     */
    static List<MemoryUse.Layer> layers(ResolvedModel model, Network net, int batch) {
        Map<String, MemoryReport> reports;
        try {
            InputType[] inputs = model.inputs().stream().map(NetworkFactory::inputType).toArray(InputType[]::new);
            reports = net.memoryReport(inputs).getLayerAndVertexReports();
        } catch (RuntimeException e) {
            return List.of(); // DL4J has no report for this configuration
        }
        boolean multiLayer = net.model() instanceof org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
        List<MemoryUse.Layer> out = new ArrayList<>();
        int index = 0;
        try {
            for (Map.Entry<String, MemoryReport> e : reports.entrySet()) {
                String name = multiLayer ? net.layerName(index++) : e.getKey();
                MemoryReport r = e.getValue();
                out.add(new MemoryUse.Layer(name, bytes(r, MemoryType.PARAMETERS, batch), bytes(r, MemoryType.ACTIVATIONS, batch),
                        r.getTotalMemoryBytes(batch, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT)));
            }
        } catch (RuntimeException e) {
            return List.of();
        }
        return out;
    }

    private static long bytes(MemoryReport r, MemoryType type, int batch) {
        return r.getMemoryBytes(type, batch, MemoryUseMode.TRAINING, CacheMode.NONE, DataType.FLOAT);
    }
}
