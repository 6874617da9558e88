package dev.modelgate.cli;

import dev.modelgate.check.Checker;
import dev.modelgate.render.Renderers;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Verdict;
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
    @Parameters(index = "0", paramLabel = "ORIGINAL", description = "The original model: a modelgate spec or a DL4J configuration (JSON or YAML).")
    Path original;

    @Parameters(index = "1", paramLabel = "MODIFIED", description = "The modified model, in any supported format.")
    Path modified;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate(List.of(original, modified));
        var targets = options.reportTargets();
        CheckReport report = new Checker(options.thresholds()).check(original, modified, options.checkOptions());
        for (var t : targets) {
            ReportWriter.write(t.path(), Renderers.create(t.format(), dev.modelgate.render.Style.PLAIN).render(report));
        }
        if (!options.quiet) {
            spec.commandLine().getOut().print(Renderers.create(options.format, options.style()).render(report));
            spec.commandLine().getOut().flush();
        }
        return report.verdict() == Verdict.PASS ? ExitCodes.PASS : report.verdict() == Verdict.FAIL ? ExitCodes.FAIL : ExitCodes.BAD_INPUT;
    }
}
