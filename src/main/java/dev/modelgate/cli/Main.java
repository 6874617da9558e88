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
        CommandLine cl = new CommandLine(new ModelgateCommand());
        cl.setCaseInsensitiveEnumValuesAllowed(true); // --fail-on new, as users type it
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler(new ErrorHandler());
        cl.setParameterExceptionHandler(ErrorHandler::usageError);
        int code = cl.execute(args);
        out.flush();
        err.flush();
        return code;
    }
}
