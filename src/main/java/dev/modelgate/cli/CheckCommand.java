package dev.modelgate.cli;

import dev.modelgate.check.RunInputs;
import dev.modelgate.error.BadInputException;
import dev.modelgate.report.CheckReport;
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
    @Parameters(arity = "1..2", paramLabel = "FILE",
            description = "ORIGINAL MODIFIED: two models, each a modelgate spec, a DL4J configuration (JSON or YAML), a DL4J model zip, or a Keras model (JSON or .h5). "
                    + "With --against: one file, the modified version in the working tree.")
    List<Path> files;

    @picocli.CommandLine.Option(names = "--against", paramLabel = "REV", arity = "0..1", fallbackValue = "HEAD",
            description = "Compare FILE with its own version at git revision REV (default HEAD), or with its accepted version "
                    + "(REV 'accepted': recorded by modelgate accept).")
    String against;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        if (against != null && files.size() != 1) throw BadInputException.usage("--against takes one FILE (the working-tree version), got " + files.size());
        if (against == null && files.size() != 2) throw BadInputException.usage("check takes ORIGINAL and MODIFIED, or one FILE with --against REV");
        options.validate();
        var checkOptions = options.checkOptions();
        if (against != null && files.get(0).toString().equals("-")) throw BadInputException.usage("--against compares a file in the working tree; '-' (stdin) has none");
        files = new java.util.ArrayList<>(files);
        CheckReport report;
        try (StdinModel stdin = StdinModel.replacing(files, System.in); var runner = options.runner(null)) {
            var targets = options.reportTargets(() -> RunInputs.ofModels(files, options.thresholdsFile(), checkOptions));
            Interruption.progress("the check had not finished");
            if (against != null) {
                try (GitRevision old = against.equals(AcceptedBaselines.AGAINST) ? AcceptedBaselines.of(files.get(0)).against(files.get(0))
                        : GitRevision.of(files.get(0), against)) {
                    report = runner.check(old.file(), files.get(0), checkOptions);
                    report = report.withOriginal(report.original().withSource(old.label()));
                }
            } else {
                report = runner.check(files.get(0), files.get(1), checkOptions);
                if (stdin != null) report = fromStdin(report, stdin.file());
            }
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
