package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import dev.modelgate.check.Auditor;
import dev.modelgate.check.MeasurementCache;
import dev.modelgate.check.RunInputs;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "audit", mixinStandardHelpOptions = true,
        description = "Check every experiment config in a folder against its baseline; one report for all. "
                + "Exit code: the worst verdict (0 all pass, 1 any fail, 2 any config invalid).")
final class AuditCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of experiment configs (YAML/JSON, searched recursively; links leading out are not followed).")
    Path folder;

    @Option(names = "--baseline", paramLabel = "FILE", description = "Compare every config with this baseline (default: each spec's own 'baseline:' key).")
    Path baseline;

    @Option(names = "--shard", paramLabel = "I/N", description = "Check only share I of N (1-based), e.g. for CI matrix jobs; merge the JSON reports with 'modelgate merge'. "
            + "auto: from the CI's variables (GitLab CI_NODE_INDEX/CI_NODE_TOTAL, CircleCI, Buildkite; Kubernetes JOB_COMPLETION_INDEX with auto/N).")
    String shard;

    @Option(names = "--shard-durations", paramLabel = "REPORT.json",
            description = "Balance the shards by each config's time in this earlier audit's JSON report (merged or one shard's): the longest first, "
                    + "each to the least loaded shard; configs it lacks count as its median. Every shard's job must be given the same file.")
    java.nio.file.Path shardDurations;

    @Option(names = "--include", paramLabel = "GLOB", description = "Audit only files matching GLOB (repeatable; relative to DIR; a name without / matches at any depth).")
    List<String> include = new ArrayList<>();

    @Option(names = "--exclude", paramLabel = "GLOB", description = "Leave out files matching GLOB (repeatable; also the lines of DIR/.modelgateignore; a pattern ending in / leaves out a folder).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--no-cache", description = "Measure everything again; do not read or write the measurement cache.")
    boolean noCache;

    @Option(names = "--cache-dir", paramLabel = "DIR", description = "Measurement cache (default: ~/.cache/modelgate). Timing is never cached.")
    Path cacheDir;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate();
        var checkOptions = options.checkOptions();
        var targets = options.reportTargets(() -> RunInputs.ofAudit(folder, baseline, options.thresholdsFile(), checkOptions));
        int[] share = shard();
        MeasurementCache cache = noCache ? null : new MeasurementCache(cacheDir != null ? cacheDir : MeasurementCache.defaultDirectory());
        Auditor.Options o = new Auditor.Options(baseline, checkOptions, share[0], share[1], include, exclude, durations());
        AuditReport report;
        try (var runner = options.runner(cache == null ? null : cache.directory()); Progress progress = new Progress(spec.commandLine().getErr(), options.quiet)) {
            Auditor auditor = new Auditor(options.thresholds(), cache, runner);
            report = auditor.audit(folder, o, progress);
        }
        AuditReport result = report;
        if (!report.skipped().isEmpty() && !options.quiet) {
            // Said on stderr (and in the JSON's "skipped"), so that a file left out is never a silent surprise.
            spec.commandLine().getErr().println("modelgate: skipped " + report.skipped().size() + " file" + (report.skipped().size() == 1 ? "" : "s")
                    + (report.skipped().size() == 1 ? " that is not a model: " : " that are not models: ") + String.join(", ",
                    report.skipped().stream().map(k -> java.nio.file.Path.of(k.file()).getFileName().toString()).toList()));
        }
        options.emit(targets, r -> r.renderAudit(result), true, spec.commandLine().getOut());
        return ExitCodes.of(report);
    }

    /** Milliseconds per config from --shard-durations: each entry's phases together (loading, health, timing, rules). */
    private java.util.Map<String, Long> durations() {
        if (shardDurations == null) return java.util.Map.of();
        String json = dev.modelgate.io.InputFiles.readUtf8(shardDurations, MergeCommand.MAX_REPORT_BYTES, dev.modelgate.io.InputFiles.Role.REPORT);
        java.util.Map<String, Long> out = new java.util.HashMap<>();
        try {
            for (dev.modelgate.report.AuditEntry e : dev.modelgate.codec.ReportCodec.entries(json)) {
                if (e.report() != null) out.put(e.config(), e.report().phases().values().stream().mapToLong(Long::longValue).sum());
            }
        } catch (java.io.IOException | RuntimeException e) {
            throw BadInputException.usage("--shard-durations " + shardDurations + ": not a modelgate JSON report (" + e.getMessage() + ")");
        }
        return out;
    }

    private int[] shard() {
        if (shard == null) return new int[] {1, 1};
        if (shard.equals("auto") || shard.startsWith("auto/")) {
            CiShard ci = CiShard.detect(shard, System.getenv());
            if (!options.quiet) spec.commandLine().getErr().println("modelgate: shard " + ci.index() + "/" + ci.total() + " from " + ci.source());
            return new int[] {ci.index(), ci.total()};
        }
        String[] p = shard.split("/");
        try {
            int i = Integer.parseInt(p[0].trim()), n = Integer.parseInt(p[1].trim());
            if (p.length == 2 && n >= 1 && i >= 1 && i <= n) return new int[] {i, n};
        } catch (RuntimeException ignored) {
            // reported below
        }
        throw BadInputException.usage("--shard takes I/N with 1 <= I <= N (e.g. 2/4), got '" + shard + "'");
    }

    /** A progress bar on a terminal; a plain line per config otherwise (CI logs). Both on stderr: stdout carries the report. */
    static final class Progress implements Auditor.Progress, AutoCloseable {
        private final PrintWriter err;
        private final boolean quiet;
        // A redrawn bar where someone watches stderr; plain lines in a CI log, which keeps every redraw.
        private final boolean terminal = CommonOptions.stderrIsTerminal() && !CommonOptions.inCi();
        private ProgressBar bar;
        private int total, finished;

        Progress(PrintWriter err, boolean quiet) {
            this.err = err;
            this.quiet = quiet;
        }

        @Override
        public void start(int total) {
            this.total = total;
            if (quiet) return;
            if (terminal) {
                // continuousUpdate: redrawn every second while a config runs (its elapsed time moves), not only when it ends.
                bar = new ProgressBarBuilder().setTaskName("modelgate audit").setInitialMax(total).continuousUpdate().setUpdateIntervalMillis(1000)
                        .setStyle(ProgressBarStyle.ASCII).setConsumer(new me.tongfei.progressbar.ConsoleProgressBarConsumer(System.err)).build();
            } else {
                err.println("modelgate: auditing " + total + " config" + (total == 1 ? "" : "s"));
                err.flush();
            }
        }

        @Override
        public void checking(int index, String config) {
            if (quiet) return;
            if (bar != null) bar.setExtraMessage(" " + config);
            else {
                err.print("modelgate: [" + index + "/" + total + "] " + config + " ... ");
                err.flush();
            }
        }

        @Override
        public void done(AuditEntry entry) {
            Interruption.progress(++finished + " of " + total + " configs were checked");
            if (quiet) return;
            if (bar != null) bar.step();
            else {
                err.println(entry.verdict());
                err.flush();
            }
        }

        @Override
        public void close() {
            if (bar != null) bar.close();
        }
    }
}
