package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A model file as it was at a git revision ({@code --against REV}). The old version is written beside the working
 * file under a hidden temporary name, so that paths inside it ({@code data:}, {@code baseline:}) resolve as they did,
 * and removed on every way out: when closed, when writing it fails, at JVM exit (Ctrl-C, SIGTERM). A process killed
 * outright (SIGKILL) cannot remove it; its name carries the process id, and the next {@code --against} in that folder
 * removes every copy whose process is gone.
 */
final class GitRevision implements AutoCloseable {
    private final Path copy;
    private final String label;

    private GitRevision(Path copy, String label) {
        this.copy = copy;
        this.label = label;
    }

    /** The copy to load. */
    Path file() { return copy; }

    /** How to name it in reports: {@code HEAD:models/lenet.yaml}. */
    String label() { return label; }

    static GitRevision of(Path file, String rev) {
        // A revision is never an option: '--output=x' would make git write a file (issue 12).
        if (rev.isEmpty() || rev.startsWith("-") || rev.chars().anyMatch(c -> c < 0x20)) {
            throw BadInputException.usage("--against: '" + rev.replaceAll("\\p{Cntrl}", "?") + "' is not a git revision (a commit, branch or tag, such as HEAD or main)");
        }
        if (!Files.isRegularFile(file)) throw BadInputException.usage(file + ": file not found (--against compares a file in the working tree with its version at " + rev + ")");
        Path dir = file.toAbsolutePath().getParent();
        String root = git(dir, "rev-parse", "--show-toplevel").strip();
        Path relative;
        try {
            relative = Path.of(root).toRealPath().relativize(file.toRealPath());
        } catch (IOException e) {
            throw BadInputException.usage(file + ": " + e.getMessage());
        }
        String spec = rev + ":" + relative.toString().replace('\\', '/');
        byte[] old = gitBytes(Path.of(root), "show", "--end-of-options", spec);
        return beside(file, old, rev, spec);
    }

    /**
     * Another version of {@code file} ({@code content}), written beside it under a hidden temporary name.
     *
     * @param tag   a word for the name (the revision, or "accepted")
     * @param label how reports name the version
     */
    static GitRevision beside(Path file, byte[] content, String tag, String label) {
        Path dir = file.toAbsolutePath().getParent();
        removeCopiesOfDeadProcesses(dir);
        Path copy = null;
        try {
            copy = Files.createTempFile(dir, PREFIX + ProcessHandle.current().pid() + "-" + tag.replaceAll("[^A-Za-z0-9._-]", "_") + "-", "-" + file.getFileName());
            copy.toFile().deleteOnExit();
            Files.write(copy, content);
            return new GitRevision(copy, label);
        } catch (IOException | RuntimeException e) {
            delete(copy);
            throw BadInputException.usage("cannot write the " + label + " version beside " + file + ": " + e.getMessage());
        }
    }

    /** The top folder of the git work tree {@code file} is in, or empty outside one (or without git). */
    static java.util.Optional<Path> workTree(Path file) {
        try {
            String root = git(file.toAbsolutePath().getParent(), "rev-parse", "--show-toplevel").strip();
            return root.isEmpty() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(root));
        } catch (BadInputException e) {
            return java.util.Optional.empty(); // not a work tree, or no git: the caller's folder instead
        }
    }

    private static final String PREFIX = ".modelgate-";
    /** A copy's name: the prefix, the id of the process that wrote it, then the revision, a random part and the file. */
    private static final java.util.regex.Pattern COPY = java.util.regex.Pattern.compile("\\.modelgate-(\\d+)-.+");

    /** Copies left by a process that was killed outright (SIGKILL), which nothing else would remove. */
    static void removeCopiesOfDeadProcesses(Path dir) {
        try (var files = Files.list(dir)) {
            for (Path p : (Iterable<Path>) files::iterator) {
                var m = COPY.matcher(p.getFileName().toString());
                if (!m.matches() || !Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                long pid;
                try {
                    pid = Long.parseLong(m.group(1));
                } catch (NumberFormatException e) {
                    continue;
                }
                if (ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) continue;
                delete(p);
            }
        } catch (IOException | java.io.UncheckedIOException e) {
            // an unlistable folder fails below, where the copy is written
        }
    }

    private static void delete(Path p) {
        if (p == null) return;
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // deleteOnExit is the fallback
        }
    }

    private static String git(Path dir, String... args) {
        return new String(gitBytes(dir, args), StandardCharsets.UTF_8);
    }

    private static byte[] gitBytes(Path dir, String... args) {
        List<String> cmd = new java.util.ArrayList<>(List.of("git", "-C", dir.toString()));
        cmd.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
            byte[] out = p.getInputStream().readAllBytes();
            String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(60, TimeUnit.SECONDS)) throw BadInputException.usage("git " + String.join(" ", args) + ": timed out");
            if (p.exitValue() != 0) {
                String first = err.lines().findFirst().orElse("exit " + p.exitValue()).replaceFirst("^fatal: ", "");
                throw BadInputException.usage("--against: git " + String.join(" ", args) + ": " + first);
            }
            return out;
        } catch (IOException e) {
            throw BadInputException.usage("--against needs git on the PATH: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BadInputException.usage("--against: interrupted");
        }
    }

    @Override
    public void close() {
        delete(copy);
    }
}
