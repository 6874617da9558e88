package dev.modelgate.io;

import dev.modelgate.error.BadInputException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Collection;
import java.util.Set;

/**
 * Where a report may be written, for every command that writes one. Nothing the user wrote is overwritten: a target
 * that is an input of the run (a model, a baseline, CSV data, the thresholds file, any model of an audited folder;
 * compared as the same file, so links and hard links count) is refused; so is anything but a regular file or an
 * absent path (a device, FIFO, symbolic link or directory is never written over: an atomic rename would replace the
 * link or node itself). The checks run before any measuring, and again just before writing. A report is written
 * whole or not at all: into a temporary file in the same directory, then one rename. {@code -} (and
 * {@code /dev/stdout}, which is never replaced) means standard output.
 */
public final class OutputPolicy {
    /** Paths that mean "standard output" rather than a file. */
    static final Set<String> STDOUT = Set.of("-", "/dev/stdout", "/dev/fd/1", "/proc/self/fd/1");

    private OutputPolicy() {}

    public static boolean isStdout(String path) {
        return STDOUT.contains(path);
    }

    /**
     * Refuses {@code target} as a report file, with the reason, unless a report may be written there.
     *
     * @param inputs every file the run reads
     */
    public static void check(Path target, Collection<Path> inputs) {
        for (Path in : inputs) {
            if (same(target, in)) throw refused(target, "it is an input of this run (" + in + ")");
        }
        requireWritable(target);
    }

    /** Writes {@code content} to {@code target} whole or not at all (the target checked again first). */
    public static void write(Path target, String content) {
        requireWritable(target);
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        Path tmp = null;
        try {
            if (dir != null) Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
            tmp.toFile().deleteOnExit(); // interrupted before the rename: no stray file (after it, there is nothing to delete)
            Files.writeString(tmp, content, StandardCharsets.UTF_8);
            // A temporary file is private (rw-------); a report is for reading, like any file the user asks for.
            try {
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system: its defaults apply
            }
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            if (tmp != null) {
                try { Files.deleteIfExists(tmp); } catch (IOException ignored) { /* best effort */ }
            }
            throw refused(target, Excerpt.of(String.valueOf(e.getMessage()), Excerpt.MESSAGE_CHARS));
        }
    }

    /** A regular file or nothing at the path, and a directory (or the folders to make) where a file can be created. */
    private static void requireWritable(Path target) {
        if (Files.isSymbolicLink(target)) throw refused(target, "it is a symbolic link (a report replaces only a regular file)");
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw refused(target, Files.isDirectory(target) ? "it is a directory" : "it is not a regular file (a device, FIFO or socket)");
        }
        Path dir = target.toAbsolutePath().getParent();
        while (dir != null && !Files.exists(dir)) dir = dir.getParent(); // the folders below are made when writing
        if (dir == null || !Files.isDirectory(dir)) throw refused(target, (dir == null ? "its folder" : dir) + " is not a directory");
        try {
            Files.deleteIfExists(Files.createTempFile(dir, ".modelgate-probe-", ".tmp")); // the only honest test of "can write here"
        } catch (IOException | SecurityException e) {
            throw refused(target, "cannot create a file in " + dir + " (" + Excerpt.of(String.valueOf(e.getMessage()), Excerpt.MESSAGE_CHARS) + ")");
        }
    }

    private static boolean same(Path target, Path input) {
        try {
            if (Files.exists(target) && Files.exists(input)) return Files.isSameFile(target, input);
            return real(target).equals(real(input));
        } catch (IOException e) {
            return false;
        }
    }

    /** The real path, or for a file not there yet, its folder's real path and its name. */
    private static Path real(Path p) throws IOException {
        Path abs = p.toAbsolutePath().normalize();
        if (Files.exists(abs)) return abs.toRealPath();
        Path dir = abs.getParent();
        return dir != null && Files.exists(dir) ? dir.toRealPath().resolve(abs.getFileName()) : abs;
    }

    private static BadInputException refused(Path target, String why) {
        return BadInputException.usage("cannot write report " + target + ": " + why);
    }
}
