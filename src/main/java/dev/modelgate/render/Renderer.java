package dev.modelgate.render;

import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.ModelReport;

/** Turns a finished report into one output format. Renderers only read; every number was computed before. */
public interface Renderer {
    String format();

    String render(CheckReport report);

    /** Every check of an audit in one document. */
    String renderAudit(AuditReport report);

    /**
     * One model alone, for {@code modelgate inspect}, with where it was measured (null: not said); formats meant for
     * CI pipelines need not support it.
     */
    default String renderModel(ModelReport model, Environment environment) {
        throw new UnsupportedOperationException("the " + format() + " format has no single-model report; use text or json");
    }

    /** Whether {@link #renderModel} is supported. */
    default boolean rendersModels() { return false; }
}
