package dev.modelgate.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code modelgate completion}: picocli's own completion script for bash (zsh reads it through bashcompinit), made
 * from the command model itself, so every command and option completes as it is defined.
 */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = {"Print a completion script for bash and zsh.",
                "bash: source <(modelgate completion)   (or write it to /etc/bash_completion.d/modelgate)",
                "zsh:  autoload -U +X bashcompinit && bashcompinit && source <(modelgate completion)"})
public final class CompletionCommand implements java.util.concurrent.Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        CommandLine root = spec.commandLine().getParent();
        root.getOut().print(AutoComplete.bash(root.getCommandName(), root));
        root.getOut().flush();
        return 0;
    }
}
