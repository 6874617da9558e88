package dev.modelgate.model;

import dev.modelgate.error.BadInputException;
import dev.modelgate.spec.ResolvedModel;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Turns DL4J's exceptions into one line that names the model file and, where DL4J says it, the layer. */
public final class Dl4jErrors {
    /** DL4J names layers as {@code layer name = conv2}, {@code layer name: conv2} or {@code layer "conv2"}, depending on the check. */
    private static final Pattern LAYER_NAME = Pattern.compile("layer(?: name ?[:=] ?\"?|: ?\"| \")([^\",)]+)", Pattern.CASE_INSENSITIVE);

    private Dl4jErrors() {}

    public static BadInputException translate(ResolvedModel model, String while_, Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && (t.getMessage() == null || t.getMessage().isBlank())) t = t.getCause();
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        Matcher m = LAYER_NAME.matcher(msg);
        String layer = m.find() ? " layer '" + m.group(1).trim() + "':" : "";
        int nl = msg.indexOf('\n');
        String first = (nl > 0 ? msg.substring(0, nl) : msg).trim();
        return BadInputException.run(model.spec().source() + ":" + layer + " DL4J failed while " + while_ + " the model: " + first, e);
    }
}
