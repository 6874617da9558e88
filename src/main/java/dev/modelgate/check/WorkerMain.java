package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Hdf5Reader;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The worker JVM: reads one request per line on stdin (a check, or the configs of a Keras HDF5 file), runs it, and
 * answers with one line on stdout, marked so that anything else native code prints there is ignored. Ends as soon as
 * stdin closes, even in the middle of a check: its parent closed it, or died (even by SIGKILL, the pipe closes with
 * it), and nobody waits for the answer. Arguments: {@code [--reads-only] [--thresholds FILE] [--cache-dir DIR]}.
 */
public final class WorkerMain {
    static final String MARKER = "@@modelgate-worker@@ ";
    /**
     * Marks a line with one model's health, sent as soon as it is measured ({@code {"role": ..., "model": ...}}):
     * if a limit then stops the check, the parent still has it to judge.
     */
    static final String MEASURED = "@@modelgate-measured@@ ";
    /** The options record crosses as itself (Optional fields included); nothing is written or read by hand. */
    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        Path thresholdsFile = null, cacheDir = null;
        boolean readsOnly = args.length > 0 && args[0].equals(READS_ONLY);
        for (int i = readsOnly ? 1 : 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--thresholds")) thresholdsFile = Path.of(args[i + 1]);
            if (args[i].equals("--cache-dir")) cacheDir = Path.of(args[i + 1]);
        }
        Thresholds t = Thresholds.defaults();
        if (thresholdsFile != null) t = t.overlay(thresholdsFile);
        Checker checker = new Checker(t, cacheDir == null ? null : new MeasurementCache(cacheDir));
        checker.reportMeasuredTo((role, model) -> {
            ObjectNode m = ReportCodec.object();
            m.put("role", role);
            m.set("model", ReportCodec.model(model));
            out.println(MEASURED + ReportCodec.line(m));
        });
        BlockingQueue<String> requests = requestsUntilParentGone();
        // ND4J loads now, before the first check: the parent learns which backend and device this JVM measures on
        // (and refuses a CPU fallback when CUDA was required) before anything is measured.
        ObjectNode ready = readsOnly ? MAPPER.createObjectNode().put("ready", true) : readiness();
        out.println(MARKER + MAPPER.writeValueAsString(ready));
        if (!ready.path("ready").asBoolean()) System.exit(3);
        while (true) {
            String line = requests.take();
            if (line.isBlank()) continue;
            ObjectNode answer = ReportCodec.object();
            Request r = null;
            try {
                JsonNode request = MAPPER.readTree(line);
                if (request.has(HDF5)) {
                    answer.set(HDF5, MAPPER.valueToTree(Hdf5Reader.IN_THIS_JVM.kerasConfigs(Path.of(request.get(HDF5).asText()))));
                } else {
                    r = MAPPER.treeToValue(request, Request.class);
                    answer.set("report", ReportCodec.check(checker.check(Path.of(r.original()), Path.of(r.modified()), r.options())));
                }
            } catch (BadInputException e) {
                answer.set("error", ReportCodec.error(e));
            } catch (OutOfMemoryError e) {
                answer.set("error", ReportCodec.error(BadInputException.stopped(r == null ? null : Path.of(r.modified()), "ran out of memory while running the models ("
                        + e.getMessage() + "); lower the batch size or the model's size, or raise the worker's memory with MODELGATE_WORKER_OPTS")));
                answer.put("exiting", true);
                out.println(MARKER + ReportCodec.line(answer));
                System.exit(3); // a JVM after an OutOfMemoryError cannot be trusted: the next check gets a fresh worker
            } catch (java.io.IOException | RuntimeException | StackOverflowError e) {
                answer.put("internal", String.valueOf(e));
            }
            out.println(MARKER + ReportCodec.line(answer));
        }
    }

    /**
     * The request lines from stdin, read by a thread of their own that ends this JVM when stdin ends: the main thread
     * may be deep in a check then, and the parent that would read its answer is gone.
     */
    private static BlockingQueue<String> requestsUntilParentGone() {
        BlockingQueue<String> requests = new LinkedBlockingQueue<>();
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        Thread t = new Thread(() -> {
            try {
                String l;
                while ((l = in.readLine()) != null) requests.add(l);
            } catch (java.io.IOException ignored) {
                // as good as the end of the input
            }
            System.exit(0);
        }, "modelgate-worker-stdin");
        t.setDaemon(true);
        t.start();
        return requests;
    }

    /** The first argument of a worker that only reads files: it loads no ND4J backend. */
    static final String READS_ONLY = "--reads-only";

    /** The key of a request for a Keras HDF5 file's configs, and of its answer. */
    static final String HDF5 = "hdf5";

    /** The request line for the configs of a Keras HDF5 file. */
    static String hdf5Request(Path file) {
        return MAPPER.createObjectNode().put(HDF5, file.toString()).toString();
    }

    /** One check asked of the worker: the two files as given (the worker shares the working directory) and the options record. */
    record Request(String original, String modified, CheckOptions options) {}

    /** The request line for one check. */
    static String request(Path original, Path modified, CheckOptions o) {
        try {
            return MAPPER.writeValueAsString(new Request(original.toString(), modified.toString(), o));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write a worker request", e);
        }
    }

    /**
     * The first answer: {@code {"ready":true,"backend":{...}}} with what {@link BackendProbe} found (backend, device,
     * libraries, why CUDA was skipped), or {@code {"ready":false,"error":...}} when ND4J could not load at all.
     */
    static ObjectNode readiness() {
        ObjectNode r = MAPPER.createObjectNode();
        try {
            BackendProbe.Loaded loaded = BackendProbe.load();
            r.put("ready", true);
            r.set("backend", MAPPER.valueToTree(loaded));
        } catch (RuntimeException | LinkageError e) {
            r.put("ready", false);
            r.put("error", "ND4J could not load a backend: " + e);
        }
        return r;
    }

}
