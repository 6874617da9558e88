package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A failure of the JVM itself (an {@link Error}: a stack overflow, running out of heap or native memory in this JVM
 * with --isolation none) escaping a command is exit 3, never 1 (which means FAIL), and one line without a stack trace
 * unless --verbose. picocli hands only Exceptions to the execution exception handler; an Error passes through
 * {@code execute}, and uncaught it ended the JVM with Java's own stack trace and exit code 1. The commands here plant
 * the Error; the wiring they run through is {@link Main}'s own.
 */
class JavaFailureTest {

    @CommandLine.Command(name = "modelgate")
    static final class Throws implements Runnable {
        @CommandLine.Option(names = "--verbose") boolean verbose;
        @CommandLine.Parameters String kind;

        public void run() {
            switch (kind) {
                case "stack" -> recurse(0);
                case "heap" -> throw new OutOfMemoryError("Java heap space");
                case "native" -> throw new OutOfMemoryError("Cannot allocate new FloatPointer(1000000000): totalBytes = 1G, physicalBytes = 2G");
                default -> throw new AssertionError(kind);
            }
        }

        private static int recurse(int depth) {
            return recurse(depth + 1) + 1;
        }
    }

    private static Cli.Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int code = Main.run(new CommandLine(new Throws()), args, new PrintWriter(out), new PrintWriter(err));
        return new Cli.Result(code, out.toString(), err.toString());
    }

    @Test
    void aStackOverflowIsExitThreeInOneLine() {
        Cli.Result r = run("stack");
        assertEquals(ExitCodes.INTERNAL, r.code(), r.toString());
        assertTrue(r.err().startsWith("modelgate: internal error: java.lang.StackOverflowError"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void runningOutOfHeapOrNativeMemoryIsExitThreeInOneLineThatSaysWhatToDo() {
        for (String kind : new String[] {"heap", "native"}) {
            Cli.Result r = run(kind);
            assertEquals(ExitCodes.INTERNAL, r.code(), r.toString());
            assertTrue(r.err().startsWith("modelgate: internal error: this JVM ran out of memory (java.lang.OutOfMemoryError: "), r.err());
            assertTrue(r.err().contains("MODELGATE_JAVA_OPTS"), r.err());
            assertEquals(1, r.err().lines().count(), r.err());
        }
    }

    @Test
    void verboseAddsTheStackTrace() {
        Cli.Result r = run("stack", "--verbose");
        assertEquals(ExitCodes.INTERNAL, r.code(), r.toString());
        assertTrue(r.err().contains("\tat dev.modelgate.cli.JavaFailureTest$Throws.recurse"), r.err().lines().limit(5).toList().toString());
    }
}
