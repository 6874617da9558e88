package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.error.InfrastructureException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;
import dev.modelgate.spec.Hdf5Reader;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Runs each check in a worker JVM started with the right environment (OMP_NUM_THREADS, ND4J's backend priorities),
 * so that a native crash, an out-of-memory or a hang in DL4J costs one check, not the whole run, and the thread and
 * backend settings never depend on how modelgate itself was launched. One worker serves many checks (an audit) and is
 * replaced after a crash or a timeout. It is also this JVM's {@link Hdf5Reader}: the HDF5 library, which a damaged
 * file can crash or hang, runs only in a worker. Its crash logs (hs_err) go to the temporary directory, never the
 * user's working directory, and DL4J's memory crash dumps are off (modelgate reports running out of memory itself)
 * and, when turned on, go to the temporary directory too.
 * Used by one thread at a time (an audit reads its configs in parallel).
 */
public final class WorkerRunner implements CheckRunner, Hdf5Reader {
    /** Reading a Keras file's configs takes well under a second; a damaged file can hang the HDF5 library. */
    static final double HDF5_READ_SECONDS = 10;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /**
     * @param threads     OMP_NUM_THREADS for the worker
     * @param timeoutSeconds longest a check may take before the worker is stopped
     * @param thresholds  the thresholds file to apply over the defaults, or null
     * @param cacheDir    the measurement cache, or null for none
     * @param jvmOptions  extra options for the worker JVM (MODELGATE_WORKER_OPTS)
     * @param backend     {@code cpu} (ND4J's CPU backend first), {@code auto} (CUDA first, the CPU if CUDA does not
     *                    load) or {@code cuda} (CUDA first, and a worker that loaded anything else measures nothing)
     * @param java        the java binary to start (this JVM's own, unless a test says otherwise)
     */
    public record Settings(String threads, double timeoutSeconds, Path thresholds, Path cacheDir, List<String> jvmOptions, String backend, Path java) {
        public Settings {
            if (backend == null || !List.of("cpu", "auto", "cuda").contains(backend)) throw new IllegalArgumentException("backend must be cpu, auto or cuda, got " + backend);
        }

        public Settings(String threads, double timeoutSeconds, Path thresholds, Path cacheDir, List<String> jvmOptions, String backend) {
            this(threads, timeoutSeconds, thresholds, cacheDir, jvmOptions, backend, Path.of(System.getProperty("java.home"), "bin", "java"));
        }

        /** On the CPU backend. */
        public Settings(String threads, double timeoutSeconds, Path thresholds, Path cacheDir, List<String> jvmOptions) {
            this(threads, timeoutSeconds, thresholds, cacheDir, jvmOptions, "cpu");
        }

        public Settings withJava(Path binary) {
            return new Settings(threads, timeoutSeconds, thresholds, cacheDir, jvmOptions, backend, binary);
        }
    }

    private final Settings settings;
    /** A worker that only reads files (HDF5): it starts without loading ND4J, a few seconds sooner. */
    private final boolean readsOnly;
    private BackendProbe.Loaded loaded;
    private Process process;
    private Writer in;
    private BlockingQueue<String> answers;
    /** The health the worker sent during the current check, by role: what a stop still reports. */
    private final Map<String, ModelReport> measuredSoFar = new java.util.concurrent.ConcurrentHashMap<>();

    public WorkerRunner(Settings settings) {
        this(settings, false);
    }

    private WorkerRunner(Settings settings, boolean readsOnly) {
        this.settings = settings;
        this.readsOnly = readsOnly;
    }

    /** A worker for reading files only (for a JVM that measures nothing: --static, inspect); it checks nothing. */
    public static WorkerRunner reader(Settings settings) {
        return new WorkerRunner(settings, true);
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
    public synchronized CheckReport check(Path original, Path modified, CheckOptions options) {
        try {
            return measured(original, modified, options);
        } catch (BadInputException e) {
            if (e.kind() != BadInputException.Kind.STOPPED) throw e;
            return Incomplete.report(original, modified, options, settings.thresholds(), e, this, Map.copyOf(measuredSoFar));
        }
    }

    @Override
    public Hdf5Reader hdf5Reader() { return this; }

    /**
     * The configs of a Keras HDF5 file, read in the worker within {@link #HDF5_READ_SECONDS} (or the timeout, if
     * shorter). A worker that crashes or hangs on it costs this file only: one line, bad input (exit 2).
     */
    @Override
    public synchronized KerasConfigs kerasConfigs(Path file) {
        ensureStarted();
        send(WorkerMain.hdf5Request(file), file);
        String line = answer(Math.min(settings.timeoutSeconds(), HDF5_READ_SECONDS));
        if (line == null) {
            stop();
            throw new BadInputException(file, null, "", "could not be read: the HDF5 reader did not finish within " + fmt(Math.min(settings.timeoutSeconds(), HDF5_READ_SECONDS))
                    + " s and was ended; is the file truncated or damaged?");
        }
        if (line.equals(EOF)) {
            throw new BadInputException(file, null, "", "could not be read: the HDF5 reader crashed (" + ended() + "); is the file truncated or damaged?");
        }
        JsonNode a = parse(line);
        if (a.path("hdf5").isObject()) {
            try {
                return MAPPER.treeToValue(a.get("hdf5"), KerasConfigs.class);
            } catch (IOException e) {
                throw new IllegalStateException("unreadable answer from the worker: " + e.getMessage(), e);
            }
        }
        if (a.path("error").isObject()) throw ReportCodec.error(a.get("error"));
        throw new IllegalStateException("the worker JVM failed: " + a.path("internal").asText(line));
    }

    private CheckReport measured(Path original, Path modified, CheckOptions options) {
        if (readsOnly) throw new IllegalStateException("a reading worker was asked to check " + modified);
        measuredSoFar.clear();
        ensureStarted();
        String refused = refusal(settings.backend(), loaded);
        if (refused != null) {
            stop();
            throw BadInputException.run(refused, null);
        }
        // An HDF5 file that crashes the reader is one line about that file (not a worker dying somewhere in the check).
        for (Path f : List.of(original, modified)) if (Hdf5Reader.isHdf5(f)) kerasConfigs(f);
        send(WorkerMain.request(original, modified, options), modified);
        String line = await(settings.timeoutSeconds(), modified);
        JsonNode a = parse(line);
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

    private void send(String request, Path file) {
        try {
            in.write(request + "\n");
            in.flush();
        } catch (IOException e) {
            throw died("could not be given the check (" + e.getMessage() + ")", file);
        }
    }

    private static JsonNode parse(String line) {
        try {
            return MAPPER.readTree(line);
        } catch (IOException e) {
            throw new IllegalStateException("unreadable answer from the worker: " + e.getMessage());
        }
    }

    private String await(double seconds, Path modified) {
        String line = answer(seconds);
        if (line == null) {
            stop();
            throw BadInputException.stopped(modified, "stopped after the " + fmt(seconds) + " s timeout (--timeout); the worker was ended");
        }
        if (line.equals(EOF)) throw died("died", modified);
        return line;
    }

    /** The worker's next answer (without its marker), {@link #EOF} when it died, or null when none came in time. */
    private String answer(double seconds) {
        long deadline = System.nanoTime() + (long) (seconds * 1e9);
        try {
            while (true) {
                long left = deadline - System.nanoTime();
                String line = left <= 0 ? null : answers.poll(left, TimeUnit.NANOSECONDS);
                if (line == null || line.equals(EOF)) return line;
                if (line.startsWith(WorkerMain.MEASURED)) {
                    JsonNode m = parse(line.substring(WorkerMain.MEASURED.length()));
                    measuredSoFar.put(m.path("role").asText(), ReportCodec.model(m.get("model")));
                    continue;
                }
                if (line.startsWith(WorkerMain.MARKER)) return line.substring(WorkerMain.MARKER.length());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop();
            throw BadInputException.run("interrupted", e);
        }
    }

    private static final String EOF = "\u0000eof";

    private BadInputException died(String what, Path modified) {
        return BadInputException.run(modified + ": the worker JVM " + what + " while checking it (" + ended()
                + "; a native crash or running out of memory); the other checks go on", null);
    }

    /** How the worker that just died ended: its exit code and where its crash log is, if it wrote one; it is then gone. */
    private String ended() {
        Integer code = null;
        long pid = process == null ? -1 : process.pid();
        try {
            if (process != null && process.waitFor(5, TimeUnit.SECONDS)) code = process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        stop();
        Path log = crashLog(pid);
        return (code == null ? "it ended" : "exit code " + code) + (Files.exists(log) ? "; its crash log: " + log : "");
    }

    /** Where a worker's JVM writes its fatal error log (hs_err): the temporary directory, never the user's folder. */
    static Path crashLog(long pid) {
        return Path.of(System.getProperty("java.io.tmpdir"), "modelgate-worker-hs_err_pid" + pid + ".log");
    }

    /**
     * The worker's JVM options: a fatal error log in the temporary directory (by default the JVM writes it into the
     * working directory), no core dump, the JVM's messages on stderr, no DL4J memory crash dump; then the user's (MODELGATE_WORKER_OPTS), which win
     * where they set the same property.
     */
    static List<String> jvmOptions(List<String> user) {
        List<String> o = new ArrayList<>(List.of(
                "-XX:ErrorFile=" + Path.of(System.getProperty("java.io.tmpdir"), "modelgate-worker-hs_err_pid%p.log"),
                "-XX:-CreateCoredumpOnCrash",
                "-XX:+DisplayVMOutputToStderr", // stdout carries the answers; the JVM's own complaints go with the errors
                "-D" + DL4J_CRASH_DUMPS + "=false",
                // where they go when the user turns them on (MODELGATE_WORKER_OPTS): this JVM's setting, else the temporary directory
                "-D" + dev.modelgate.model.NetworkFactory.CRASH_DUMP_DIRECTORY + "=" + System.getProperty(dev.modelgate.model.NetworkFactory.CRASH_DUMP_DIRECTORY,
                        dev.modelgate.model.NetworkFactory.defaultCrashDumpDirectory().toString())));
        o.addAll(sharedClassArchive());
        o.addAll(user);
        return o;
    }

    /**
     * The class-data archive this JVM was started with (the launcher's {@code target/modelgate.jsa}) and the switches
     * that keep the JVM quiet about it, for the worker too: it runs the same jar, and loading its ~7,000 classes from
     * the archive instead of the jars saved 0.5-0.8 s of each DL4J JVM's start (docs/benchmarks.md). None otherwise.
     */
    static List<String> sharedClassArchive() {
        return sharedClassArchive(java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments());
    }

    /** {@link #sharedClassArchive()} of a JVM started with {@code arguments}. */
    static List<String> sharedClassArchive(List<String> arguments) {
        for (String a : arguments) {
            if (a.startsWith("-XX:SharedArchiveFile=")) return List.of(a, "-Xlog:cds=off", "-Xlog:cds+dynamic=off");
        }
        return List.of();
    }

    /** DL4J's switch for its memory crash dumps ({@code dl4j-memory-crash-dump-*.txt} in the working directory). */
    public static final String DL4J_CRASH_DUMPS = "org.deeplearning4j.crash.reporting.enabled";

    private void ensureStarted() {
        if (process != null && process.isAlive()) return;
        List<String> cmd = new ArrayList<>();
        cmd.add(settings.java().toString());
        cmd.addAll(jvmOptions(settings.jvmOptions()));
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(WorkerMain.class.getName());
        if (readsOnly) cmd.add(WorkerMain.READS_ONLY);
        if (settings.thresholds() != null) cmd.addAll(List.of("--thresholds", settings.thresholds().toAbsolutePath().toString()));
        if (settings.cacheDir() != null) cmd.addAll(List.of("--cache-dir", settings.cacheDir().toAbsolutePath().toString()));
        ProcessBuilder pb = new ProcessBuilder(cmd);
        pb.environment().put("OMP_NUM_THREADS", settings.threads());
        pb.environment().put("MODELGATE_RELAUNCHED", "1");
        // ND4J picks its backend from these, read once at load: the choice is made here, for the worker's lifetime.
        pb.environment().putAll(BackendChoice.environment(settings.backend()));
        try {
            process = pb.start();
        } catch (IOException e) {
            process = null;
            throw new InfrastructureException("cannot start a worker JVM (" + settings.java() + "): " + e.getMessage(), e);
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
        WorkerStderr err = WorkerStderr.pump(process.getErrorStream());
        // The worker loads ND4J before it answers: the first start may unpack ~400 MB of native libraries.
        String ready = answer(120);
        if (ready == null || ready.equals(EOF)) {
            // The JVM's own words first: ending the process closes its pipes, and what they still held is lost.
            String complaint = ready == null ? "" : err.firstLine().map(l -> ": " + l).orElse("");
            String how = ready == null ? "did not answer within 120 s of starting" : "ended as it started (" + ended() + ")";
            stop();
            throw new InfrastructureException("the worker JVM " + how + complaint
                    + "; check MODELGATE_WORKER_OPTS and the Java installation", null);
        }
        err.forward();
        JsonNode r;
        try {
            r = MAPPER.readTree(ready);
        } catch (IOException e) {
            stop();
            throw new InfrastructureException("the worker JVM did not start: " + ready, e);
        }
        if (!r.path("ready").asBoolean()) {
            stop();
            throw new InfrastructureException("the worker JVM did not start: " + r.path("error").asText(ready), null);
        }
        if (readsOnly) return;
        try {
            loaded = MAPPER.treeToValue(r.get("backend"), BackendProbe.Loaded.class);
        } catch (IOException | IllegalArgumentException e) {
            stop();
            throw new InfrastructureException("the worker JVM did not say which backend it loaded: " + ready, e);
        }
    }

    private synchronized void stop() {
        if (process != null) {
            process.destroyForcibly();
            process = null;
        }
    }

    @Override
    public synchronized void close() {
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
