package dev.modelgate.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.render.Renderers;
import dev.modelgate.render.Style;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Shape;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/** Options shared by check and inspect. */
final class CommonOptions {
    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "Report format on stdout: ${COMPLETION-CANDIDATES}. Default: ${DEFAULT-VALUE}.",
            completionCandidates = FormatCandidates.class)
    String format;

    @Option(names = "--report", paramLabel = "FORMAT=PATH",
            description = "Also write a report file (repeatable); written whole or not at all.")
    List<String> reports = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Thresholds file applied over the defaults (default: ./" + Thresholds.PROJECT_FILE + " if present).")
    Path config;

    @Option(names = "--static", description = "Structure only: build and run nothing; runtime rules are skipped.")
    boolean staticOnly;

    /** The command this mixin belongs to (inspect runs its model in this JVM, whatever --isolation says). */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    /** The backend asked for, set by {@link #validate}. */
    BackendChoice.Choice backendChoice;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "cpu, cuda or auto (default: $MODELGATE_BACKEND, else auto: CUDA where a CUDA build finds a device, else CPU).")
    String backend;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for synthetic data and initialization (default: each config's own).")
    Long seed;

    @Option(names = "--input-shape", paramLabel = "SHAPE",
            description = "Input shape where a config does not determine it: 64 (features), 1,28,28 (channels,height,width), seq:10,20 (features,length).")
    String inputShape;

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "Loss for a Keras model saved without a training config (e.g. mcxent, xent, mse). Default: the other model's loss, else one assumed from the output activation.")
    String loss;

    @Option(names = "--iterations", paramLabel = "K", defaultValue = "10",
            description = "Training iterations of the health probe (activations after training, gradients, loss). Default: ${DEFAULT-VALUE}.")
    int iterations;

    @Option(names = "--inference-batch", paramLabel = "N", defaultValue = "1",
            description = "Examples per inference call when timing latency (1: latency; larger: throughput). Default: ${DEFAULT-VALUE}.")
    int inferenceBatch;

    @Option(names = "--time-budget", paramLabel = "SECONDS", defaultValue = "60",
            description = "Most seconds the timing may take; it stops earlier once the ratio is clear of the limit. Default: ${DEFAULT-VALUE}.")
    double timeBudget;

    @Option(names = "--max-memory", paramLabel = "SIZE",
            description = "Most memory a run may need, estimated before anything is allocated (e.g. 8G, 512M). Default: half of this machine's memory.")
    String maxMemory;

    @Option(names = "--threads", paramLabel = "N",
            description = "Native threads for DL4J (OMP_NUM_THREADS). Default: 1, because on small CPUs more threads make timings of identical models differ by up to 1.5x.")
    Integer threads;

    @Option(names = "--isolation", paramLabel = "MODE",
            description = "worker (default): run the models in a separate JVM, so a native crash or a hang costs one check; none: in this JVM.")
    String isolation = System.getProperty("modelgate.isolation", "worker");

    @Option(names = "--timeout", paramLabel = "SECONDS", defaultValue = "600",
            description = "Longest one check may take (with --isolation worker); then it is stopped and reported as an error. Default: ${DEFAULT-VALUE}.")
    double timeout;

    @Option(names = {"-v", "--verbose"}, description = "Show DL4J's logging and stack traces of errors.")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print no report on stdout; the exit code and errors only.")
    boolean quiet;

    static final class FormatCandidates extends ArrayList<String> {
        FormatCandidates() { super(Renderers.names()); }
    }

    record ReportTarget(String format, Path path) {}

    /** Validates everything that can be validated before any measurement. */
    void validate(List<Path> inputs) {
        checkFormat(format, "--format");
        backendChoice = BackendChoice.choose(backend, System.getenv("MODELGATE_BACKEND"), BackendChoice.cudaOnClasspath());
        // inspect and --isolation none load ND4J in this JVM: a CUDA build checks here what loaded, before measuring.
        boolean inThisJvm = !staticOnly && (isolation.equals("none") || mixee != null && mixee.name().equals("inspect"));
        if (inThisJvm && backendChoice.needsVerification()) {
            dev.modelgate.probe.BackendProbe.Loaded loaded = dev.modelgate.probe.BackendProbe.load();
            note(BackendChoice.verify(backendChoice, loaded.backend(), loaded.cudaSkipped()));
        }
        for (ReportTarget t : reportTargets()) {
            for (Path in : inputs) {
                if (Files.exists(t.path()) && Files.exists(in) && same(t.path(), in)) {
                    throw new UsageException("--report " + t.format() + "=" + t.path() + " would overwrite the input " + in);
                }
            }
        }
        if (verbose) {
            for (String name : List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco", "dev.modelgate")) {
                ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
            }
        }
    }

    /**
     * Writes the report files (plain, whole or not at all) and, unless --quiet, the stdout report, followed by GitHub
     * annotations inside Actions when {@code github} can render them.
     */
    void emit(List<ReportTarget> targets, java.util.function.Function<dev.modelgate.render.Renderer, String> render, boolean annotate,
              java.io.PrintWriter out) {
        for (ReportTarget t : targets) ReportWriter.write(t.path(), render.apply(Renderers.create(t.format(), Style.PLAIN)));
        if (quiet) return;
        out.print(render.apply(Renderers.create(format, style())));
        if (annotate && githubAnnotations()) out.print(render.apply(Renderers.create("github", Style.PLAIN)));
        out.flush();
    }

    /** inspect reports one model: only formats with a single-model report apply. */
    void requireModelFormats(List<ReportTarget> targets) {
        List<String> formats = new ArrayList<>(List.of(format));
        targets.forEach(t -> formats.add(t.format()));
        for (String f : formats) {
            if (!Renderers.create(f, Style.PLAIN).rendersModels()) {
                throw new UsageException("inspect reports one model in text or json; the " + f + " format is for check and audit");
            }
        }
    }

    List<ReportTarget> reportTargets() {
        List<ReportTarget> out = new ArrayList<>();
        for (String r : reports) {
            int eq = r.indexOf('=');
            if (eq <= 0 || eq == r.length() - 1) throw new UsageException("--report takes FORMAT=PATH (e.g. json=report.json), got '" + r + "'");
            String f = r.substring(0, eq);
            checkFormat(f, "--report");
            out.add(new ReportTarget(f, Path.of(r.substring(eq + 1))));
        }
        return out;
    }

    private static void checkFormat(String f, String option) {
        if (Renderers.exists(f)) return;
        throw new UsageException(option + ": unknown format '" + f + "'; valid: " + String.join(", ", Renderers.names()));
    }

    private static boolean same(Path a, Path b) {
        try {
            return Files.isSameFile(a, b);
        } catch (java.io.IOException e) {
            return false;
        }
    }

    boolean worker() {
        return isolation.equals("worker") && !staticOnly;
    }

    /**
     * Where checks run: a worker JVM (started with the thread setting, replaced after a crash or timeout), or this JVM
     * for --static and --isolation none.
     */
    dev.modelgate.check.CheckRunner runner(dev.modelgate.check.MeasurementCache cache) {
        if (!List.of("worker", "none").contains(isolation)) throw new UsageException("--isolation must be worker or none, got '" + isolation + "'");
        if (!(timeout > 0)) throw new UsageException("--timeout must be a positive number of seconds, got " + timeout);
        if (!worker()) return new dev.modelgate.check.Checker(thresholds(), cache);
        String opts = System.getenv("MODELGATE_WORKER_OPTS");
        List<String> jvm = opts == null || opts.isBlank() ? List.of() : List.of(opts.trim().split("\\s+"));
        BackendChoice.Choice choice = backendChoice != null ? backendChoice
                : BackendChoice.choose(backend, System.getenv("MODELGATE_BACKEND"), BackendChoice.cudaOnClasspath());
        var worker = new dev.modelgate.check.WorkerRunner(new dev.modelgate.check.WorkerRunner.Settings(threads == null ? "1" : threads.toString(),
                timeout, thresholdsFile(), cache == null ? null : cache.directory(), jvm, choice.worker()));
        if (choice.needsVerification()) {
            // A CUDA build: start the worker now and read back what it loaded, so that a CUDA run that fell back to the
            // CPU is one error before anything is measured (not one per config of an audit).
            String note;
            try {
                dev.modelgate.probe.BackendProbe.Loaded loaded = worker.start();
                note = BackendChoice.verify(choice, loaded.backend(), loaded.cudaSkipped());
            } catch (RuntimeException e) {
                worker.close();
                throw e;
            }
            note(note);
        }
        return worker;
    }

    /** A one-line note on stderr (null: none). */
    private void note(String line) {
        if (line == null) return;
        java.io.PrintWriter err = mixee != null ? mixee.commandLine().getErr() : new java.io.PrintWriter(System.err, true);
        err.println(line);
        err.flush();
    }

    /** The thresholds file in effect (--config, or ./.modelgate.yaml), or null for the defaults alone. */
    Path thresholdsFile() {
        if (config != null) return config;
        Path project = Path.of(Thresholds.PROJECT_FILE);
        return Files.isRegularFile(project) ? project : null;
    }

    Thresholds thresholds() {
        Thresholds t = Thresholds.defaults();
        if (config != null) return t.overlay(config);
        Path project = Path.of(Thresholds.PROJECT_FILE);
        return Files.isRegularFile(project) ? t.overlay(project) : t;
    }

    CheckOptions checkOptions() {
        Optional<Shape> shape = Optional.empty();
        if (inputShape != null) {
            try {
                shape = Optional.of(Shape.parse(inputShape));
            } catch (IllegalArgumentException e) {
                throw new UsageException("--input-shape: " + e.getMessage());
            }
        }
        if (iterations < 1 || iterations > 10_000) throw new UsageException("--iterations must be between 1 and 10000, got " + iterations);
        if (inferenceBatch < 1 || inferenceBatch > 1_000_000) throw new UsageException("--inference-batch must be between 1 and 1000000, got " + inferenceBatch);
        if (!(timeBudget > 0) || timeBudget > 86_400) throw new UsageException("--time-budget must be a positive number of seconds (at most 86400), got " + timeBudget);
        if (threads != null && (threads < 1 || threads > 1024)) throw new UsageException("--threads must be between 1 and 1024, got " + threads);
        if (threads != null && !worker() && !String.valueOf(threads).equals(System.getenv("OMP_NUM_THREADS"))) {
            // Relauncher normally restarts the JVM with the setting before ND4J loads; this is the in-process path (tests).
            throw new UsageException("--threads " + threads + " needs OMP_NUM_THREADS=" + threads + " before DL4J loads; run modelgate through its launcher or main()");
        }
        if (loss != null && !dev.modelgate.spec.Vocabulary.LOSSES.containsKey(loss)) {
            throw new UsageException("--loss: unknown loss '" + loss + "'" + dev.modelgate.spec.Suggestions.didYouMean(loss, dev.modelgate.spec.Vocabulary.LOSSES.keySet())
                    + "; valid: " + String.join(", ", dev.modelgate.spec.Vocabulary.LOSSES.keySet()));
        }
        return new CheckOptions(staticOnly, shape, seed == null ? OptionalLong.empty() : OptionalLong.of(seed), iterations, inferenceBatch, timeBudget,
                maxMemory == null ? CheckOptions.DEFAULT_MAX_MEMORY : bytes(maxMemory), Optional.ofNullable(loss));
    }

    /** 8G, 512M, 2GiB, 1000000: a size in bytes. */
    static long bytes(String size) {
        var m = java.util.regex.Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:i?b)?\\s*").matcher(size);
        if (!m.matches()) throw new UsageException("--max-memory takes a size such as 8G, 512M or 2GiB, got '" + size + "'");
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase()) { case "k" -> 10; case "m" -> 20; case "g" -> 30; case "t" -> 40; default -> 0; };
        double b = n * Math.pow(2, shift);
        if (!(b >= 1) || b > Long.MAX_VALUE / 2.0) throw new UsageException("--max-memory: '" + size + "' is not a usable size");
        return (long) b;
    }

    /**
     * GitHub Actions shows workflow commands as annotations: inside Actions, a text report on stdout is followed by
     * them (unless the github format is what stdout carries already).
     */
    boolean githubAnnotations() {
        return "true".equals(System.getenv("GITHUB_ACTIONS")) && format.equals("text") && Renderers.exists("github");
    }

    /** Colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
    Style style() {
        boolean tty = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        return tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term) ? Style.COLOR : Style.PLAIN;
    }
}
