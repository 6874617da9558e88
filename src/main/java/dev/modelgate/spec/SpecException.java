package dev.modelgate.spec;

import java.nio.file.Path;

/**
 * A model config that cannot be used as written. Its message is one line that names the file, the place in it
 * (line:column and key path where known), what is wrong and what would be valid.
 */
public class SpecException extends RuntimeException {
    private final Path file;
    private final Location location;
    private final String keyPath;
    private final String problem;

    public SpecException(Path file, Location location, String keyPath, String problem) {
        this(file, location, keyPath, problem, null);
    }

    public SpecException(Path file, Location location, String keyPath, String problem, Throwable cause) {
        super(format(file, location, keyPath, problem), cause);
        this.file = file;
        this.location = location == null ? Location.UNKNOWN : location;
        this.keyPath = keyPath;
        this.problem = problem;
    }

    public Path file() { return file; }
    public Location location() { return location; }
    public String keyPath() { return keyPath; }
    public String problem() { return problem; }

    private static String format(Path file, Location location, String keyPath, String problem) {
        StringBuilder sb = new StringBuilder();
        if (file != null) sb.append(file);
        if (location != null && location.known()) sb.append(':').append(location);
        if (sb.length() > 0) sb.append(": ");
        if (keyPath != null && !keyPath.isEmpty()) sb.append(keyPath).append(": ");
        sb.append(problem.replace('\n', ' '));
        return sb.toString();
    }
}
