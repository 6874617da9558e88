package dev.modelgate.probe;

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

    public static ModelReport measure(ResolvedModel model) {
        List<LayerInfo> layers = new ArrayList<>();
        for (Node n : model.spec().nodes()) layers.add(layer(model, n));
        return new ModelReport(String.valueOf(model.spec().source()), model.spec().format().id(), model.spec().name(),
                model.input().toString(), layers, null, model.spec().notes());
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
            params = fanIn * d.units() + d.units();
            macs = fanIn * d.units();
            width = d.units();
            inWidth = fanIn;
            attrs.put("units", Long.toString(d.units()));
            attrs.put("activation", d.activation());
            attrs.put("weight-init", d.weightInit().toString());
        } else if (op instanceof LayerOp.Output o) {
            long fanIn = in instanceof Shape.Sequence s ? s.features() : in.size();
            long steps = in instanceof Shape.Sequence s ? s.length() : 1;
            params = fanIn * o.units() + o.units();
            macs = fanIn * o.units() * steps;
            width = o.units();
            inWidth = fanIn;
            attrs.put("units", Long.toString(o.units()));
            attrs.put("activation", o.activation());
            attrs.put("loss", o.loss());
            attrs.put("weight-init", o.weightInit().toString());
        } else if (op instanceof LayerOp.Conv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long k = area(c.geometry());
            params = i.channels() * c.filters() * k + (c.bias() ? c.filters() : 0);
            macs = o.height() * o.width() * c.filters() * i.channels() * k;
            width = c.filters();
            inWidth = i.channels();
            conv(attrs, c.filters(), c.geometry(), c.activation(), c.weightInit().toString(), c.bias());
        } else if (op instanceof LayerOp.SeparableConv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long depthwise = i.channels() * c.depthMultiplier() * area(c.geometry());
            long pointwise = i.channels() * c.depthMultiplier() * c.filters();
            params = depthwise + pointwise + (c.bias() ? c.filters() : 0);
            macs = o.height() * o.width() * (depthwise + pointwise);
            width = c.filters();
            inWidth = i.channels();
            conv(attrs, c.filters(), c.geometry(), c.activation(), c.weightInit().toString(), c.bias());
            attrs.put("depth-multiplier", Integer.toString(c.depthMultiplier()));
        } else if (op instanceof LayerOp.DepthwiseConv2d c) {
            Shape.Image i = (Shape.Image) in, o = (Shape.Image) out;
            long weights = i.channels() * c.depthMultiplier() * area(c.geometry());
            params = weights + (c.bias() ? i.channels() * c.depthMultiplier() : 0);
            macs = o.height() * o.width() * weights;
            width = o.channels();
            inWidth = i.channels();
            attrs.put("depth-multiplier", Integer.toString(c.depthMultiplier()));
            attrs.put("window", c.geometry().describe());
            attrs.put("activation", c.activation());
            attrs.put("weight-init", c.weightInit().toString());
        } else if (op instanceof LayerOp.Deconv2d c) {
            Shape.Image i = (Shape.Image) in;
            long k = area(c.geometry());
            params = i.channels() * c.filters() * k + (c.bias() ? c.filters() : 0);
            macs = i.height() * i.width() * i.channels() * c.filters() * k;
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
            params = 4 * channels;
            macs = out.size();
            attrs.put("epsilon", Double.toString(b.epsilon()));
            attrs.put("decay", Double.toString(b.decay()));
        } else if (op instanceof LayerOp.Dropout d) {
            attrs.put("rate", Double.toString(d.rate()));
        } else if (op instanceof LayerOp.Lstm l) {
            Shape.Sequence s = (Shape.Sequence) in;
            params = 4 * l.units() * (s.features() + l.units()) + 4 * l.units();
            macs = s.length() * 4 * l.units() * (s.features() + l.units());
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
                params, macs, width, inWidth, attrs, n.autoNamed());
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
}
