package dev.modelgate.check;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RunnersTest {
    @Test
    void aWorkerIsCappedBelowWhatTheKernelWouldKillAndAUsersOwnCapStands() {
        List<String> capped = Runners.withPhysicalLimit(List.of("-Xmx2g"));
        assertTrue(capped.get(0).startsWith("-Dorg.bytedeco.javacpp.maxphysicalbytes="), capped.toString());
        long limit = Long.parseLong(capped.get(0).substring(capped.get(0).indexOf('=') + 1));
        long total = ((com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getTotalMemorySize();
        assertTrue(limit < total && limit > total / 2, limit + " of " + total);
        assertEquals("-Xmx2g", capped.get(1));
        List<String> own = List.of("-Dorg.bytedeco.javacpp.maxphysicalbytes=2g");
        assertEquals(own, Runners.withPhysicalLimit(own));
    }
}
