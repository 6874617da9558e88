package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RelauncherTest {
    static String wanted(String... args) {
        return Relauncher.wantedThreads(args);
    }

    @Test
    void runsThatLoadDl4jWantOneThreadUnlessTold() {
        assertEquals("1", wanted("check", "a.yaml", "b.yaml"));
        assertEquals("1", wanted("inspect", "a.yaml"));
        assertEquals("4", wanted("check", "a.yaml", "b.yaml", "--threads", "4"));
        assertEquals("2", wanted("check", "a.yaml", "b.yaml", "--threads=2"));
    }

    @Test
    void runsThatLoadNothingNativeAreNotRelaunched() {
        assertNull(wanted("check", "a.yaml", "b.yaml", "--static"));
        assertNull(wanted("rules"));
        assertNull(wanted("--version"));
        assertNull(wanted("check", "--help"));
        assertNull(wanted());
    }

    @Test
    void aMalformedThreadCountIsLeftToTheUsageError() {
        assertNull(wanted("check", "a", "b", "--threads", "zero"));
        assertNull(wanted("check", "a", "b", "--threads", "0"));
    }
}
