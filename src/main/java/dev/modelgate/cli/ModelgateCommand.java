package dev.modelgate.cli;

import dev.modelgate.check.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

@Command(name = "modelgate",
        mixinStandardHelpOptions = true,
        versionProvider = ModelgateCommand.VersionProvider.class,
        description = "Decides whether a change to a deep-learning model is legitimate: measures an original and a modified "
                + "model and applies thresholds for channel growth, timing, activations and gradients.",
        subcommands = {CheckCommand.class, AuditCommand.class, MergeCommand.class, InspectCommand.class, RulesCommand.class, AcceptCommand.class, CompletionCommand.class,
                CommandLine.HelpCommand.class},
        footerHeading = "%nExit codes:%n",
        footer = {"  0  pass: no rule of severity error failed",
                  "  1  fail: at least one rule of severity error failed",
                  "  2  bad input or usage (one line on stderr names the file and field)",
                  "  3  internal error (a bug in modelgate)",
                  "",
                  "Docs: docs/spec-format.md (model specs), docs/rules.md (rules and thresholds)."})
public final class ModelgateCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        // Every command by name, from picocli's own list, so a new command is named here too.
        java.util.List<String> names = new java.util.ArrayList<>(spec.subcommands().keySet());
        String last = names.remove(names.size() - 1);
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: " + String.join(", ", names) + " or " + last);
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override public String[] getVersion() {
            return new String[] {"modelgate " + Version.get() + " (DL4J 1.0.0-M2.1, Java " + System.getProperty("java.version") + ")"};
        }
    }
}
