package dev.modelgate.rule;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ThresholdsTest {
    @TempDir Path dir;

    @Test
    void shippedThresholdsFileAgreesWithTheRulesOwnDefaults() {
        Thresholds shipped = Thresholds.defaults(), code = Thresholds.builtIn();
        assertEquals("config/thresholds.yaml", shipped.source(), "the file is packaged and read");
        for (RuleMetadata m : RuleRegistry.all()) {
            assertEquals(code.settings(m.id()), shipped.settings(m.id()), m.id());
        }
    }

    @Test
    void interviewThresholdsAreTheDefaults() {
        Thresholds t = Thresholds.defaults();
        assertEquals(2.0, t.settings("training-time").get("max-ratio"));
        assertEquals(1.5, t.settings("inference-latency").get("max-ratio"));
        assertEquals(-1e3, t.settings("activation-range").get("min"));
        assertEquals(1e3, t.settings("activation-range").get("max"));
        assertEquals(100, t.settings("gradient-explosion").get("max"));
        assertEquals(1e-5, t.settings("gradient-vanishing").get("min"));
        assertEquals(2.0, t.settings("channel-growth").get("max-ratio"));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "rules: {channel-growth: {max-ratio: -2}}                  | rules.channel-growth.max-ratio: must be a number of at least 1, got -2",
            "rules: {channel-shrink: {min-ratio: 0}}                   | rules.channel-shrink.min-ratio: must be a number in (0, 1], got 0",
            "rules: {activation-range: {min: 10, max: 5}}              | rules.activation-range: min (10.0) must be below max (5.0)",
            "rules: {channel-grwoth: {max-ratio: 3}}                   | unknown rule 'channel-grwoth' (did you mean 'channel-growth'?)",
            "rules: {channel-growth: {max-ration: 3}}                  | unknown key 'max-ration' for rule channel-growth (did you mean 'max-ratio'?)",
            "rules: {channel-growth: {severity: fatal}}                | unknown severity 'fatal'; valid: error, warning, off",
            "rules: {channel-growth: {max-ratio: lots}}                | expected a number, got 'lots'",
            "rule: {}                                                  | unknown key 'rule' (did you mean 'rules'?)",
            "rules: [1, 2]                                             | expected a mapping of rule ids to settings",
            "rules: {gradient-vanishing: {min: .inf}}                  | '.inf'",
            "rules: {channel-growth: {severity: true}}                 | unknown severity 'true'",
            "rules: {parallel-branches: {max-branches: 2.5}}           | max-branches: must be a whole number of at least 1, got 2.5",
    })
    void badConfigsAreRejectedWithFileLineAndKey(String yaml, String expected) {
        Path cfg = TestFiles.write(dir, "bad.yaml", yaml + "\n");
        BadInputException e = assertThrows(BadInputException.class, () -> Thresholds.defaults().overlay(cfg));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
        assertTrue(e.getMessage().startsWith(cfg.toString()), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void aMissingConfigFileIsAClearError() {
        BadInputException e = assertThrows(BadInputException.class, () -> Thresholds.defaults().overlay(dir.resolve("none.yaml")));
        assertEquals(dir.resolve("none.yaml") + ": file not found", e.getMessage());
    }

    @Test
    void onlyTheKeysAConfigSetsChange() {
        Path cfg = TestFiles.write(dir, "c.yaml", "rules:\n  training-time: {max-ratio: 3}\n");
        Thresholds t = Thresholds.defaults().overlay(cfg);
        assertEquals(3.0, t.settings("training-time").get("max-ratio"));
        assertEquals(dev.modelgate.report.Severity.ERROR, t.settings("training-time").severity());
        assertEquals(1.5, t.settings("inference-latency").get("max-ratio"));
    }
}
