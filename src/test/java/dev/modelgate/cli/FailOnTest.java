package dev.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * --fail-on new: a violation the original has too is reported (as a warning, marked pre-existing) but does not fail
 * the check; one the change introduces still does. The default, all, fails on both.
 */
class FailOnTest {
    static final String BROKEN = "samples/mlp/single-softmax.yaml", FINE = "samples/mlp/original.yaml";

    static JsonNode outputLoss(Cli.Result r) throws Exception {
        for (JsonNode x : new ObjectMapper().readTree(r.out()).path("results")) if (x.path("rule").asText().equals("output-loss")) return x;
        throw new AssertionError("no output-loss result: " + r.out());
    }

    @Test
    void aPreExistingViolationFailsByDefaultAndWarnsWithFailOnNew() throws Exception {
        Cli.Result all = Cli.run("check", BROKEN, BROKEN, "--static", "--format", "json");
        assertEquals(1, all.code(), all.err());
        assertEquals("FAIL", outputLoss(all).path("status").asText());
        Cli.Result onlyNew = Cli.run("check", BROKEN, BROKEN, "--static", "--format", "json", "--fail-on", "new");
        assertEquals(0, onlyNew.code(), onlyNew.err());
        JsonNode r = outputLoss(onlyNew);
        assertEquals("WARN", r.path("status").asText());
        assertTrue(r.path("preExisting").asBoolean(), r.toString());
        assertEquals("error", r.path("severity").asText(), "still a violation of an error rule");
    }

    @Test
    void aViolationTheChangeIntroducesFailsEitherWay() {
        assertEquals(1, Cli.run("check", FINE, BROKEN, "--static", "--fail-on", "new").code());
        assertEquals(1, Cli.run("check", FINE, BROKEN, "--static", "--fail-on", "all").code());
    }

    @Test
    void anUnknownValueIsAUsageError() {
        Cli.Result r = Cli.run("check", FINE, FINE, "--static", "--fail-on", "some");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--fail-on"), r.err());
    }
}
