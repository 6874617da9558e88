package dev.modelgate.cli;

import dev.modelgate.check.RunInputs;
import dev.modelgate.error.BadInputException;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Comparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Measure both models, apply the rules to the modified one, print a report and exit with the verdict.")
final class CheckCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE",
            description = "ORIGINAL MODIFIED: two models, each a modelgate spec, a DL4J configuration (JSON or YAML), a DL4J model zip, or a Keras model (JSON or .h5). "
                    + "More than two: ORIGINAL... MODIFIED, the last is the modified model, compared with each original in one report (the first is the primary comparison). "
                    + "With --against: one file, the modified version in the working tree.")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--against", paramLabel = "REV", arity = "0..1", fallbackValue = "HEAD",
            description = "Compare FILE with its own version at git revision REV (default HEAD), or with its accepted version "
                    + "(REV 'accepted': recorded by modelgate accept). Repeatable: --against HEAD --against accepted compares with both "
                    + "in one report (the first is the primary comparison; the verdict is the worst of them).")
    List<String> against;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        boolean revisions = against != null && !against.isEmpty();
        if (revisions && files.size() != 1) throw BadInputException.usage("--against takes one FILE (the working-tree version), got " + files.size());
        if (!revisions && files.size() < 2) throw BadInputException.usage("check takes ORIGINAL and MODIFIED, or one FILE with --against REV");
        if (revisions) {
            var seen = new java.util.HashSet<String>();
            for (String rev : against) if (!seen.add(rev)) throw BadInputException.usage("--against " + rev + " is given twice; each baseline is compared once");
        }
        options.validate();
        var checkOptions = options.checkOptions();
        if (revisions && files.get(0).toString().equals("-")) throw BadInputException.usage("--against compares a file in the working tree; '-' (stdin) has none");
        files = new java.util.ArrayList<>(files);
        CheckReport report;
        try (StdinModel stdin = StdinModel.replacing(files, System.in); var runner = options.runner(null)) {
            var targets = options.reportTargets(() -> RunInputs.ofModels(files, options.thresholdsFile(), checkOptions));
            Interruption.progress("the check had not finished");
            // One runner for every comparison: the modified model's health is measured once (the measurer keys it by
            // content), each baseline's once, and each pair is timed on its own.
            List<CheckReport> reports = new java.util.ArrayList<>();
            List<String> labels = new java.util.ArrayList<>();
            if (revisions) {
                Path file = files.get(0);
                for (String rev : against) {
                    try (GitRevision old = rev.equals(AcceptedBaselines.AGAINST) ? AcceptedBaselines.of(file).against(file) : GitRevision.of(file, rev)) {
                        CheckReport r = runner.check(old.file(), file, checkOptions);
                        reports.add(r.withOriginal(r.original().withSource(old.label())));
                        labels.add(rev);
                    }
                }
            } else {
                Path modified = files.get(files.size() - 1);
                for (Path original : files.subList(0, files.size() - 1)) {
                    CheckReport r = runner.check(original, modified, checkOptions);
                    if (stdin != null) r = fromStdin(r, stdin.file());
                    reports.add(r);
                    labels.add(r.original().source());
                }
            }
            report = reports.get(0);
            List<Comparison> further = new java.util.ArrayList<>();
            for (int i = 1; i < reports.size(); i++) further.add(Comparison.of(labels.get(i), reports.get(i)));
            report = report.withComparisons(further);
            CheckReport result = report;
            options.emit(targets, r -> r.render(result), true, spec.commandLine().getOut());
        }
        return ExitCodes.of(report.verdict());
    }

    /** Reports name stdin's model "-" (as given), not its temporary file. */
    private static CheckReport fromStdin(CheckReport r, java.nio.file.Path file) {
        String tmp = file.toString();
        if (r.original().source().equals(tmp)) r = r.withOriginal(r.original().withSource("-"));
        if (r.modified().source().equals(tmp)) r = r.withModified(r.modified().withSource("-"));
        return r;
    }
}
