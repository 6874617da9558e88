package dev.modelgate.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code modelgate accept FILE...}: records each model's current content as its accepted version. */
@Command(name = "accept", mixinStandardHelpOptions = true,
        description = {"Record each model's current content as its accepted version, in .modelgate/accepted/ at the top of the git work tree "
                + "(commit it with the model). check FILE --against accepted then compares with it, so growth cannot compound change by change."})
final class AcceptCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE", description = "Model files (specs, DL4J or Keras configs, zips, HDF5).")
    List<Path> files;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        var err = spec.commandLine().getErr();
        for (Path f : files) {
            AcceptedBaselines store = AcceptedBaselines.of(f);
            Path record = store.accept(f);
            err.println("modelgate: accepted " + f + " (" + store.root().relativize(record) + ")");
        }
        err.flush();
        return ExitCodes.PASS;
    }
}
