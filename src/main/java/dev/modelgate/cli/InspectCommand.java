package dev.modelgate.cli;

import dev.modelgate.check.Checker;
import dev.modelgate.report.ModelReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "One model alone: per-layer table (shapes, parameters, MACs); unless --static, built and run once.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "MODEL", description = "A modelgate spec, a DL4J configuration (JSON or YAML), a DL4J model zip, or a Keras model (JSON or .h5).")
    Path model;

    @Mixin
    CommonOptions options;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        options.validate();
        options.thresholds(); // a bad --config is an error wherever it is given, even where no rule runs
        var checkOptions = options.checkOptions();
        var targets = options.reportTargets(() -> dev.modelgate.check.RunInputs.ofModels(List.of(model), options.thresholdsFile(), checkOptions));
        options.requireModelFormats(targets);
        // inspect measures its one model in this JVM, whatever --isolation says.
        dev.modelgate.check.Runners.prepareThisJvm(options.settings(null), options::note);
        ModelReport report;
        try (var hdf5 = dev.modelgate.check.Runners.hdf5Reader(options.settings(null))) {
            report = Checker.inspect(model, checkOptions, hdf5);
        }
        var environment = dev.modelgate.check.Environments.here(checkOptions.staticOnly());
        options.emit(targets, r -> r.renderModel(report, environment), false, spec.commandLine().getOut());
        return ExitCodes.PASS;
    }
}
