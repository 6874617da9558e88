package dev.modelgate;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes real files for tests. */
public final class TestFiles {
    private TestFiles() {}

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
