package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What a user of a professional CLI expects: suggestions, every command named, completion, --color. */
class CliHabitsTest {
    static final String A = "samples/lenet/original.yaml", B = "samples/lenet/conv2-4x.yaml";

    @Test
    void aMistypedCommandOrOptionGetsPicocliSuggestions() {
        Cli.Result command = Cli.run("chek", A, B);
        assertEquals(2, command.code());
        assertTrue(command.err().contains("Did you mean: modelgate check"), command.err());
        Cli.Result option = Cli.run("check", A, B, "--statik");
        assertEquals(2, option.code());
        assertTrue(option.err().contains("--static"), option.err());
    }

    @Test
    void aMissingCommandNamesEveryCommand() {
        Cli.Result r = Cli.run();
        assertEquals(2, r.code());
        for (String c : new String[] {"check", "audit", "merge", "inspect", "rules", "completion"}) assertTrue(r.err().contains(c), r.err());
    }

    @Test
    void completionPrintsABashScriptOfEveryCommandAndOption() {
        Cli.Result r = Cli.run("completion");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("#!/usr/bin/env bash"), r.out().substring(0, 40));
        assertTrue(r.out().contains("audit") && r.out().contains("--fail-on") && r.out().contains("--input-shape"));
    }

    @Test
    void colorAlwaysAndNeverOverrideTheTerminalTest() {
        assertTrue(Cli.run("check", A, B, "--static", "--color", "always").out().contains("\u001b["));
        assertFalse(Cli.run("check", A, B, "--static", "--color", "never").out().contains("\u001b["));
        assertFalse(Cli.run("check", A, B, "--static").out().contains("\u001b["), "auto: not a terminal here");
    }
}
