package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping modelgate (Ctrl-C, or SIGTERM as here: the same shutdown path) leaves no half report and no worker. */
class InterruptionTest {
    @TempDir Path dir;

    @Test
    void anInterruptedAuditSaysHowFarItGotAndWritesNothing() throws Exception {
        Path report = dir.resolve("audit.json");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp", System.getProperty("java.class.path"),
                "dev.modelgate.cli.Main", "audit", "samples/lenet", "--no-cache", "--isolation", "worker", "--report", "json=" + report)
                .redirectErrorStream(true).redirectOutput(dir.resolve("out.txt").toFile()).start();
        // Wait until the first check has finished, then stop it mid-audit.
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline && !(Files.exists(dir.resolve("out.txt")) && Files.readString(dir.resolve("out.txt")).contains("[2/"))) {
            Thread.sleep(200);
        }
        long workersBefore = p.descendants().count();
        p.destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = Files.readString(dir.resolve("out.txt"));
        assertTrue(workersBefore > 0, "a worker was running");
        assertTrue(out.contains("modelgate: interrupted: 1 of 11 configs were checked; no report was written"), out);
        assertFalse(Files.exists(report), "no report, not even a partial one");
        try (var files = Files.list(dir)) {
            assertTrue(files.noneMatch(f -> f.getFileName().toString().endsWith(".tmp")), "no temporary file left");
        }
        Thread.sleep(500);
        assertTrue(p.descendants().noneMatch(ProcessHandle::isAlive), "the worker was ended too");
    }
}
