package dev.modelgate.render;

import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;

import java.util.Comparator;
import java.util.List;

/** What the human-readable renderers share: the order rules are listed in, and names of model formats. */
final class Labels {
    private static final List<Status> ORDER = List.of(Status.FAIL, Status.ERROR, Status.WARN, Status.PASS, Status.SKIP);

    /** Failures first, then errors, warnings, passes, skips; registry order within each. */
    static final Comparator<RuleResult> WORST_FIRST = Comparator.comparingInt(x -> ORDER.indexOf(x.status()));

    private Labels() {}

    static String format(String id) {
        if (id == null) return "";
        return switch (id) {
            case "modelgate-spec" -> "modelgate spec";
            case "dl4j-multilayer" -> "DL4J MultiLayerConfiguration";
            case "dl4j-graph" -> "DL4J ComputationGraphConfiguration";
            case "keras-sequential" -> "Keras Sequential model";
            case "keras-functional" -> "Keras Functional model";
            default -> id;
        };
    }
}
