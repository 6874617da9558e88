package dev.modelgate.cli;

import java.io.PrintStream;

/**
 * What to say and undo when the user presses Ctrl-C: report files are written by rename, so none is ever half
 * written (and unfinished temporary files are deleted on exit); worker JVMs are ended; and one line says how far the
 * run got.
 */
final class Interruption {
    private static volatile String progress = "nothing was finished";
    private static volatile boolean done;

    private Interruption() {}

    static void progress(String what) {
        progress = what;
    }

    static void finished() {
        done = true;
    }

    /** Installed by main() only: tests run the command line in-process and must not leave hooks behind. */
    static void install(PrintStream err) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (done) return;
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            err.println();
            err.println("modelgate: interrupted: " + progress + "; no report was written");
            err.flush();
        }, "modelgate-interrupted"));
    }
}
