package dev.modelgate.render;

import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;

/**
 * A human-readable renderer: it lays out the view of a report ({@link CheckView}, {@link AuditView}), built once here,
 * and never reads the report itself, so every format shows the same labels, counts, order and numbers.
 */
abstract class ViewRenderer implements Renderer {
    @Override
    public final String render(CheckReport report) {
        return render(CheckView.of(report));
    }

    @Override
    public final String renderAudit(AuditReport report) {
        return render(AuditView.of(report));
    }

    abstract String render(CheckView view);

    abstract String render(AuditView view);
}
