package dev.modelgate.render;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.report.Severity;
import dev.modelgate.report.Status;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;

/**
 * SARIF 2.1.0 (OASIS Static Analysis Results Interchange Format), as GitHub code scanning and other dashboards read
 * it: one run; {@code tool.driver} is modelgate with its version and one rule entry per rule id the report applied (its
 * summary and default level from the {@link RuleCatalog}); one result per FAIL (level {@code error}) and WARN (level {@code warning}),
 * located in the modified model's file, at the layer's line where the file gives one (a modelgate spec; DL4J and
 * Keras files give none, so their results have no region). A result the original model has too is
 * {@code baselineState: unchanged}, any other {@code new}. A rule that could not be evaluated, and an audited config
 * that could not be checked, are not findings: they are the invocation's {@code toolExecutionNotifications}, and
 * the invocation is then not successful. Lays out a {@link CheckView} / {@link AuditView}; computes nothing.
 */
public final class SarifRenderer extends ViewRenderer {
    public static final String SCHEMA = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";
    public static final String VERSION = "2.1.0";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final ObjectWriter WRITER = MAPPER.writer(new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n")));

    private final RuleCatalog catalog;

    public SarifRenderer(RuleCatalog catalog) {
        this.catalog = catalog;
    }

    @Override public String format() { return "sarif"; }

    @Override
    String render(CheckView r) {
        Run run = new Run(r.environment());
        run.check(r, r.modified().source());
        for (CheckView.ComparisonView c : r.comparisons()) run.check(c.results(), r.modified().source(), c);
        return run.document();
    }

    @Override
    String render(AuditView a) {
        Run run = new Run(a.environment());
        for (AuditView.Entry e : a.entries()) {
            if (e.report() != null) run.check(e.report(), e.config());
            else run.notification(null, "the check of " + e.config() + " could not run: " + e.error(), e.config(), 0);
        }
        return run.document();
    }

    /** One SARIF run being written: its rules (in first-seen order), results and notifications. */
    private final class Run {
        private final CheckView.EnvironmentView environment;
        private final List<String> ruleIds = new ArrayList<>();
        private final ArrayNode results = MAPPER.createArrayNode();
        private final ArrayNode notifications = MAPPER.createArrayNode();

        Run(CheckView.EnvironmentView environment) {
            this.environment = environment;
        }

        void check(CheckView r, String file) {
            check(r.results(), file, null);
        }

        /** @param against the further comparison these rows are of, or null for the primary one */
        void check(List<CheckView.RuleRow> rows, String file, CheckView.ComparisonView against) {
            String suffix = against == null ? "" : " (" + against.id() + ": " + against.source() + ")";
            for (CheckView.RuleRow x : rows) ruleIndex(x.rule()); // the driver describes every rule applied
            for (CheckView.RuleRow x : rows) {
                switch (x.status()) {
                    case FAIL, WARN -> result(x, file, suffix, against);
                    case ERROR -> notification(x.rule(), x.headline() + suffix, file, x.line());
                    case PASS, SKIP -> { }
                }
            }
        }

        private void result(CheckView.RuleRow x, String file, String suffix, CheckView.ComparisonView against) {
            ObjectNode o = results.addObject();
            o.put("ruleId", x.rule());
            o.put("ruleIndex", ruleIndex(x.rule()));
            o.put("level", x.status() == Status.FAIL ? "error" : "warning");
            o.putObject("message").put("text", x.headline() + suffix);
            o.set("locations", locations(file, x.line()));
            o.put("baselineState", x.preExisting() ? "unchanged" : "new");
            ObjectNode p = o.putObject("properties");
            p.put("status", x.statusName());
            p.put("severity", x.severity());
            if (x.layer() != null) p.put("layer", x.layer());
            p.put("measured", x.measured());
            p.put("limit", x.limit());
            if (against != null) {
                p.put("against", against.against());
                p.put("baseline", against.source());
            }
        }

        void notification(String rule, String message, String file, int line) {
            ObjectNode n = notifications.addObject();
            n.put("level", "error");
            n.putObject("message").put("text", message);
            if (rule != null) n.putObject("associatedRule").put("id", rule).put("index", ruleIndex(rule));
            n.set("locations", locations(file, line));
        }

        private int ruleIndex(String id) {
            int i = ruleIds.indexOf(id);
            if (i >= 0) return i;
            ruleIds.add(id);
            return ruleIds.size() - 1;
        }

        String document() {
            ObjectNode root = MAPPER.createObjectNode();
            root.put("$schema", SCHEMA);
            root.put("version", VERSION);
            ObjectNode run = root.putArray("runs").addObject();
            ObjectNode driver = run.putObject("tool").putObject("driver");
            driver.put("name", "modelgate");
            driver.put("version", environment.modelgate());
            ArrayNode rules = driver.putArray("rules");
            for (String id : ruleIds) {
                ObjectNode d = rules.addObject();
                d.put("id", id);
                catalog.find(id).ifPresent(c -> {
                    d.putObject("shortDescription").put("text", c.summary());
                    d.putObject("defaultConfiguration").put("level", c.defaultSeverity() == Severity.ERROR ? "error" : "warning");
                });
            }
            ObjectNode invocation = run.putArray("invocations").addObject();
            invocation.put("executionSuccessful", notifications.isEmpty());
            if (!notifications.isEmpty()) invocation.set("toolExecutionNotifications", notifications);
            run.set("results", results);
            try {
                return WRITER.writeValueAsString(root) + "\n";
            } catch (JsonProcessingException e) {
                throw new IllegalStateException("cannot write SARIF", e);
            }
        }
    }

    /** The file, and the line where known (0: none). */
    private static ArrayNode locations(String file, int line) {
        ArrayNode out = MAPPER.createArrayNode();
        ObjectNode physical = out.addObject().putObject("physicalLocation");
        physical.putObject("artifactLocation").put("uri", uri(file));
        if (line > 0) physical.putObject("region").put("startLine", line);
        return out;
    }

    /**
     * A path as a URI reference: a relative path stays relative (code scanning resolves it against the repository),
     * with {@code /} separators and anything a URI cannot hold percent-encoded; an absolute path becomes a
     * {@code file:} URI.
     */
    static String uri(String path) {
        String p = path == null ? "" : path.replace('\\', '/');
        boolean drive = p.matches("[A-Za-z]:/.*");
        try {
            if (p.startsWith("/") || drive) return new URI("file", "", drive ? "/" + p : p, null).toASCIIString();
            String relative = new URI(null, null, p, null).toASCIIString();
            // "a:b.yaml" would read as a URI with scheme "a"
            return relative.contains(":") && relative.indexOf(':') < (relative.indexOf('/') < 0 ? relative.length() : relative.indexOf('/'))
                    ? "./" + relative : relative;
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot write " + path + " as a URI", e);
        }
    }
}
