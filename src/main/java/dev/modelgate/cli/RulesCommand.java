package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.rule.Property;
import dev.modelgate.rule.RuleMetadata;
import dev.modelgate.rule.RuleRegistry;
import dev.modelgate.rule.RuleSettings;
import dev.modelgate.rule.Thresholds;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "rules", mixinStandardHelpOptions = true,
        description = "List every rule: id, threshold, severity and the reason for its default.")
final class RulesCommand implements Callable<Integer> {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "text or json. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--config", paramLabel = "FILE", description = "Show thresholds as this config sets them (default: ./" + Thresholds.PROJECT_FILE + " if present).")
    Path config;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        if (!format.equals("text") && !format.equals("json")) throw BadInputException.usage("rules --format: valid: text, json; got '" + format + "'");
        Thresholds t = Thresholds.defaults();
        if (config != null) t = t.overlay(config);
        else if (Files.isRegularFile(Path.of(Thresholds.PROJECT_FILE))) t = t.overlay(Path.of(Thresholds.PROJECT_FILE));
        PrintWriter out = spec.commandLine().getOut();
        if (format.equals("json")) {
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            ArrayNode rules = root.putArray("rules");
            for (RuleMetadata m : RuleRegistry.all()) {
                RuleSettings s = t.settings(m.id());
                ObjectNode o = rules.addObject();
                o.put("id", m.id());
                o.put("severity", s.severity().id());
                o.put("defaultSeverity", m.defaultSeverity().id());
                ObjectNode th = o.putObject("thresholds");
                s.values().forEach((k, v) -> {
                    if (Double.isNaN(v)) th.putNull(k); // an optional limit that is off
                    else th.put(k, v);
                });
                s.choices().forEach(th::put);
                o.put("runtime", m.runtime());
                o.put("measures", m.summary());
                o.put("rationale", m.rationale());
            }
            out.println(mapper.writeValueAsString(root));
        } else {
            int w = RuleRegistry.ids().stream().mapToInt(String::length).max().orElse(10);
            out.printf(Locale.ROOT, "%-" + w + "s  %-8s  %-24s  %s%n", "rule", "severity", "threshold", "why");
            // Optional limits (max-ms, epoch-size, ...) are off unless a config sets them; docs/rules.md lists them.
            for (RuleMetadata m : RuleRegistry.all()) {
                RuleSettings s = t.settings(m.id());
                StringBuilder th = new StringBuilder();
                for (Property p : m.properties()) {
                    if (p.isOptional() && Double.isNaN(s.get(p.name()))) continue; // off unless configured
                    if (th.length() > 0) th.append(", ");
                    th.append(p.name()).append(' ').append(p.isChoice() ? s.choice(p.name()) : fmt(s.get(p.name())));
                }
                out.printf(Locale.ROOT, "%-" + w + "s  %-8s  %-24s  %s%n", m.id(), s.severity().id(), th.length() == 0 ? "-" : th, m.rationale());
            }
            out.println();
            out.println("Thresholds: config/thresholds.yaml (defaults), --config FILE or ./" + Thresholds.PROJECT_FILE + " to change them. Details: docs/rules.md");
        }
        out.flush();
        return ExitCodes.PASS;
    }

    private static String fmt(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e6) return Long.toString((long) d);
        if (Math.abs(d) < 1e-3 || Math.abs(d) >= 1e6) return String.format(Locale.ROOT, "%.0e", d);
        return Double.toString(d);
    }
}
