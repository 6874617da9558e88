package dev.modelgate.cli;

import picocli.CommandLine;

import java.io.PrintWriter;

/** Entry point. {@link #run} never calls System.exit, so tests run the real command line in-process. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        var relaunched = Relauncher.relaunchIfNeeded(args);
        if (relaunched.isPresent()) System.exit(relaunched.getAsInt());
        Relauncher.endWithParentIfRelaunched();
        Interruption.install(System.err);
        int code = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        Interruption.finished();
        System.exit(code);
    }

    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(new CommandLine(new ModelgateCommand()), args, out, err);
    }

    /** Runs {@code cl} with modelgate's handling of failures and its exit codes. */
    static int run(CommandLine cl, String[] args, PrintWriter out, PrintWriter err) {
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --fail-on new, --color never, as users type them
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(ErrorHandler::usageError);
        int code;
        try {
            code = cl.execute(args);
        } catch (Error e) {
            // picocli hands only Exceptions to the handler; an Error (stack overflow, out of memory) would otherwise end
            // the JVM with its stack trace and exit code 1, which means FAIL.
            code = ErrorHandler.javaFailure(e, cl);
        }
        out.flush();
        err.flush();
        return code;
    }
}
