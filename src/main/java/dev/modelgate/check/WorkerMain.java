package dev.modelgate.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.model.ModelRunException;
import dev.modelgate.probe.BackendProbe;
import dev.modelgate.render.JsonRenderer;
import dev.modelgate.rule.ConfigException;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Shape;
import dev.modelgate.spec.SpecException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The worker JVM: reads one check request per line on stdin, runs it, and answers with one line on stdout, marked so
 * that anything else native code prints there is ignored. Ends when stdin closes (its parent is gone).
 * Arguments: {@code [--thresholds FILE] [--cache-dir DIR]}.
 */
public final class WorkerMain {
    static final String MARKER = "@@modelgate-worker@@ ";
    private static final ObjectMapper MAPPER = new ObjectMapper();

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
            ObjectNode answer = MAPPER.createObjectNode();
            try {
                JsonNode r = MAPPER.readTree(line);
                CheckOptions o = new CheckOptions(r.path("static").asBoolean(),
                        r.hasNonNull("inputShape") ? Optional.of(Shape.parse(r.get("inputShape").asText())) : Optional.empty(),
                        r.hasNonNull("seed") ? OptionalLong.of(r.get("seed").asLong()) : OptionalLong.empty(),
                        r.path("iterations").asInt(CheckOptions.DEFAULT_ITERATIONS), r.path("inferenceBatch").asInt(1),
                        r.path("timeBudget").asDouble(CheckOptions.DEFAULT_TIME_BUDGET), r.path("maxMemory").asLong(CheckOptions.DEFAULT_MAX_MEMORY),
                        r.hasNonNull("loss") ? Optional.of(r.get("loss").asText()) : Optional.empty());
                String report = new JsonRenderer().render(checker.check(Path.of(r.get("original").asText()), Path.of(r.get("modified").asText()), o));
                answer.set("report", MAPPER.readTree(report));
            } catch (SpecException | ConfigException e) {
                answer.put("error", e.getMessage()).put("kind", "input");
            } catch (ModelRunException e) {
                answer.put("error", e.getMessage()).put("kind", "run");
            } catch (OutOfMemoryError e) {
                answer.put("error", modified(line) + ": ran out of memory while running the models (" + e.getMessage()
                        + "); lower the batch size or the model's size, or raise the worker's memory with MODELGATE_WORKER_OPTS").put("kind", "run")
                        .put("exiting", true);
                out.println(MARKER + MAPPER.writeValueAsString(answer));
                System.exit(3); // a JVM after an OutOfMemoryError cannot be trusted: the next check gets a fresh worker
            } catch (RuntimeException | StackOverflowError e) {
                answer.put("error", String.valueOf(e)).put("kind", "internal");
            }
            out.println(MARKER + MAPPER.writeValueAsString(answer));
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

    private static String modified(String request) {
        try {
            return MAPPER.readTree(request).path("modified").asText();
        } catch (java.io.IOException e) {
            return "the model";
        }
    }

    /** The request line for one check. */
    static String request(Path original, Path modified, CheckOptions o) {
        ObjectNode r = MAPPER.createObjectNode();
        r.put("original", original.toString()); // as given: the worker shares this working directory
        r.put("modified", modified.toString());
        r.put("static", o.staticOnly());
        if (o.inputShape().isPresent()) {
            Shape s = o.inputShape().get();
            r.put("inputShape", s instanceof Shape.Sequence q ? "seq:" + q.features() + "," + q.length() : s.toString().replace('x', ','));
        }
        if (o.seed().isPresent()) r.put("seed", o.seed().getAsLong());
        r.put("iterations", o.iterations());
        r.put("inferenceBatch", o.inferenceBatch());
        r.put("timeBudget", o.timeBudget());
        r.put("maxMemory", o.maxMemory());
        o.loss().ifPresent(l -> r.put("loss", l));
        return r.toString();
    }
}
