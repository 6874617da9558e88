package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class RelauncherTest {
    static String wanted(String... args) {
        return Relauncher.wantedThreads(args);
    }

    @Test
    void runsThatLoadDl4jHereWantOneThreadUnlessTold() {
        assertEquals("1", wanted("inspect", "a.yaml"));
        assertEquals("1", wanted("check", "a.yaml", "b.yaml", "--isolation", "none"));
        assertEquals("4", wanted("check", "a.yaml", "b.yaml", "--isolation", "none", "--threads", "4"));
        assertEquals("2", wanted("inspect", "a.yaml", "--threads=2"));
    }

    @Test
    void checksInAWorkerNeedNoRelaunch() {
        assertNull(wanted("check", "a.yaml", "b.yaml"), "the worker JVM is started with the setting");
        assertNull(wanted("audit", "dir", "--threads", "4"));
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
        assertNull(wanted("inspect", "a", "--threads", "zero"));
        assertNull(wanted("inspect", "a", "--threads", "0"));
    }
}
