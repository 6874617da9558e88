package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.rule.Thresholds;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The worker JVM: reads one check request per line on stdin, runs it, and answers with one line on stdout, marked so
 * that anything else native code prints there is ignored. Ends when stdin closes (its parent is gone).
 * Arguments: {@code [--thresholds FILE] [--cache-dir DIR]}.
 */
public final class WorkerMain {
    static final String MARKER = "@@modelgate-worker@@ ";
    /** The options record crosses as itself (Optional fields included); nothing is written or read by hand. */
    static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new com.fasterxml.jackson.datatype.jdk8.Jdk8Module());

    private WorkerMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out), true, StandardCharsets.UTF_8);
        Path thresholdsFile = null, cacheDir = null;
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (args[i].equals("--thresholds")) thresholdsFile = Path.of(args[i + 1]);
            if (args[i].equals("--cache-dir")) cacheDir = Path.of(args[i + 1]);
        }
        Thresholds t = Thresholds.defaults();
        if (thresholdsFile != null) t = t.overlay(thresholdsFile);
        Checker checker = new Checker(t, cacheDir == null ? null : new MeasurementCache(cacheDir));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        // ND4J loads now, before the first check: the parent learns which backend and device this JVM measures on
        // (and refuses a CPU fallback when CUDA was required) before anything is measured.
        ObjectNode ready = readiness();
        out.println(MARKER + MAPPER.writeValueAsString(ready));
        if (!ready.path("ready").asBoolean()) System.exit(3);
        String line;
        while ((line = in.readLine()) != null) {
            if (line.isBlank()) continue;
            ObjectNode answer = ReportCodec.object();
            Request r = null;
            try {
                r = MAPPER.readValue(line, Request.class);
                answer.set("report", ReportCodec.check(checker.check(Path.of(r.original()), Path.of(r.modified()), r.options())));
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
