package dev.modelgate.api;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.CheckRunner;
import dev.modelgate.check.RunSettings;
import dev.modelgate.check.Runners;
import dev.modelgate.error.BadInputException;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The core used from a JUnit test of a Java project, as the README shows it. The example between the markers is the
 * README's, character for character (the last test holds them together), so the documented code is code that runs.
 */
class JavaApiExampleTest {
    @Test
    void aJavaProjectGatesItsModelChangeInAUnitTest() {
        // README example: begin
        RunSettings settings = RunSettings.defaults().withCheck(CheckOptions.STATIC);
        try (CheckRunner runner = Runners.open(settings, System.err::println)) {
            CheckReport report = runner.check(Path.of("samples/lenet/original.yaml"), Path.of("samples/lenet/conv2-4x.yaml"), settings.check());
            List<RuleResult> failed = report.results().stream().filter(r -> r.status() == Status.FAIL).toList();
            assertEquals(Verdict.FAIL, report.verdict());
            assertEquals("channel-growth", failed.get(0).rule());
        }
        // README example: end
    }

    @Test
    void aJavaCallerMeetsTheSameValidationAsTheCommandLine() {
        BadInputException e = assertThrows(BadInputException.class, () -> CheckOptions.RUN.withIterations(0));
        assertEquals(BadInputException.Kind.USAGE, e.kind());
        assertTrue(e.getMessage().contains("--iterations must be between 1 and 10000"), e.getMessage());
        assertThrows(BadInputException.class, () -> RunSettings.defaults().withIsolation("container"));
        BadInputException missing = assertThrows(BadInputException.class, () -> {
            try (CheckRunner runner = Runners.open(RunSettings.defaults().withCheck(CheckOptions.STATIC), s -> {})) {
                runner.check(Path.of("samples/lenet/original.yaml"), Path.of("no-such-model.yaml"), CheckOptions.STATIC);
            }
        });
        assertEquals(BadInputException.Kind.MODEL, missing.kind());
        assertEquals("no-such-model.yaml", missing.file());
    }

    @Test
    void theReadmeShowsThisExample() throws Exception {
        String source = Files.readString(Path.of("src/test/java/dev/modelgate/api/JavaApiExampleTest.java"));
        String example = source.substring(source.indexOf("// README example: begin\n") + "// README example: begin\n".length(),
                source.indexOf("        // README example: end")).stripTrailing().stripIndent() + "\n";
        String readme = Files.readString(Path.of("README.md"));
        assertTrue(readme.contains(example), "README.md shows the example of JavaApiExampleTest as it is:\n" + example);
    }
}
