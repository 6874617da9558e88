package dev.modelgate.render;

import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;

/** Turns a finished report into one output format. Renderers only read; every number was computed before. */
public interface Renderer {
    String format();

    String render(CheckReport report);

    /** One model alone, for {@code modelgate inspect}. */
    String renderModel(ModelReport model);
}
