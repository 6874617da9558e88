package dev.modelgate.cli;

import dev.modelgate.io.FileScope;
import dev.modelgate.error.BadInputException;
import dev.modelgate.io.InputFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The accepted version of each model: a copy of the file as it was when someone ran {@code modelgate accept} on it,
 * kept in the repository under {@code .modelgate/accepted/<the model's path>} (committed with it, so a team shares
 * it). {@code check FILE --against accepted} compares with it: per-change thresholds compare each change with its
 * parent only, so a 1.9x growth per commit compounds unchecked; against the last accepted version it does not.
 *
 * @param root the folder paths are taken relative to: the git work tree's top, else the current folder
 */
record AcceptedBaselines(Path root) {
    static final String DIR = ".modelgate/accepted";
    /** The revision word that selects this store in {@code --against}. */
    static final String AGAINST = "accepted";
    /** A model file is bounded like every input (the loaders' limit). */
    static final long MAX_BYTES = 256L << 20;

    /** The store of the repository {@code file} is in (or of the current folder outside git). */
    static AcceptedBaselines of(Path file) {
        return new AcceptedBaselines(GitRevision.workTree(file).orElse(Path.of("").toAbsolutePath()));
    }

    /** Where {@code file}'s accepted version is kept; the file must lie under the root. */
    Path recordOf(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw BadInputException.usage(file + ": file not found");
        }
        Path base = FileScope.real(root);
        if (!real.startsWith(base)) throw BadInputException.usage(file + ": not inside " + base + " (accepted versions are kept per repository)");
        return base.resolve(DIR).resolve(base.relativize(real));
    }

    /** Records the file's current content as its accepted version; returns where. */
    Path accept(Path file) {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            throw BadInputException.usage(file + ": not a regular file");
        }
        String notAModel = dev.modelgate.spec.ModelFiles.notAModel(file);
        if (notAModel != null) throw BadInputException.usage(file + ": not a model (" + notAModel + "); accept records models only");
        Path record = recordOf(file);
        byte[] content;
        try (var in = InputFiles.open(file, MAX_BYTES, InputFiles.Role.MODEL)) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw BadInputException.usage(file + ": cannot be read: " + e.getMessage());
        }
        try {
            Files.createDirectories(record.getParent());
            if (Files.isSymbolicLink(record) || (Files.exists(record) && !Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS))) {
                throw BadInputException.usage(record + ": not a regular file; remove it to accept " + file);
            }
            // Whole or not at all: a temporary file beside it, then one rename.
            Path tmp = Files.createTempFile(record.getParent(), ".accepting-", ".tmp");
            try {
                Files.write(tmp, content);
                Files.move(tmp, record, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw BadInputException.usage("cannot record " + file + " as accepted in " + record + ": " + e.getMessage());
        }
        return record;
    }

    /** The accepted version of {@code file}, written beside it for a check (as --against REV does). */
    GitRevision against(Path file) {
        Path record = recordOf(file);
        if (!Files.isRegularFile(record, LinkOption.NOFOLLOW_LINKS)) {
            throw BadInputException.usage(file + ": no accepted version (" + FileScope.real(root).relativize(record) + "); record one with: modelgate accept " + file);
        }
        byte[] content;
        try (var in = InputFiles.open(record, MAX_BYTES, InputFiles.Role.MODEL)) {
            content = in.readAllBytes();
        } catch (IOException e) {
            throw BadInputException.usage(record + ": cannot be read: " + e.getMessage());
        }
        return GitRevision.beside(file, content, AGAINST, "accepted:" + FileScope.real(root).relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/'));
    }

}
