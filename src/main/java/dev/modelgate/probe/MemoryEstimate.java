package dev.modelgate.probe;

import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;

import java.util.Locale;

/**
 * What training a model needs in memory, estimated from its structure before anything is allocated: parameters,
 * their gradients and the optimizer's state, every layer's activations for one batch times {@link #ACTIVATION_COPIES},
 * and the largest im2col buffer of a convolution (DL4J unfolds the input of a conv layer into one matrix). float32
 * throughout, plus a margin. The estimate errs high: its purpose is to refuse a config that would exhaust the machine,
 * not to plan.
 *
 * <p>Calibrated against measured peaks of the worker JVM (docs/benchmarks.md, "Real-size runs"): a ResNet-50 trained
 * at 224x224, batch 8, peaked at 5.0 GiB where the former two copies per activation (value and gradient) estimated
 * 2.9 GiB. DL4J keeps more than that per layer while it trains: the forward value, the gradient flowing back, and
 * working copies (batch norm's centred and normalized input, the pre-activation of a layer with an activation).
 */
public record MemoryEstimate(long parameterBytes, long activationBytes, long bufferBytes) {
    static final double MARGIN = 1.2;
    /** Arrays of a layer's output size DL4J holds per layer while training (measured: see the class comment). */
    static final double ACTIVATION_COPIES = 4;
    static final int FLOAT = 4;
    /**
     * Copies of the largest im2col buffer DL4J's working memory holds while training: the forward pass's columns and
     * the backward pass's (the gradient in column form). With one, the estimate was 0.81-0.99 of the measured peak of
     * the conv samples (docs/benchmarks.md, "Measured peak memory"), so the guard could let through what would not fit.
     */
    static final double IM2COL_COPIES = 2;

    public long total() {
        return (long) ((parameterBytes + activationBytes + bufferBytes) * MARGIN);
    }

    public static MemoryEstimate of(ResolvedModel model, ModelReport structure, int batch) {
        String optimizer = model.spec().nativeConfig() == null ? model.spec().training().optimizer().type() : "adam";
        int slots = switch (optimizer) {
            case "sgd" -> 0;
            case "momentum", "nesterov", "rmsprop" -> 1;
            default -> 2; // adam, adamw; DL4J configs are assumed to use the largest
        };
        double params = (double) structure.totalParams() * FLOAT * (2 + slots);
        double activations = 0, buffers = 0;
        for (Shape in : model.inputs()) activations += (double) in.size() * batch * FLOAT;
        for (LayerInfo l : structure.layers()) {
            activations += ACTIVATION_COPIES * sizeOf(l.outputShape()) * batch * FLOAT; // value, gradient, working copies
            if (l.family().equals("conv") && l.inWidth() != null && l.width() != null && l.width() > 0) {
                // im2col: (out height x out width) rows of (in channels x kernel area); MACs / out channels gives that product
                buffers = Math.max(buffers, IM2COL_COPIES * l.macs() / l.width() * batch * FLOAT);
            }
        }
        return new MemoryEstimate(saturate(params), saturate(activations), saturate(buffers));
    }

    /** "1x28x28" -> 784, "10x20(seq)" -> 200, "64" -> 64. */
    static double sizeOf(String shape) {
        double n = 1;
        for (String part : shape.replace("(seq)", "").split("x")) n *= Double.parseDouble(part.trim());
        return n;
    }

    private static long saturate(double bytes) {
        return bytes >= Long.MAX_VALUE / 2.0 ? Long.MAX_VALUE / 2 : (long) bytes;
    }

    public static String human(long bytes) {
        double b = bytes;
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB"};
        int u = 0;
        while (b >= 1024 && u < units.length - 1) {
            b /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
    }

    public String describe() {
        return "parameters with gradients and optimizer state " + human(parameterBytes) + ", activations " + human(activationBytes)
                + (bufferBytes > 0 ? ", conv buffers " + human(bufferBytes) : "");
    }
}
