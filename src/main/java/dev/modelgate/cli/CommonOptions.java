package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.CheckRunner;
import dev.modelgate.check.RunSettings;
import dev.modelgate.check.Runners;
import dev.modelgate.error.BadInputException;
import dev.modelgate.render.Renderers;
import dev.modelgate.render.Style;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.InputShapes;
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
            description = "Also write a report file (repeatable); written whole or not at all, only as a regular file (or a new one), never over a file the run reads. PATH '-' (or /dev/stdout): that report on stdout instead of the --format one.")
    List<String> reports = new ArrayList<>();

    @Option(names = "--config", paramLabel = "FILE",
            description = "Thresholds file applied over the defaults (default: ./" + Thresholds.PROJECT_FILE + " if present).")
    Path config;

    @Option(names = "--fail-on", paramLabel = "WHICH",
            description = "Which violations fail: all (default: the interview's limits are absolute), or new: only those the change introduced; "
                    + "a violation the original has too is then reported as a warning, marked pre-existing. Valid: ${COMPLETION-CANDIDATES}.")
    dev.modelgate.check.CheckOptions.FailOn failOn;

    @Option(names = "--data", paramLabel = "CSV",
            description = "Examples for both models (feature columns, then the label column, with a header row), in place of their data: sections: "
                    + "the probes use them and accuracy-drop and loss-increase train and evaluate on them (docs/spec-format.md, data).")
    Path data;

    @Option(names = "--data-root", paramLabel = "DIR",
            description = "Also allow the files a config names (data: {csv: ...}, baseline:) under DIR (repeatable); by default only inside the config's own folder tree.")
    List<Path> dataRoots = new ArrayList<>();

    @Option(names = "--static", description = "Structure only: build and run nothing; runtime rules are skipped.")
    boolean staticOnly;

    /** The command this mixin belongs to: where its notes go. */
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE)
    picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--backend", paramLabel = "BACKEND",
            description = "cpu, cuda or auto (default: $MODELGATE_BACKEND, else auto: CUDA where a CUDA build finds a device, else CPU).")
    String backend;

    @Option(names = "--seed", paramLabel = "N", description = "Seed for synthetic data and initialization (default: each config's own).")
    Long seed;

    @Option(names = "--input-shape", paramLabel = "[NAME=]SHAPE", converter = InputShapeConverter.class,
            description = "Input shape where a config does not determine it: 64 (features), 1,28,28 (channels,height,width), seq:10,20 (features,length). "
                    + "For a graph with several inputs, NAME=SHAPE once per input that needs one.")
    List<InputShapes.Entry> inputShapes = new ArrayList<>();

    @Option(names = "--loss", paramLabel = "LOSS",
            description = "Loss for a Keras model saved without a training config (e.g. mcxent, xent, mse). Default: the other model's loss, else one assumed from the output activation.")
    String loss;

    // Defaults live in the core (CheckOptions, RunSettings); an option left out stays null and takes them there.
    @Option(names = "--iterations", paramLabel = "K",
            description = "Training iterations of the health probe (activations after training, gradients, loss). Default: " + CheckOptions.DEFAULT_ITERATIONS + ".")
    Integer iterations;

    @Option(names = "--batch-size", paramLabel = "N",
            description = "Examples per training iteration of the health probe and of the training timing (and the memory estimate). Default: each model's own (a spec's training.batch-size), else " + CheckOptions.DEFAULT_BATCH_SIZE + ".")
    Integer batchSize;

    @Option(names = "--inference-batch", paramLabel = "N",
            description = "Examples per inference call when timing latency (1: latency; larger: throughput). Default: " + CheckOptions.DEFAULT_INFERENCE_BATCH + ".")
    Integer inferenceBatch;

    @Option(names = "--time-budget", paramLabel = "SECONDS",
            description = "Most seconds the whole timing phase may take, warm-up included; it stops earlier once the ratio is clear of the limit, and a result it cuts short is borderline. Default: " + CheckOptions.DEFAULT_TIME_BUDGET + ".")
    Double timeBudget;

    @Option(names = "--max-memory", paramLabel = "SIZE", converter = SizeConverter.class,
            description = "Most memory a run may need, estimated before anything is allocated (e.g. 8G, 512M). Default: half of this machine's memory.")
    Long maxMemory;

    @Option(names = "--threads", paramLabel = "N",
            description = "Native threads for DL4J (OMP_NUM_THREADS). Default: 1, because on small CPUs more threads make timings of identical models differ by up to 1.5x.")
    Integer threads;

    @Option(names = "--isolation", paramLabel = "MODE",
            description = "worker (default): run the models in a separate JVM, so a native crash or a hang costs one check; none: in this JVM.")
    String isolation = System.getProperty("modelgate.isolation", RunSettings.DEFAULT_ISOLATION);

    @Option(names = "--timeout", paramLabel = "SECONDS",
            description = "Longest one check may take (with --isolation worker); then it is stopped and reported as an error. Default: " + RunSettings.DEFAULT_TIMEOUT_SECONDS + ".")
    Double timeout;

    @Option(names = {"-v", "--verbose"}, description = "Show DL4J's logging, progress lines and stack traces of errors (progress also shows when stderr is a terminal).")
    boolean verbose;

    @Option(names = {"-q", "--quiet"}, description = "Print no report on stdout; the exit code and errors only.")
    boolean quiet;

    @Option(names = "--no-progress", description = "No progress lines on stderr (by default shown on a terminal, in CI logs (CI set) and with --verbose).")
    boolean noProgress;

    static final class FormatCandidates extends ArrayList<String> {
        FormatCandidates() { super(Renderers.names()); }
    }

    /** Picocli's converter for --input-shape: the core's parser, its message on a bad shape. */
    static final class InputShapeConverter implements picocli.CommandLine.ITypeConverter<InputShapes.Entry> {
        @Override public InputShapes.Entry convert(String value) {
            try {
                return InputShapes.Entry.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }

    /** Picocli's converter for --max-memory: the core's size parser. */
    static final class SizeConverter implements picocli.CommandLine.ITypeConverter<Long> {
        @Override public Long convert(String value) {
            try {
                return CheckOptions.parseSize(value);
            } catch (BadInputException e) {
                throw new picocli.CommandLine.TypeConversionException(e.problem().replaceFirst("^--max-memory:? ?", ""));
            }
        }
    }

    /** Checks what only the command line has (the format) before any measurement; sets the log level. */
    void validate() {
        ReportTargets.checkFormat(format, "--format");
        if (verbose) {
            for (String name : List.of("org.nd4j", "org.deeplearning4j", "org.bytedeco", "oshi", "dev.modelgate")) {
                ((Logger) LoggerFactory.getLogger(name)).setLevel(Level.INFO);
            }
        }
    }

    /** The --report targets, each refused up front if the output policy forbids it ({@code inputs}: what the run reads). */
    ReportTargets reportTargets(java.util.function.Supplier<java.util.Collection<Path>> inputs) {
        return ReportTargets.of(reports, inputs);
    }

    /**
     * Writes the report files (plain, whole or not at all) and the stdout report: a {@code -} target's, else (unless
     * --quiet) the --format one, followed by GitHub annotations inside Actions when {@code github} can render them.
     */
    void emit(ReportTargets targets, java.util.function.Function<dev.modelgate.render.Renderer, String> render, boolean annotate,
              java.io.PrintWriter out) {
        targets.emit(render, quiet ? null : () -> {
            out.print(render.apply(Renderers.create(format, style(), RuleCatalogs.CURRENT)));
            if (annotate && githubAnnotations()) out.print(render.apply(Renderers.create("github", Style.PLAIN)));
            out.flush();
        }, out);
    }

    /** inspect reports one model: only formats with a single-model report apply. */
    void requireModelFormats(ReportTargets targets) {
        List<String> formats = new ArrayList<>(List.of(format));
        formats.addAll(targets.formats());
        for (String f : formats) {
            if (!Renderers.create(f, Style.PLAIN).rendersModels()) {
                throw BadInputException.usage("inspect reports one model in text or json; the " + f + " format is for check and audit");
            }
        }
    }

    /** The options of each check, validated by the core. */
    CheckOptions checkOptions() {
        CheckOptions d = CheckOptions.RUN;
        InputShapes shapes;
        try {
            shapes = InputShapes.of(inputShapes);
        } catch (IllegalArgumentException e) {
            throw BadInputException.usage(e.getMessage());
        }
        return new CheckOptions(staticOnly, shapes, seed == null ? OptionalLong.empty() : OptionalLong.of(seed),
                iterations == null ? d.iterations() : iterations, inferenceBatch == null ? d.inferenceBatch() : inferenceBatch,
                timeBudget == null ? d.timeBudget() : timeBudget, maxMemory == null ? d.maxMemory() : maxMemory, Optional.ofNullable(loss),
                batchSize == null ? java.util.OptionalInt.empty() : java.util.OptionalInt.of(batchSize), showProgress(), dataRoots, Optional.ofNullable(data),
                failOn == null ? dev.modelgate.check.CheckOptions.FailOn.ALL : failOn);
    }

    /**
     * Progress lines go to stderr where someone watches it: a terminal, a CI log (CI set, as every CI sets it: a run of
     * minutes with no line looks hung), or --verbose; never with --no-progress.
     */
    boolean showProgress() {
        if (noProgress) return false;
        return verbose || stderrIsTerminal() || inCi();
    }

    /** Whether this runs in a CI job: CI set, as every CI sets it (and not to "false"). */
    static boolean inCi() {
        String ci = System.getenv("CI");
        return ci != null && !ci.isBlank() && !ci.equalsIgnoreCase("false");
    }

    /** Whether fd 2 is a terminal (Linux: a tty or pts). */
    static boolean stderrIsTerminal() {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString();
            return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
        } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    /** The system property logback.xml reads for the level of DL4J's, ND4J's and JavaCPP's loggers (default OFF). */
    static final String DL4J_LOG_LEVEL = "modelgate.log.dl4j";

    /** Everything the core needs to run, as its one settings object (validated there). */
    RunSettings settings(Path cacheDir) {
        String opts = System.getenv("MODELGATE_WORKER_OPTS");
        List<String> jvm = new java.util.ArrayList<>();
        // A worker logs as this JVM does: DL4J's logging off (logback.xml), on at INFO with --verbose.
        if (verbose) jvm.add("-D" + DL4J_LOG_LEVEL + "=INFO");
        if (opts != null && !opts.isBlank()) jvm.addAll(List.of(opts.trim().split("\\s+")));
        return new RunSettings(checkOptions(), isolation, threads, timeout == null ? RunSettings.DEFAULT_TIMEOUT_SECONDS : timeout, backend,
                thresholdsFile(), cacheDir, jvm);
    }

    /** Where checks run: the core chooses (a worker JVM, or this one for --static and --isolation none). */
    CheckRunner runner(Path cacheDir) {
        return Runners.open(settings(cacheDir), this::note);
    }

    /** A one-line note on stderr (null: none). */
    void note(String line) {
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
        return settings(null).loadThresholds();
    }

    /**
     * GitHub Actions shows workflow commands as annotations: inside Actions, a text report on stdout is followed by
     * them (unless the github format is what stdout carries already).
     */
    boolean githubAnnotations() {
        return "true".equals(System.getenv("GITHUB_ACTIONS")) && format.equals("text") && Renderers.exists("github");
    }

    enum Color { AUTO, ALWAYS, NEVER }

    @Option(names = "--color", paramLabel = "WHEN",
            description = "Colour the text report: auto (default: on a terminal, unless NO_COLOR is set), always or never.")
    Color color = Color.AUTO;

    /** {@code --color}; for auto, colour only for a terminal, and never when NO_COLOR is set (https://no-color.org). */
    Style style() {
        if (color == Color.ALWAYS) return Style.COLOR;
        if (color == Color.NEVER) return Style.PLAIN;
        boolean tty = System.console() != null;
        String noColor = System.getenv("NO_COLOR");
        String term = System.getenv("TERM");
        return tty && (noColor == null || noColor.isEmpty()) && !"dumb".equals(term) ? Style.COLOR : Style.PLAIN;
    }
}
