package dev.modelgate.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnersTest {
    @Test
    void aWorkerIsCappedAtTheMemoryLimitBelowWhatTheKernelWouldKillAndAUsersOwnCapStands() {
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        List<String> capped = Runners.withPhysicalLimit(List.of("-Xmx2g"), CheckOptions.DEFAULT_MAX_MEMORY);
        assertTrue(capped.get(0).startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes="), capped.toString());
        long limit = Long.parseLong(capped.get(0).substring(capped.get(0).indexOf('=') + 1));
        assertEquals(Math.min(CheckOptions.DEFAULT_MAX_MEMORY + Runners.JVM_ALLOWANCE, (long) (total * 0.8)), limit);
        assertEquals("-Xmx2g", capped.get(1));
        List<String> own = List.of("-Dorg.bytedeco.javacpp.maxphysicalbytes=2g");
        assertEquals(own, Runners.withPhysicalLimit(own, CheckOptions.DEFAULT_MAX_MEMORY));
    }

    @Test
    void theCapIsTheLimitPlusTheJvmAndNeverAboveFourFifthsOfTheMachine() {
        long gib = 1L << 30;
        assertEquals(3 * gib, Runners.physicalLimit(2 * gib, 24 * gib), "--max-memory 2G: 2 GiB for the models, 1 for the JVM");
        assertEquals((long) (24 * gib * 0.8), Runners.physicalLimit(100 * gib, 24 * gib), "a limit above the machine: the kernel's line");
        assertEquals((long) (24 * gib * 0.8), Runners.physicalLimit(Long.MAX_VALUE, 24 * gib), "no overflow");
    }
}
