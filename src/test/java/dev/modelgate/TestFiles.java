package dev.modelgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes real files for tests. */
public final class TestFiles {
    private TestFiles() {}

    /**
     * The same model in another file of other bytes (a trailing newline): a file checked against itself is one
     * model, measured once and not timed, so a test of the timing of identical models needs two files.
     */
    public static Path sameModelOtherBytes(Path model, Path dir) {
        try {
            return write(dir, "copy-of-" + model.getFileName(), Files.readString(model) + "\n");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Path write(Path dir, String name, String content) {
        try {
            Path p = dir.resolve(name);
            Files.createDirectories(p.getParent());
            Files.writeString(p, content, StandardCharsets.UTF_8);
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The repository root (tests run with the module directory as working directory). */
    public static Path repo() {
        return Path.of("").toAbsolutePath();
    }
}
