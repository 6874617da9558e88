package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Progress lines: on with --verbose (and on a terminal or in a CI log), never with --no-progress. */
class ProgressOptionTest {
    static boolean progress(String... args) {
        CheckCommand c = new CheckCommand();
        new CommandLine(c).parseArgs(args);
        return c.options.checkOptions().progress();
    }

    @Test
    void noProgressWinsOverEverything() {
        assertFalse(progress("a.yaml", "b.yaml", "--verbose", "--no-progress"));
        assertTrue(progress("a.yaml", "b.yaml", "--verbose"));
    }

    @Test
    void aCiLogGetsProgressByDefault() {
        String ci = System.getenv("CI");
        boolean inCi = ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
        // Not a terminal under Maven: the CI variable alone decides.
        assertEquals(inCi, progress("a.yaml", "b.yaml"));
    }
}
