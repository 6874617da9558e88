package dev.modelgate.check;

import dev.modelgate.io.FileScope;
import dev.modelgate.error.BadInputException;
import dev.modelgate.error.InfrastructureException;
import dev.modelgate.report.AuditEntry;
import dev.modelgate.report.AuditReport;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.Hdf5Reader;
import dev.modelgate.spec.KerasReader;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ModelSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Checks every experiment config in a folder against its baseline and collects one report. A config that cannot be
 * read or run is one ERROR entry; the others go on. Reading and structural checks of all configs run in parallel;
 * the checks themselves run one after another, because timings taken in parallel disturb each other. Each baseline
 * is measured once per audit (and not at all when the measurement cache has it).
 */
public final class Auditor {
    /** Files that configure modelgate rather than describe a model. */
    static final Set<String> NOT_MODELS = Set.of(".modelgate.yaml", ".pre-commit-hooks.yaml", ".pre-commit-config.yaml");

    /**
     * @param baseline   one baseline for every config (--baseline), or null to use each spec's {@code baseline:} key
     * @param shardIndex 1-based shard of {@code shardCount}: this run checks only the configs that fall in it
     */
    public record Options(Path baseline, CheckOptions check, int shardIndex, int shardCount, List<String> include, List<String> exclude,
                          Map<String, Long> durations) {
        public Options {
            include = include == null ? List.of() : List.copyOf(include);
            exclude = exclude == null ? List.of() : List.copyOf(exclude);
            durations = durations == null ? Map.of() : Map.copyOf(durations);
        }

        public Options(Path baseline, CheckOptions check, int shardIndex, int shardCount, List<String> include, List<String> exclude) {
            this(baseline, check, shardIndex, shardCount, include, exclude, Map.of());
        }

        public Options(Path baseline, CheckOptions check, int shardIndex, int shardCount) {
            this(baseline, check, shardIndex, shardCount, List.of(), List.of());
        }

        public static Options of(CheckOptions check) {
            return new Options(null, check, 1, 1);
        }
    }

    /** Told about each config as the audit reaches it (a progress bar, log lines). */
    public interface Progress {
        void start(int total);

        void checking(int index, String config);

        void done(AuditEntry entry);

        Progress NONE = new Progress() {
            public void start(int total) {}
            public void checking(int index, String config) {}
            public void done(AuditEntry entry) {}
        };
    }

    private final CheckRunner checker;
    /** Static checks load nothing native and cannot crash DL4J: they run in this JVM, side by side. */
    private final Checker inProcess;
    private final MeasurementCache cache;

    public Auditor(Thresholds thresholds, MeasurementCache cache) {
        this(thresholds, cache, null);
    }

    /**
     * @param runner where checks that run models go (a worker), or null to run them in this JVM; its HDF5 reader
     *               reads every Keras HDF5 file this JVM looks into
     */
    public Auditor(Thresholds thresholds, MeasurementCache cache, CheckRunner runner) {
        this.inProcess = new Checker(thresholds, cache, runner != null ? runner.hdf5Reader() : Hdf5Reader.IN_THIS_JVM);
        this.checker = runner != null ? runner : inProcess;
        this.cache = cache;
    }

    public AuditReport audit(Path folder, Options given, Progress progress) {
        if (!Files.isDirectory(folder)) throw new BadInputException(folder, null, "", "is not a directory; audit takes a folder of experiment configs");
        // Files that are not models (a params.yaml, a package.json beside the experiments) are listed, not checked.
        List<AuditReport.Skipped> skipped = new ArrayList<>();
        List<Path> configs = new ArrayList<>();
        ConfigSelection selection = ConfigSelection.of(folder, given.include(), given.exclude());
        for (Path p : discover(folder)) {
            if (!selection.selected(folder.relativize(p))) continue;
            String why = Files.isRegularFile(p) ? dev.modelgate.spec.ModelFiles.notAModel(p) : null;
            if (why == null) configs.add(p);
            else skipped.add(new AuditReport.Skipped(p.toString(), why));
        }
        if (configs.isEmpty()) {
            throw BadInputException.usage(folder + ": no model configs found" + (selection.equals(ConfigSelection.ALL) ? "" : " among the selected files (--include, --exclude, "
                    + ConfigSelection.IGNORE_FILE + ")") + " (YAML/JSON specs and DL4J or Keras configs, DL4J model zips, Keras HDF5 "
                    + "files" + (skipped.isEmpty() ? "" : "; " + skipped.size() + " file" + (skipped.size() == 1 ? " is not a model: " : "s are not models: ")
                    + String.join(", ", skipped.stream().map(k -> Path.of(k.file()).getFileName().toString()).limit(5).toList())) + ")");
        }
        // The audited folder is every config's tree: a config in a subfolder may name ../original.yaml.
        Options options = new Options(given.baseline(), given.check().withDataRoot(folder), given.shardIndex(), given.shardCount(),
                given.include(), given.exclude(), given.durations());
        // Read every config (in parallel: this is cheap static work) to learn which ones are baselines of others.
        Map<Path, Object> read = new LinkedHashMap<>();
        configs.parallelStream().forEach(p -> {
            Object r;
            try {
                r = ModelLoader.load(p, KerasReader.LossChoice.NONE, options.check().files(), inProcess.hdf5Reader());
            } catch (BadInputException e) {
                r = e;
            }
            synchronized (read) { read.put(p, r); }
        });
        Set<Path> baselines = new HashSet<>();
        read.forEach((p, r) -> {
            Path b = r instanceof ModelSpec s ? baselineOf(p, s, options) : null;
            if (b != null) baselines.add(FileScope.real(b));
        });

        List<Path> experiments = new ArrayList<>();
        for (Path p : configs) {
            boolean isBaseline = baselines.contains(FileScope.real(p));
            boolean namesItsBaseline = options.baseline() == null && read.get(p) instanceof ModelSpec s && s.baseline() != null;
            if (isBaseline && !namesItsBaseline && read.get(p) instanceof ModelSpec) continue; // a baseline, not an experiment
            experiments.add(p);
        }
        List<Path> todo = new ArrayList<>();
        if (options.shardCount() > 1 && !options.durations().isEmpty()) {
            Map<String, Integer> shards = ShardBalance.assign(experiments.stream().map(p -> relative(folder, p)).toList(), options.durations(), options.shardCount());
            for (Path p : experiments) if (shards.get(relative(folder, p)) == options.shardIndex()) todo.add(p);
        } else {
            for (Path p : experiments) if (inShard(relative(folder, p), options)) todo.add(p);
        }
        todo.sort(null);
        progress.start(todo.size());
        List<AuditEntry> entries = new ArrayList<>();
        if (options.check().staticOnly()) {
            // Nothing is timed: structural checks may run side by side.
            java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
            todo.parallelStream().map(config -> {
                AuditEntry e = checkOne(config, read.get(config), options);
                synchronized (progress) {
                    progress.checking(n.incrementAndGet(), config.toString());
                    progress.done(e);
                }
                return e;
            }).forEachOrdered(entries::add);
        } else {
            for (int i = 0; i < todo.size(); i++) {
                Path config = todo.get(i);
                progress.checking(i + 1, config.toString());
                AuditEntry e = checkOne(config, read.get(config), options);
                entries.add(e);
                progress.done(e);
            }
        }
        // Where the checks were measured: the environment a run-mode report brought back from its worker, else this JVM's.
        Environment environment = entries.stream().map(AuditEntry::report).filter(java.util.Objects::nonNull)
                .filter(r -> r.mode().equals("run")).map(CheckReport::environment).findFirst()
                .orElseGet(() -> Environments.here(options.check().staticOnly()));
        return new AuditReport(folder.toString(), entries, environment, skipped,
                given.shardCount() > 1 ? new AuditReport.Shard(given.shardIndex(), given.shardCount()) : null);
    }

    private AuditEntry checkOne(Path config, Object read, Options options) {
        if (read instanceof BadInputException e) return AuditEntry.error(config.toString(), null, e.getMessage());
        ModelSpec spec = (ModelSpec) read;
        Path baseline = baselineOf(config, spec, options);
        if (baseline == null) {
            return AuditEntry.error(config.toString(), null, config + ": no baseline to compare with; name one in the spec "
                    + "(baseline: original.yaml), put a baseline.yaml or original.yaml beside it, or pass --baseline FILE");
        }
        try {
            CheckRunner runner = options.check().staticOnly() ? inProcess : checker;
            return AuditEntry.checked(config.toString(), baseline.toString(), runner.check(baseline, config, options.check()));
        } catch (BadInputException e) {
            return AuditEntry.error(config.toString(), baseline.toString(), e.getMessage());
        } catch (InfrastructureException e) {
            throw e; // every config would fail the same way: the audit stops (exit 3)
        } catch (RuntimeException | OutOfMemoryError e) {
            // One crashing config must not stop the others; the entry says it is modelgate's fault.
            return AuditEntry.error(config.toString(), baseline.toString(), "internal error: " + e);
        }
    }

    /** Where a config's baseline is looked for, first found wins. */
    static final List<String> CONVENTIONAL_BASELINES = List.of("baseline.yaml", "baseline.yml", "baseline.json", "baseline.zip", "baseline.h5",
            "baseline.hdf5", "original.yaml", "original.yml", "original.json", "original.zip", "original.h5", "original.hdf5");

    /** What a model file is called: specs and configs (YAML, JSON), DL4J model zips, Keras HDF5 files. */
    static final List<String> MODEL_EXTENSIONS = List.of(".yaml", ".yml", ".json", ".zip", ".h5", ".hdf5");

    /**
     * A config's baseline: --baseline for all; else the spec's own {@code baseline:} key; else, by convention (and for
     * DL4J configs, which have no such key), a {@code baseline.*} or {@code original.*} file in the same folder.
     */
    static Path baselineOf(Path config, ModelSpec spec, Options options) {
        if (options.baseline() != null) return options.baseline();
        if (spec.baseline() != null) return spec.baseline();
        for (String name : CONVENTIONAL_BASELINES) {
            Path sibling = config.resolveSibling(name);
            if (Files.isRegularFile(sibling) && !FileScope.real(sibling).equals(FileScope.real(config))) return sibling;
        }
        return null;
    }

    /**
     * Experiment configs under the folder, sorted: YAML and JSON files, DL4J model zips and Keras HDF5 files, not
     * hidden, not reached through a link leading out.
     */
    static List<Path> discover(Path folder) {
        Path root = FileScope.real(folder);
        try (Stream<Path> files = Files.walk(folder)) {
            return files.filter(p -> !p.equals(folder))
                    .filter(p -> !hidden(folder.relativize(p)))
                    .filter(p -> {
                        String n = p.getFileName().toString().toLowerCase();
                        return MODEL_EXTENSIONS.stream().anyMatch(n::endsWith) && !NOT_MODELS.contains(n);
                    })
                    // Not only regular files: a FIFO or device node called *.yaml is reported as the error it is, not skipped.
                    .filter(p -> Files.isSymbolicLink(p) ? FileScope.real(p).startsWith(root) && !Files.isDirectory(p) : !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
                    .sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(folder, null, "", "cannot be listed: " + e.getMessage());
        }
    }

    private static boolean hidden(Path relative) {
        for (Path part : relative) if (part.toString().startsWith(".")) return true;
        return false;
    }

    private static String relative(Path folder, Path p) {
        return folder.relativize(p).toString().replace('\\', '/');
    }

    /** A stable share: the same file stays in the same shard when others are added or removed. */
    static boolean inShard(String relativePath, Options o) {
        if (o.shardCount() <= 1) return true;
        return Math.floorMod(relativePath.replace('\\', '/').hashCode(), o.shardCount()) + 1 == o.shardIndex();
    }


    public Optional<MeasurementCache> cache() { return Optional.ofNullable(cache); }
}
