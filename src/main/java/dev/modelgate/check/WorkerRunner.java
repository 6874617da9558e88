package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.CheckReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs each check in a worker JVM started with the right environment (OMP_NUM_THREADS, ND4J's backend priorities),
 * so that a native crash, an out-of-memory or a hang in DL4J costs one check, not the whole run, and the thread and
 * backend settings never depend on how modelgate itself was launched. One worker serves many checks (an audit) and is
 * replaced after a crash or a timeout.
 */
public final class WorkerRunner implements CheckRunner {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param threads     OMP_NUM_THREADS for the worker
     * @param timeoutSeconds longest a check may take before the worker is stopped
     * @param thresholds  the thresholds file to apply over the defaults, or null
     * @param cacheDir    the measurement cache, or null for none
     * @param jvmOptions  extra options for the worker JVM (MODELGATE_WORKER_OPTS)
     * @param backend     {@code cpu} (ND4J's CPU backend first), {@code auto} (CUDA first, the CPU if CUDA does not
     *                    load) or {@code cuda} (CUDA first, and a worker that loaded anything else measures nothing)
     */
    public record Settings(String threads, double timeoutSeconds, Path thresholds, Path cacheDir, List<String> jvmOptions, String backend) {
        public Settings {
            if (backend == null || !List.of("cpu", "auto", "cuda").contains(backend)) throw new IllegalArgumentException("backend must be cpu, auto or cuda, got " + backend);
        }

        /** On the CPU backend. */
        public Settings(String threads, double timeoutSeconds, Path thresholds, Path cacheDir, List<String> jvmOptions) {
            this(threads, timeoutSeconds, thresholds, cacheDir, jvmOptions, "cpu");
        }
    }

    private final Settings settings;
    private BackendProbe.Loaded loaded;
    private Process process;
    private Writer in;
    private BlockingQueue<String> answers;

    public WorkerRunner(Settings settings) {
        this.settings = settings;
    }

    /**
     * Starts the worker now, if it is not running, and says which backend it loaded, on what device: the caller can
     * refuse a fallback before anything is measured (check refuses it too, as a last line of defence).
     */
    public BackendProbe.Loaded start() {
        ensureStarted();
        return loaded;
    }

    /**
     * Null when a worker that loaded {@code loaded} may measure for {@code requested}; else why not, in one line.
     * A CPU fallback is refused only where CUDA was required.
     */
    static String refusal(String requested, BackendProbe.Loaded loaded) {
        if (requested.equals("cuda") && !loaded.backend().equals("cuda")) {
            return "the CUDA backend was required but did not load in the worker JVM (ND4J loaded " + loaded.backend()
                    + (loaded.cudaSkipped() == null ? "" : "; it skipped CUDA: " + loaded.cudaSkipped()) + "); nothing was measured";
        }
        if (requested.equals("cpu") && !loaded.backend().equals("cpu")) {
            return "the CPU backend was required but ND4J loaded " + loaded.backend() + " in the worker JVM; nothing was measured";
        }
        return null;
    }

    /**
     * The check, measured in the worker. A check stopped by a limit while measuring (the timeout, the worker running
     * out of memory) still reports what does not need the models to run: the structural rules, judged here, with the
     * runtime rules as ERROR saying why (the verdict is FAIL if a structural rule fails, else ERROR: could not finish).
     */
    @Override
    public CheckReport check(Path original, Path modified, CheckOptions options) {
        try {
            return measured(original, modified, options);
        } catch (BadInputException e) {
            if (e.kind() != BadInputException.Kind.STOPPED) throw e;
            return Incomplete.report(original, modified, options, settings.thresholds(), e);
        }
    }

    private CheckReport measured(Path original, Path modified, CheckOptions options) {
        ensureStarted();
        String refused = refusal(settings.backend(), loaded);
        if (refused != null) {
            stop();
            throw BadInputException.run(refused, null);
        }
        try {
            in.write(WorkerMain.request(original, modified, options) + "\n");
            in.flush();
        } catch (IOException e) {
            throw died("could not be given the check (" + e.getMessage() + ")", modified);
        }
        String line = await(settings.timeoutSeconds(), modified);
        JsonNode a;
        try {
            a = MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from the worker: " + e.getMessage());
        }
        if (a.path("exiting").asBoolean()) {
            // The worker ends itself after this answer (after an OutOfMemoryError); the next check gets a fresh one.
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            process = null;
        }
        if (a.has("report")) return ReportCodec.check(a.get("report"));
        if (a.path("error").isObject()) throw ReportCodec.error(a.get("error"));
        throw new IllegalStateException("the worker JVM failed: " + a.path("internal").asText(line));
    }

    private String await(double seconds, Path modified) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
                if (line == null) {
                    stop();
                    throw BadInputException.stopped(modified, "stopped after the " + fmt(seconds) + " s timeout (--timeout); the worker was ended");
                }
                if (line.equals(EOF)) throw died("died", modified);
                if (line.startsWith(WorkerMain.MARKER)) return line.substring(WorkerMain.MARKER.length());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw BadInputException.run(modified + ": interrupted", e);
        }
    }

    private static final String EOF = "\u0000eof";

    private BadInputException died(String what, Path modified) {
        Integer code = null;
        try {
            if (process != null && process.waitFor(5, TimeUnit.SECONDS)) code = process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        return BadInputException.run(modified + ": the worker JVM " + what + (code == null ? "" : " with exit code " + code)
                + " while checking it (a native crash or running out of memory); the other checks go on", null);
    }

    private void ensureStarted() {
        if (process != null && process.isAlive()) return;
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(settings.jvmOptions());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        if (settings.thresholds() != null) cmd.addAll(List.of("--thresholds", settings.thresholds().toAbsolutePath().toString()));
        if (settings.cacheDir() != null) cmd.addAll(List.of("--cache-dir", settings.cacheDir().toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().put("OMP_NUM_THREADS", settings.threads());
        pb.environment().put("MODELGATE_RELAUNCHED", "1");
        // ND4J picks its backend from these, read once at load: the choice is made here, for the worker's lifetime.
        pb.environment().putAll(BackendChoice.environment(settings.backend()));
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start a worker JVM: " + e.getMessage(), e);
        }
        in = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        answers = new LinkedBlockingQueue<>();
        BlockingQueue<String> q = answers;
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        Thread reader = new Thread(() -> {
            try {
                String l;
                while ((l = out.readLine()) != null) q.add(l);
            } catch (IOException ignored) {
                // the worker is gone; EOF below says so
            }
            q.add(EOF);
        }, "modelgate-worker-reader");
        reader.setDaemon(true);
        reader.start();
        // The worker loads ND4J before it answers: the first start may unpack ~400 MB of native libraries.
        String ready = await(120, Path.of("worker start-up"));
        JsonNode r;
        try {
            r = MAPPER.readTree(ready);
        } catch (IOException e) {
            stop();
            throw new IllegalStateException("the worker JVM did not start: " + ready);
        }
        if (!r.path("ready").asBoolean()) {
            stop();
            throw new IllegalStateException("the worker JVM did not start: " + r.path("error").asText(ready));
        }
        try {
            loaded = MAPPER.treeToValue(r.get("backend"), BackendProbe.Loaded.class);
        } catch (IOException | IllegalArgumentException e) {
            stop();
            throw new IllegalStateException("the worker JVM did not say which backend it loaded: " + ready, e);
        }
    }

    private void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    @Override
    public void close() {
        if (process != null) {
            try {
                in.close(); // the worker ends when its input ends
                if (!process.waitFor(5, TimeUnit.SECONDS)) process.destroyForcibly();
            } catch (IOException | InterruptedException e) {
                process.destroyForcibly();
            }
            process = null;
        }
    }

    private static String fmt(double s) {
        return s == Math.rint(s) ? Long.toString((long) s) : Double.toString(s);
    }

}
