package dev.modelgate.io;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the files a config names ({@code data: {csv: ...}}, {@code baseline:}) may be: inside the config's own
 * folder tree, or under one of the {@code roots} the run allows explicitly ({@code --data-root DIR}; an audit adds the
 * folder it audits). Configs come from strangers: {@code ../../etc/passwd}, {@code /proc/self/environ} or a link that
 * leads out of the tree must never be read, let alone quoted. Links are resolved before the containment is judged,
 * and only regular files are accepted.
 *
 * @param roots folders, besides each config's own, that the files a config names may be in
 */
public record FileScope(List<Path> roots) {
    /** Each config's own folder tree, and nothing else. */
    public static final FileScope OWN_FOLDER = new FileScope(List.of());

    public FileScope {
        roots = roots == null ? List.of() : List.copyOf(roots);
    }

    /**
     * The file that {@code written}, the value at {@code keyPath} of the config {@code tree}, names: resolved against
     * the config's folder, confined, existing and regular; else a one-line error at that key, which quotes at most a
     * short excerpt of what was written and nothing of the file it names.
     */
    public Path resolve(LocatedTree tree, String keyPath, String written) {
        return resolve(tree, keyPath, written, false);
    }

    /**
     * The folder that {@code written} names ({@code data: {images: DIR}}): confined like {@link #resolve}, existing and
     * a directory. What is inside it is the reader's to confine (see {@code spec.ImageFolderReader}).
     */
    public Path resolveFolder(LocatedTree tree, String keyPath, String written) {
        return resolve(tree, keyPath, written, true);
    }

    private Path resolve(LocatedTree tree, String keyPath, String written, boolean folderWanted) {
        Path given;
        try {
            given = Path.of(written);
        } catch (InvalidPathException e) {
            throw tree.error(keyPath, "'" + Excerpt.of(written) + "' is not a valid path");
        }
        Path folder = tree.file() == null ? Path.of("").toAbsolutePath() : tree.file().toAbsolutePath().normalize().getParent();
        Path file = folder.resolve(given).normalize();
        List<Path> allowed = new ArrayList<>();
        allowed.add(folder);
        roots.forEach(r -> allowed.add(r.toAbsolutePath().normalize()));
        if (allowed.stream().noneMatch(file::startsWith)) throw tree.error(keyPath, "'" + Excerpt.of(written) + "' is " + outside());
        if (!Files.exists(file)) {
            throw tree.error(keyPath, Excerpt.of(written) + ": " + (folderWanted ? "folder" : "file") + " not found (a path relative to the config's folder, or absolute)");
        }
        Path real = real(file);
        if (allowed.stream().map(FileScope::real).noneMatch(real::startsWith)) {
            throw tree.error(keyPath, "'" + Excerpt.of(written) + "' is a link leading " + outside());
        }
        if (folderWanted && !Files.isDirectory(real)) throw tree.error(keyPath, "'" + Excerpt.of(written) + "' is not a folder");
        if (!folderWanted && !Files.isRegularFile(real)) {
            throw tree.error(keyPath, "'" + Excerpt.of(written) + "' is not a regular file" + (Files.isDirectory(real) ? " (a directory)" : " (a device, FIFO or socket)"));
        }
        // Named as before (relative to where the config was given from), so that messages read as the user wrote it.
        Path dir = tree.file() == null || given.isAbsolute() ? null : tree.file().getParent();
        return dir == null ? given.normalize() : dir.resolve(given).normalize();
    }

    private String outside() {
        return "outside the config's folder" + (roots.isEmpty() ? "" : " and " + roots.stream().map(Path::toString).collect(java.util.stream.Collectors.joining(", ")))
                + " (a config names files only inside its own folder tree; give --data-root DIR to allow another folder)";
    }

    /** The real path (links resolved), or where it cannot be resolved (not there yet, unreadable) the absolute normal one. */
    public static Path real(Path p) {
        try {
            return p.toRealPath();
        } catch (IOException e) {
            return p.toAbsolutePath().normalize();
        }
    }
}
