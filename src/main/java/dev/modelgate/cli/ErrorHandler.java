package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import picocli.CommandLine;

import java.io.PrintWriter;

/**
 * Every failure becomes one line on stderr and an exit code: 2 for bad input (the line names the file and field),
 * 3 for a bug in modelgate. Stack traces only with --verbose.
 */
final class ErrorHandler implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception e, CommandLine cl, CommandLine.ParseResult parseResult) {
        return report(e, cl, parseResult);
    }

    /** A failure of the JVM itself (an {@link Error}, which picocli does not hand to the handler): exit 3, one line. */
    static int javaFailure(Error e, CommandLine cl) {
        return report(e, cl, cl.getParseResult());
    }

    private static int report(Throwable e, CommandLine cl, CommandLine.ParseResult parseResult) {
        PrintWriter err = cl.getErr();
        boolean verbose = parseResult != null && (parseResult.hasMatchedOption("--verbose")
                || parseResult.subcommands().stream().anyMatch(p -> p.hasMatchedOption("--verbose")));
        int code = ExitCodes.of(e);
        if (code == ExitCodes.BAD_INPUT) err.println("modelgate: error: " + e.getMessage());
        else if (e instanceof dev.modelgate.error.InfrastructureException) err.println("modelgate: internal error: " + e.getMessage());
        else if (e instanceof OutOfMemoryError) err.println("modelgate: internal error: this JVM ran out of memory (" + e + "); "
                + "with --isolation none the models run in it: the default worker isolation reports this as a limit (exit 4), "
                + "or give more memory with MODELGATE_JAVA_OPTS (-Xmx, -Dorg.bytedeco.javacpp.maxbytes)");
        else err.println("modelgate: internal error: " + e + (verbose ? "" : " (a bug in modelgate; rerun with --verbose for the stack trace and report it)"));
        if (verbose) e.printStackTrace(err);
        err.flush();
        return code;
    }

    static int usageError(CommandLine.ParameterException e, String[] args) {
        CommandLine cl = e.getCommandLine();
        PrintWriter err = cl.getErr();
        err.println("modelgate: error: " + e.getMessage());
        // picocli's own "Did you mean" for a mistyped command or option (chek -> check, --statik -> --static).
        if (e instanceof CommandLine.UnmatchedArgumentException u) u.printSuggestions(err);
        String name = cl.getCommandSpec().qualifiedName();
        err.println("Try '" + name + " --help' for usage.");
        err.flush();
        return ExitCodes.BAD_INPUT;
    }
}
