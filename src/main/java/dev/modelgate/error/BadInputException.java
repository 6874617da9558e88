package dev.modelgate.error;

import java.nio.file.Path;

/**
 * The one exception for input modelgate cannot use: a model file, a thresholds config, the command line, a model
 * DL4J cannot build or run, or a limit it would exceed. Its message is one line that names the file, the place in it
 * (line:column and key path where known), what is wrong and what would be valid. Every field survives the worker
 * boundary (the worker protocol carries them), so a caller sees the same exception whichever JVM measured.
 */
public final class BadInputException extends RuntimeException {
    /** What was wrong; the exit code is chosen from it in one place (the CLI's ExitCodes). */
    public enum Kind {
        /** A model file: unreadable, not a model, or invalid as written. */
        MODEL,
        /** A thresholds config ({@code --config}, {@code .modelgate.yaml}). */
        CONFIG,
        /** The command line or the settings object: an option out of range, an impossible combination. */
        USAGE,
        /** A model that is valid on paper but that DL4J cannot build or run; the message names the layer where known. */
        RUN,
        /** A run refused before anything was allocated: it would exceed a memory limit. */
        LIMIT,
        /** A run stopped by a limit while measuring (--timeout, out of memory): what was measured before still counts. */
        STOPPED
    }

    private final Kind kind;
    private final String file;
    private final Location location;
    private final String keyPath;
    private final String problem;

    public BadInputException(Kind kind, String file, Location location, String keyPath, String problem, Throwable cause) {
        super(format(file, location, keyPath, problem), cause);
        this.kind = kind;
        this.file = file;
        this.location = location == null ? Location.UNKNOWN : location;
        this.keyPath = keyPath == null ? "" : keyPath;
        this.problem = problem;
    }

    /** A model file that cannot be used as written. */
    public BadInputException(Path file, Location location, String keyPath, String problem) {
        this(file, location, keyPath, problem, null);
    }

    public BadInputException(Path file, Location location, String keyPath, String problem, Throwable cause) {
        this(Kind.MODEL, file == null ? null : file.toString(), location, keyPath, problem, cause);
    }

    public static BadInputException config(String message) {
        return new BadInputException(Kind.CONFIG, null, null, "", message, null);
    }

    public static BadInputException usage(String message) {
        return new BadInputException(Kind.USAGE, null, null, "", message, null);
    }

    /** A model DL4J cannot build or run; {@code message} already names the file (and the layer where known). */
    public static BadInputException run(String message, Throwable cause) {
        return new BadInputException(Kind.RUN, null, null, "", message, cause);
    }

    /** A memory or time limit; {@code file} is the model it concerns, or null. */
    public static BadInputException limit(Path file, String message) {
        return new BadInputException(Kind.LIMIT, file == null ? null : file.toString(), null, "", message, null);
    }

    /** A run stopped while measuring; {@code file} is the model it concerns, or null. */
    public static BadInputException stopped(Path file, String message) {
        return new BadInputException(Kind.STOPPED, file == null ? null : file.toString(), null, "", message, null);
    }

    public Kind kind() { return kind; }
    /** The file as given, or null where the problem is not in one file. */
    public String file() { return file; }
    public Location location() { return location; }
    public String keyPath() { return keyPath; }
    /** The problem alone, without the file and place. */
    public String problem() { return problem; }

    private static String format(String file, Location location, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file);
        if (location != null && location.known()) sb.append(':').append(location);
        if (sb.length() > 0) sb.append(": ");
        if (keyPath != null && !keyPath.isEmpty()) sb.append(keyPath).append(": ");
        sb.append(problem);
        // One line, and no control characters a file could smuggle in (a terminal escape, a carriage return that hides
        // the rest) anywhere in it: a key path is the file's text too (a fuzzed zip entry's name held a newline).
        return sb.toString().replaceAll("\\p{Cntrl}", " ");
    }
}
