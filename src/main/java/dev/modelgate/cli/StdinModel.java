package dev.modelgate.cli;

import dev.modelgate.error.BadInputException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

/**
 * A model given as {@code -}: read from stdin (bounded), written to a private temporary folder, and removed when
 * closed. The file has no extension: the loaders tell its kind from its content, as they do for every file. Its folder is its own, so a spec from stdin cannot name other files ({@code data:},
 * {@code baseline:}): they would have to be inside that folder.
 */
final class StdinModel implements AutoCloseable {
    /** As for a model file: the loaders' own limit. */
    static final long MAX_BYTES = 256L << 20;

    private final Path dir;
    private final Path file;

    private StdinModel(Path dir, Path file) {
        this.dir = dir;
        this.file = file;
    }

    /** The files with a {@code -} replaced by stdin's model; the model to close after, or null when none was {@code -}. */
    static StdinModel replacing(List<Path> files, InputStream stdin) {
        long dashes = files.stream().filter(f -> f.toString().equals("-")).count();
        if (dashes == 0) return null;
        if (dashes > 1) throw BadInputException.usage("only one model can come from stdin ('-'), got " + dashes);
        byte[] content;
        try {
            content = stdin.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, MAX_BYTES + 1));
        } catch (IOException e) {
            throw BadInputException.usage("-: stdin cannot be read: " + e.getMessage());
        }
        if (content.length > MAX_BYTES) throw BadInputException.usage("-: more than " + (MAX_BYTES >> 20) + " MiB on stdin; a model file is at most that");
        if (content.length == 0) throw BadInputException.usage("-: stdin is empty (give the model on stdin, e.g. git show HEAD:model.yaml | modelgate check - model.yaml)");
        try {
            Path dir = Files.createTempDirectory("modelgate-stdin-", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            Path file = dir.resolve("stdin");
            Files.write(file, content);
            StdinModel m = new StdinModel(dir, file);
            List<Path> replaced = new ArrayList<>();
            for (Path f : files) replaced.add(f.toString().equals("-") ? file : f);
            files.clear();
            files.addAll(replaced);
            return m;
        } catch (IOException e) {
            throw BadInputException.usage("-: cannot keep stdin's model in a temporary file: " + e.getMessage());
        }
    }

    Path file() { return file; }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        } catch (IOException ignored) {
            // the temporary folder is the system's to clean
        }
    }
}
