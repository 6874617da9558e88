package dev.modelgate.render;

import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.ModelReport;

/** The machine-readable report: the records as {@link ReportCodec} writes them (schema 1), pretty-printed. */
public final class JsonRenderer implements Renderer {
    @Override public String format() { return "json"; }

    @Override public boolean rendersModels() { return true; }

    @Override
    public String render(CheckReport r) {
        return ReportCodec.pretty(ReportCodec.check(r));
    }

    @Override
    public String renderAudit(AuditReport a) {
        return ReportCodec.pretty(ReportCodec.audit(a));
    }

    @Override
    public String renderModel(ModelReport m, Environment environment) {
        return ReportCodec.pretty(ReportCodec.inspection(m, environment));
    }
}
