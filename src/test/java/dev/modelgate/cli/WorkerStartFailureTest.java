package dev.modelgate.cli;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A worker JVM that cannot start is modelgate's failure, not the input's (issue 12, item 12): exit 3 and one line,
 * in a check and in an audit (which stops: every config would fail the same way), instead of exit 2.
 */
class WorkerStartFailureTest {
    record Run(int code, String out, String err) {}

    static Run modelgate(String workerOpts, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), "dev.modelgate.cli.Main"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("MODELGATE_WORKER_OPTS", workerOpts);
        Process p = pb.start();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    @Test
    void aBadWorkerJvmOptionIsExit3AndOneLine() throws Exception {
        for (String[] args : List.of(new String[] {"check", "samples/mlp/original.yaml", "samples/mlp/original.yaml", "--isolation", "worker"},
                new String[] {"audit", "samples/mlp", "--isolation", "worker", "--no-cache", "--quiet"},
                new String[] {"check", "--static", "src/test/resources/keras/small-mlp.h5", "samples/mlp/original.yaml"})) {
            Run r = modelgate("-XX:+NoSuchOptionForModelgateTests", args);
            String what = String.join(" ", args) + "\n" + r;
            assertEquals(3, r.code(), what);
            assertEquals(1, r.err().strip().lines().count(), "one line: " + what);
            assertTrue(r.err().startsWith("modelgate: internal error: the worker JVM ended as it started"), what);
            assertTrue(r.err().contains("NoSuchOptionForModelgateTests"), "the line names the JVM's complaint: " + what);
            assertTrue(!r.err().contains("\tat "), what);
        }
    }

    @Test
    void aMissingJavaBinaryIsAnInfrastructureFailure() {
        var settings = new dev.modelgate.check.WorkerRunner.Settings("1", 60, null, null, List.of()).withJava(Path.of("/no/such/java"));
        try (var w = new dev.modelgate.check.WorkerRunner(settings)) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.modelgate.error.InfrastructureException.class,
                    () -> w.check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/original.yaml"), dev.modelgate.check.CheckOptions.RUN));
            assertTrue(e.getMessage().startsWith("cannot start a worker JVM (/no/such/java)"), e.getMessage());
        }
    }
}
