package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import dev.modelgate.io.InputFiles;
import dev.modelgate.check.Version;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.render.Renderers;
import dev.modelgate.render.Style;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "merge", mixinStandardHelpOptions = true,
        description = "Combine JSON reports (audit shards, single checks) into one audit report, in any format. "
                + "Exit code: the worst verdict, as for audit.")
final class MergeCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "REPORT.json", description = "JSON reports written by check or audit (--format json or --report json=...).")
    List<Path> reports;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text", description = "Format on stdout. Default: ${DEFAULT-VALUE}.")
    String format;

    @Option(names = "--report", paramLabel = "FORMAT=PATH", description = "Also write the merged report to a file (repeatable; '-' for stdout instead of --format), never over a report being merged.")
    List<String> files = new ArrayList<>();

    @Option(names = {"-q", "--quiet"}, description = "Print no report on stdout.")
    boolean quiet;

    /** An audit report of thousands of configs is a few MiB; more is not a report. */
    static final long MAX_REPORT_BYTES = 256L << 20;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        ReportTargets.checkFormat(format, "--format");
        ReportTargets targets = ReportTargets.of(files, () -> reports); // before reading: never over a report being merged
        List<AuditEntry> entries = new ArrayList<>();
        Environment env = null;
        java.util.Map<String, Path> configFrom = new java.util.HashMap<>();
        java.util.Map<Integer, Path> shardFrom = new java.util.TreeMap<>();
        Integer shardTotal = null;
        for (Path p : reports) {
            String json = InputFiles.readUtf8(p, MAX_REPORT_BYTES, InputFiles.Role.REPORT);
            List<AuditEntry> read;
            com.fasterxml.jackson.databind.JsonNode root;
            try {
                read = ReportCodec.entries(json);
                root = ReportCodec.parse(json);
                if (env == null) env = ReportCodec.environment(root.path("environment"));
            } catch (IOException | RuntimeException e) {
                throw BadInputException.usage(p + ": not a modelgate JSON report (" + firstLine(e.getMessage()) + ")");
            }
            // A shard given twice would count its configs twice; one missing would pass what was never checked.
            com.fasterxml.jackson.databind.JsonNode shard = root.path("shard");
            if (shard.isObject()) {
                int index = shard.path("index").asInt(), total = shard.path("total").asInt();
                if (shardTotal != null && shardTotal != total) {
                    throw BadInputException.usage(p + ": shard " + index + "/" + total + " is not of the same split as the others (of " + shardTotal + ")");
                }
                shardTotal = total;
                Path before = shardFrom.put(index, p);
                if (before != null) throw BadInputException.usage(p + " and " + before + " are both shard " + index + "/" + total);
            }
            for (AuditEntry e : read) {
                Path before = configFrom.put(e.config(), p);
                if (before != null) throw BadInputException.usage(e.config() + " is in " + before + " and in " + p + ": a report given twice, or overlapping shards");
            }
            entries.addAll(read);
        }
        if (shardTotal != null) {
            List<String> missing = new ArrayList<>();
            for (int i = 1; i <= shardTotal; i++) if (!shardFrom.containsKey(i)) missing.add(i + "/" + shardTotal);
            if (!missing.isEmpty()) throw BadInputException.usage("shard" + (missing.size() == 1 ? " " : "s ") + String.join(", ", missing) + " missing: merge every shard's report");
        }
        if (env == null) env = new Environment("unknown", "unknown", "unknown", System.getProperty("java.version"), "", Version.get(), java.util.Map.of());
        AuditReport merged = new AuditReport("merged from " + reports.size() + " report"
                + (reports.size() == 1 ? "" : "s"), entries, env);
        var out = spec.commandLine().getOut();
        targets.emit(r -> r.renderAudit(merged), quiet ? null : () -> {
            out.print(Renderers.create(format, Style.PLAIN, RuleCatalogs.CURRENT).renderAudit(merged));
            out.flush();
        }, out);
        return ExitCodes.of(merged);
    }

    private static String firstLine(String s) {
        return s == null ? "unreadable" : s.lines().findFirst().orElse(s);
    }
}
