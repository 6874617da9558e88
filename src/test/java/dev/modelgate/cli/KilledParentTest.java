package dev.modelgate.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * modelgate killed outright (SIGKILL, which runs no shutdown hook: issue 12, item 10): its worker JVM stops within
 * seconds instead of computing on, and the hidden copy {@code --against} wrote into the repository, which nothing
 * could remove then, is removed by the next {@code --against} there.
 */
class KilledParentTest {
    /** Slow enough to be mid-check for a minute: two 64-filter convolutions on 128x128 images at batch 128. */
    static final String SLOW = "input: {image: [3, 128, 128]}\ntraining: {batch-size: 128}\nlayers:\n"
            + "  - {type: conv2d, filters: 64, kernel: 3, padding: same}\n  - {type: conv2d, filters: 64, kernel: 3, padding: same}\n"
            + "  - {type: global-pool}\noutput: {classes: 2}\n";

    @TempDir Path repo;

    /** A worker JVM, by its main class (ProcessHandle's command line is cut short on Linux; /proc has all of it). */
    static boolean isWorker(ProcessHandle p) {
        try {
            return Files.readString(Path.of("/proc", String.valueOf(p.pid()), "cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .contains("dev.modelgate.check.WorkerMain");
        } catch (java.io.IOException | RuntimeException e) {
            return false; // ended meanwhile
        }
    }

    @Test
    void aWorkerEndsWithItsKilledParentAndTheNextRunRemovesTheLeftCopy() throws Exception {
        Files.writeString(repo.resolve("model.yaml"), SLOW);
        git("init", "-q");
        git("add", "model.yaml");
        git("commit", "-q", "-m", "slow");
        Process main = new ProcessBuilder(java(), "-cp", System.getProperty("java.class.path"), "dev.modelgate.cli.Main", "check",
                repo.resolve("model.yaml").toString(), "--against", "HEAD", "--isolation", "worker", "--max-memory", "1T", "--timeout", "300")
                .redirectErrorStream(true).redirectOutput(repo.resolve("../out.txt").normalize().toFile()).start();
        try {
            // Wait for the worker, then give it time to be deep in the check (past loading ND4J).
            List<ProcessHandle> workers = List.of();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (workers.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(200);
                // The worker JVMs only: git (for --against) is a descendant too, and ends at once.
                workers = main.descendants().filter(ProcessHandle::isAlive)
                        .filter(KilledParentTest::isWorker).toList();
            }
            assertTrue(!workers.isEmpty(), "a worker started");
            Thread.sleep(8000);
            assertTrue(workers.stream().allMatch(ProcessHandle::isAlive), "the worker is still checking");
            assertEquals(1, leftCopies().size(), "the old version is written beside the file while the check runs");

            main.destroyForcibly(); // SIGKILL: no shutdown hook runs
            assertTrue(main.waitFor(10, TimeUnit.SECONDS));
            long gone = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (workers.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < gone) Thread.sleep(100);
            assertTrue(workers.stream().noneMatch(ProcessHandle::isAlive), "the worker ended within 5 s of its parent's SIGKILL");
        } finally {
            main.destroyForcibly();
            main.descendants().forEach(ProcessHandle::destroyForcibly);
        }
        assertEquals(1, leftCopies().size(), "a SIGKILLed process cannot remove its copy");
        Cli.Result r = Cli.run("check", repo.resolve("model.yaml").toString(), "--against", "HEAD", "--static");
        assertEquals(0, r.code(), r.toString());
        assertEquals(List.of(), leftCopies(), "the next --against removed the copy of the killed process, and its own");
    }

    List<Path> leftCopies() throws Exception {
        try (var files = Files.list(repo)) {
            return files.filter(p -> p.getFileName().toString().startsWith(".modelgate-")).toList();
        }
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    void git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.waitFor(), out);
    }
}
