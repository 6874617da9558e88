package dev.modelgate.check;

import dev.modelgate.io.FileScope;
import dev.modelgate.io.Suggestions;
import dev.modelgate.error.BadInputException;
import dev.modelgate.spec.InputShapes;
import dev.modelgate.spec.Shape;
import dev.modelgate.spec.Vocabulary;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * How to run a check.
 *
 * @param staticOnly     structure only: nothing is built or run
 * @param inputShape     used only where a config does not determine its own input shapes (one, or one per named input)
 * @param seed           overrides the configs' seeds for synthetic data and initialization
 * @param iterations     training iterations of the health probe (activations after training, gradients, loss)
 * @param inferenceBatch examples per inference call when timing latency
 * @param timeBudget     seconds the timing may take at most, both operations together
 * @param maxMemory      bytes a run may need (estimated before anything is allocated); more is refused
 * @param loss           the loss for a Keras model saved without a training config ({@code --loss}); empty: the other
 *                       model's loss, else one assumed from the output activation
 * @param batchSize      examples per training iteration of the health probe and of the training timing, and in the
 *                       activation batch ({@code --batch-size}); empty: each model's own (a spec's
 *                       {@code training: {batch-size}}, else {@value #DEFAULT_BATCH_SIZE})
 * @param progress       progress lines on stderr (phase, health iteration k of K, timing pairs)
 * @param dataRoots      folders, besides each config's own, that the files a config names may be in ({@code --data-root};
 *                       an audit adds its folder)
 * @param failOn         which violations fail the check: all (default), or only those the change introduced
 *                       ({@code --fail-on new}: a pre-existing violation is reported as a warning)
 * @param data           examples for both models ({@code --data}: a CSV file), in place of any data section of theirs;
 *                       empty: each config's own
 */
public record CheckOptions(boolean staticOnly, InputShapes inputShape, OptionalLong seed, int iterations,
                           int inferenceBatch, double timeBudget, long maxMemory, Optional<String> loss,
                           OptionalInt batchSize, boolean progress, List<Path> dataRoots, Optional<Path> data,
                           FailOn failOn) {
    /** Validated here, so that the command line and a Java caller meet the same errors. */
    public CheckOptions {
        inputShape = inputShape == null ? InputShapes.NONE : inputShape;
        seed = seed == null ? OptionalLong.empty() : seed;
        loss = loss == null ? Optional.empty() : loss;
        batchSize = batchSize == null ? OptionalInt.empty() : batchSize;
        dataRoots = dataRoots == null ? List.of() : List.copyOf(dataRoots);
        data = data == null ? Optional.empty() : data;
        failOn = failOn == null ? FailOn.ALL : failOn;
        if (data.isPresent() && !Files.isRegularFile(data.get())) {
            throw BadInputException.usage("--data " + data.get() + ": " + (Files.exists(data.get()) ? "not a regular file" : "no such file")
                    + " (a CSV file: feature columns, then the label column, with a header row)");
        }
        for (Path root : dataRoots) {
            if (!Files.isDirectory(root)) throw BadInputException.usage("--data-root " + root + ": not a directory");
        }
        if (batchSize.isPresent() && (batchSize.getAsInt() < 1 || batchSize.getAsInt() > 1_000_000)) {
            throw BadInputException.usage("--batch-size must be between 1 and 1000000, got " + batchSize.getAsInt());
        }
        if (iterations < 1 || iterations > 10_000) throw BadInputException.usage("--iterations must be between 1 and 10000, got " + iterations);
        if (inferenceBatch < 1 || inferenceBatch > 1_000_000) throw BadInputException.usage("--inference-batch must be between 1 and 1000000, got " + inferenceBatch);
        if (!(timeBudget > 0) || timeBudget > 86_400) throw BadInputException.usage("--time-budget must be a positive number of seconds (at most 86400), got " + timeBudget);
        if (maxMemory < 1) throw BadInputException.usage("--max-memory must be a positive size, got " + maxMemory);
        if (loss.isPresent() && !Vocabulary.LOSSES.containsKey(loss.get())) {
            String l = loss.get();
            throw BadInputException.usage("--loss: unknown loss '" + l + "'" + Suggestions.didYouMean(l, Vocabulary.LOSSES.keySet())
                    + "; valid: " + String.join(", ", Vocabulary.LOSSES.keySet()));
        }
    }

    public CheckOptions(boolean staticOnly, Optional<Shape> inputShape, OptionalLong seed, int iterations,
                        int inferenceBatch, double timeBudget, long maxMemory, Optional<String> loss) {
        this(staticOnly, InputShapes.of(inputShape), seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, OptionalInt.empty(), false, List.of(), Optional.empty(), FailOn.ALL);
    }

    public CheckOptions(boolean staticOnly, Optional<Shape> inputShape, OptionalLong seed, int iterations,
                        int inferenceBatch, double timeBudget, long maxMemory) {
        this(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, Optional.empty());
    }

    /** The batch a model is trained and probed with: {@code --batch-size}, else the model's own. */
    public int batchFor(dev.modelgate.spec.ResolvedModel model) {
        return batchSize.orElse(model.spec().training().batchSize());
    }

    /** Half of this machine's memory: DL4J's native buffers, the JVM and the system share the rest. */
    public static final long DEFAULT_MAX_MEMORY = defaultMaxMemory();

    private static long defaultMaxMemory() {
        try {
            var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
            return os.getTotalMemorySize() / 2;
        } catch (RuntimeException | LinkageError e) {
            return 4L << 30;
        }
    }

    /** The defaults, as constants so that the command line's help states the same values. */
    public static final int DEFAULT_ITERATIONS = 10;
    public static final int DEFAULT_TIME_BUDGET = 60;
    public static final int DEFAULT_INFERENCE_BATCH = 1;
    /** A model's batch where its config says none (DL4J configs carry no batch size). */
    public static final int DEFAULT_BATCH_SIZE = 32;

    public static final CheckOptions STATIC = new CheckOptions(true, Optional.empty(), OptionalLong.empty(), DEFAULT_ITERATIONS, DEFAULT_INFERENCE_BATCH, DEFAULT_TIME_BUDGET, DEFAULT_MAX_MEMORY);
    public static final CheckOptions RUN = new CheckOptions(false, Optional.empty(), OptionalLong.empty(), DEFAULT_ITERATIONS, DEFAULT_INFERENCE_BATCH, DEFAULT_TIME_BUDGET, DEFAULT_MAX_MEMORY);

    public CheckOptions withTimeBudget(double seconds) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, seconds, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withIterations(int k) {
        return new CheckOptions(staticOnly, inputShape, seed, k, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withLoss(String name) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, Optional.ofNullable(name), batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withStaticOnly(boolean s) {
        return new CheckOptions(s, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withInputShape(Shape shape) {
        return new CheckOptions(staticOnly, InputShapes.of(Optional.ofNullable(shape)), seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withSeed(long s) {
        return new CheckOptions(staticOnly, inputShape, OptionalLong.of(s), iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    public CheckOptions withInferenceBatch(int n) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, n, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, failOn);
    }

    /** 8G, 512M, 2GiB, 1000000: a size in bytes, as {@code --max-memory} takes it. */
    public static long parseSize(String size) {
        var m = java.util.regex.Pattern.compile("(?i)\\s*([0-9]+(?:\\.[0-9]+)?)\\s*([kmgt]?)(?:i?b)?\\s*").matcher(size);
        if (!m.matches()) throw BadInputException.usage("--max-memory takes a size such as 8G, 512M or 2GiB, got '" + size + "'");
        double n = Double.parseDouble(m.group(1));
        int shift = switch (m.group(2).toLowerCase()) { case "k" -> 10; case "m" -> 20; case "g" -> 30; case "t" -> 40; default -> 0; };
        double b = n * Math.pow(2, shift);
        if (!(b >= 1) || b > Long.MAX_VALUE / 2.0) throw BadInputException.usage("--max-memory: '" + size + "' is not a usable size");
        return (long) b;
    }

    public CheckOptions withBatchSize(int n) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, OptionalInt.of(n), progress, dataRoots, data, failOn);
    }

    public CheckOptions withProgress(boolean p) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, p, dataRoots, data, failOn);
    }

    /** With one more folder the files a config names may be in. */
    public CheckOptions withFailOn(FailOn f) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, data, f);
    }

    /** Which violations fail a check. */
    public enum FailOn {
        /** Every violation of a rule of severity error: the interview's limits are absolute. */
        ALL,
        /** Only those the change introduced: a violation the original has too is reported as a warning. */
        NEW
    }

    public CheckOptions withData(Path csv) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, dataRoots, Optional.ofNullable(csv), failOn);
    }

    public CheckOptions withDataRoot(Path root) {
        List<Path> roots = new java.util.ArrayList<>(dataRoots);
        roots.add(root);
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, maxMemory, loss, batchSize, progress, roots, data, failOn);
    }

    /** What the command line gives every model: input shapes and data. */
    public dev.modelgate.spec.ModelLoader.Given given() {
        return new dev.modelgate.spec.ModelLoader.Given(inputShape, data);
    }

    /** Where the files a config names may be: its own folder tree and the data roots. */
    public FileScope files() {
        return new FileScope(dataRoots);
    }

    public CheckOptions withMaxMemory(long bytes) {
        return new CheckOptions(staticOnly, inputShape, seed, iterations, inferenceBatch, timeBudget, bytes, loss, batchSize, progress, dataRoots, data, failOn);
    }
}
