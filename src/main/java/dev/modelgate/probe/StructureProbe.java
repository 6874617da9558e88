package dev.modelgate.probe;

import dev.modelgate.error.BadInputException;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.ConvGeometry;
import dev.modelgate.spec.LayerOp;
import dev.modelgate.spec.Node;
import dev.modelgate.spec.ResolvedModel;
import dev.modelgate.spec.Shape;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Counts each layer's parameters and multiply-accumulates (MACs) for one example, from shapes alone: no network is
 * built and no native code is loaded. Parameter counts follow DL4J's (batch norm holds 4 per channel: gamma, beta
 * and the running mean and variance), so they agree with {@code numParams()} of the built network.
 */
public final class StructureProbe {
    private StructureProbe() {}

    /**
     * Counts are exact: a parameter or MAC count that does not fit in a long (a model no machine could hold or run) is
     * refused, naming the layer, never shown wrapped around to a negative number.
     */
    public static ModelReport measure(ResolvedModel model) {
        List<LayerInfo> layers = new ArrayList<>();
        long params = 0, macs = 0;
        for (Node n : model.spec().nodes()) {
            LayerInfo l;
            try {
                l = layer(model, n);
                if (l.params() < 0) throw new ArithmeticException("negative count");
                params = Math.addExact(params, l.params());
                macs = Math.addExact(macs, Math.max(0, l.macs()));
            } catch (ArithmeticException e) {
                throw BadInputException.limit(model.spec().source(), "layer '" + n.name() + "': its parameter or multiply-accumulate count (or the "
                        + "model's total up to it) does not fit in a 64-bit integer (more than " + Long.MAX_VALUE + "): no machine can hold or run this model");
            }
            layers.add(l);
        }
        return new ModelReport(String.valueOf(model.spec().source()), model.spec().format().id(), model.spec().name(),
                model.inputText(), layers, null, model.spec().notes(), data(model.data()));
    }

    /** The ranges of the CSV data, for the rules about data (a regression target an output cannot reach). */
    static dev.modelgate.report.DataSummary data(dev.modelgate.spec.Examples d) {
        if (d == null) return null;
        double lmin = Double.POSITIVE_INFINITY, lmax = Double.NEGATIVE_INFINITY, fmin = Double.POSITIVE_INFINITY, fmax = Double.NEGATIVE_INFINITY;
        for (double l : d.labels()) { lmin = Math.min(lmin, l); lmax = Math.max(lmax, l); }
        for (float[] row : d.features()) for (double v : row) { fmin = Math.min(fmin, v); fmax = Math.max(fmax, v); }
        return new dev.modelgate.report.DataSummary(String.valueOf(d.file().getFileName()), d.rows(), d.classification(), lmin, lmax, fmin, fmax);
    }

    static LayerInfo layer(ResolvedModel model, Node n) {
        List<Shape> ins = model.inputsOf(n.name());
        Shape in = ins.get(0);
        Shape out = model.outputOf(n.name());
        Map<String, String> attrs = new LinkedHashMap<>();
        long params = 0, macs = 0;
        Long width = null, inWidth = null;
        LayerOp op = n.op();

        if (op instanceof LayerOp.Dense d) {
            long fanIn = in.size();
            params = add(mul(fanIn, d.units()), d.units());
            macs = mul(fanIn, d.units());
            width = d.units();
            inWidth = fanIn;
            attrs.put("units", Long.toString(d.units()));
            attrs.put("activation", d.activation());
            attrs.put("weight-init", d.weightInit().toString());
        } else if (op instanceof LayerOp.Output o) {
            long fanIn = in instanceof Shape.Sequence s ? s.features() : in.size();
            long steps = in instanceof Shape.Sequence s ? s.length() : 1;
            params = add(mul(fanIn, o.units()), o.units());
            macs = mul(fanIn, o.units(), steps);
            width = o.units();
            inWidth = fanIn;
            attrs.put("units", Long.toString(o.units()));
            attrs.put("activation", o.activation());
            attrs.put("loss", o.loss());
            attrs.put("weight-init", o.weightInit().toString());
        } else if (op instanceof LayerOp.Conv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long k = area(c.geometry());
            params = add(mul(i.channels(), c.filters(), k), c.bias() ? c.filters() : 0);
            macs = mul(o.height(), o.width(), c.filters(), i.channels(), k);
            width = c.filters();
            inWidth = i.channels();
            conv(attrs, c.filters(), c.geometry(), c.activation(), c.weightInit().toString(), c.bias());
        } else if (op instanceof LayerOp.SeparableConv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long depthwise = mul(i.channels(), c.depthMultiplier(), area(c.geometry()));
            long pointwise = mul(i.channels(), c.depthMultiplier(), c.filters());
            params = add(add(depthwise, pointwise), c.bias() ? c.filters() : 0);
            macs = mul(o.height(), o.width(), add(depthwise, pointwise));
            width = c.filters();
            inWidth = i.channels();
            conv(attrs, c.filters(), c.geometry(), c.activation(), c.weightInit().toString(), c.bias());
            attrs.put("depth-multiplier", Integer.toString(c.depthMultiplier()));
        } else if (op instanceof LayerOp.DepthwiseConv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long weights = mul(i.channels(), c.depthMultiplier(), area(c.geometry()));
            params = add(weights, c.bias() ? mul(i.channels(), c.depthMultiplier()) : 0);
            macs = mul(o.height(), o.width(), weights);
            width = o.channels();
            inWidth = i.channels();
            attrs.put("depth-multiplier", Integer.toString(c.depthMultiplier()));
            attrs.put("window", c.geometry().describe());
            attrs.put("activation", c.activation());
            attrs.put("weight-init", c.weightInit().toString());
        } else if (op instanceof LayerOp.Deconv2d c) {
            Shape.Image i = (Shape.Image) in;
            long k = area(c.geometry());
            params = add(mul(i.channels(), c.filters(), k), c.bias() ? c.filters() : 0);
            macs = mul(i.height(), i.width(), i.channels(), c.filters(), k);
            width = c.filters();
            inWidth = i.channels();
            conv(attrs, c.filters(), c.geometry(), c.activation(), c.weightInit().toString(), c.bias());
        } else if (op instanceof LayerOp.Pool2d p) {
            attrs.put("window", p.geometry().describe());
        } else if (op instanceof LayerOp.GlobalPool g) {
            attrs.put("pooling", g.pooling());
        } else if (op instanceof LayerOp.Upsample2d u) {
            attrs.put("size", u.size()[0] + "x" + u.size()[1]);
        } else if (op instanceof LayerOp.BatchNorm b) {
            long channels = in instanceof Shape.Image i ? i.channels() : in.size();
            params = mul(4, channels);
            macs = out.size();
            attrs.put("epsilon", Double.toString(b.epsilon()));
            attrs.put("decay", Double.toString(b.decay()));
        } else if (op instanceof LayerOp.Dropout d) {
            attrs.put("rate", Double.toString(d.rate()));
        } else if (op instanceof LayerOp.Lstm l) {
            Shape.Sequence s = (Shape.Sequence) in;
            params = add(mul(4, l.units(), add(s.features(), l.units())), mul(4, l.units()));
            macs = mul(s.length(), 4, l.units(), add(s.features(), l.units()));
            width = l.units();
            inWidth = s.features();
            attrs.put("units", Long.toString(l.units()));
            attrs.put("activation", l.activation());
            attrs.put("weight-init", l.weightInit().toString());
        } else if (op instanceof LayerOp.Activation a) {
            attrs.put("activation", a.activation());
        } else if (op instanceof LayerOp.Merge m) {
            attrs.put("inputs", Integer.toString(n.inputs().size()));
        } else if (op instanceof LayerOp.Reshape r) {
            attrs.put("to", r.target().toString());
        } else if (op instanceof LayerOp.Native x) {
            attrs.putAll(x.attributes());
            width = x.width();
            inWidth = x.inWidth() != null ? x.inWidth()
                    : n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.FeedForwardLayer f && f.getNIn() > 0 ? Long.valueOf(f.getNIn()) : null;
            macs = Dl4jCost.macs(x, n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.Layer l ? l : null, dl4jParams(n), in, out);
        }
        // DL4J is the source of truth for what it builds: its own count of the layer's parameters.
        if (n.dl4jLayer() != null) params = dl4jParams(n);
        List<String> inShapes = ins.stream().map(Shape::toString).toList();
        return new LayerInfo(n.name(), op.type(), op.family().name().toLowerCase(), n.inputs(), inShapes, out.toString(),
                params, macs, width, inWidth, attrs, n.autoNamed(), n.location() == null ? 0 : n.location().line());
    }

    /** DL4J's own parameter count of a node read from a DL4J configuration (its ParamInitializer; no native code). */
    static long dl4jParams(Node n) {
        if (!(n.dl4jLayer() instanceof org.deeplearning4j.nn.conf.layers.Layer l)) return 0;
        return l.initializer().numParams(l);
    }

    private static void conv(Map<String, String> attrs, long filters, ConvGeometry g, String activation, String init, boolean bias) {
        attrs.put("filters", Long.toString(filters));
        attrs.put("window", g.describe());
        attrs.put("activation", activation);
        attrs.put("weight-init", init);
        if (!bias) attrs.put("bias", "false");
    }

    private static long area(ConvGeometry g) {
        return (long) g.kernel()[0] * g.kernel()[1];
    }

    /** The exact product; an ArithmeticException where it does not fit in a long. */
    static long mul(long... factors) {
        long p = 1;
        for (long f : factors) p = Math.multiplyExact(p, f);
        return p;
    }

    private static long add(long a, long b) {
        return Math.addExact(a, b);
    }
}
