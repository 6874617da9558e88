package dev.modelgate.check;

import dev.modelgate.error.BadInputException;
import dev.modelgate.io.InputFiles;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;

/**
 * Which files of an audited folder are its configs: {@code --include GLOB} (any of them, when given), minus
 * {@code --exclude GLOB} and the patterns of a {@code .modelgateignore} file at the folder's root. Globs are Java's
 * (the {@code glob:} syntax of {@link java.nio.file.FileSystem#getPathMatcher}: {@code *}, {@code **}, {@code ?},
 * {@code {a,b}}) against the path relative to the folder, with {@code /} between names. As in a {@code .gitignore},
 * a pattern without a {@code /} matches a file name at any depth, and one ending in {@code /} a folder and
 * everything below it; lines starting with {@code #} and blank lines are ignored.
 */
public record ConfigSelection(List<Pattern> include, List<Pattern> exclude) {
    public static final String IGNORE_FILE = ".modelgateignore";
    /** An ignore file is a few lines: more is not one. */
    static final long MAX_IGNORE_BYTES = 64 * 1024;

    public static final ConfigSelection ALL = new ConfigSelection(List.of(), List.of());

    public ConfigSelection {
        include = List.copyOf(include);
        exclude = List.copyOf(exclude);
    }

    /** One pattern, where it came from (for messages), and its matcher. */
    public record Pattern(String glob, String origin, PathMatcher matcher) {
        static Pattern of(String glob, String origin) {
            String g = glob.strip();
            boolean folder = g.endsWith("/");
            if (folder) g = g + "**";
            else if (!g.contains("/")) g = "{" + g + ",**/" + g + "}"; // a bare name: at any depth
            if (g.startsWith("/")) g = g.substring(1); // anchored at the folder, as in .gitignore
            try {
                return new Pattern(glob, origin, FileSystems.getDefault().getPathMatcher("glob:" + g));
            } catch (IllegalArgumentException e) { // PatternSyntaxException among them
                throw BadInputException.usage(origin + ": '" + glob + "' is not a valid glob (" + e.getMessage().lines().findFirst().orElse("") + ")");
            }
        }

        boolean matches(Path relative) {
            return matcher.matches(relative);
        }
    }

    /** The options' patterns, plus the folder's .modelgateignore where it has one. */
    public static ConfigSelection of(Path folder, List<String> include, List<String> exclude) {
        List<Pattern> in = new ArrayList<>(), out = new ArrayList<>();
        for (String g : include) in.add(Pattern.of(g, "--include"));
        for (String g : exclude) out.add(Pattern.of(g, "--exclude"));
        Path ignore = folder.resolve(IGNORE_FILE);
        if (Files.isRegularFile(ignore)) {
            List<String> lines;
            try (var in0 = InputFiles.open(ignore, MAX_IGNORE_BYTES, InputFiles.Role.IGNORE)) {
                lines = new String(in0.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
            } catch (IOException e) {
                throw new BadInputException(ignore, null, "", "cannot be read: " + e.getMessage());
            }
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i).strip();
                if (line.isEmpty() || line.startsWith("#")) continue;
                out.add(Pattern.of(line, IGNORE_FILE + ":" + (i + 1)));
            }
        }
        return new ConfigSelection(in, out);
    }

    /** Whether the file at {@code relative} (to the audited folder) is one of its configs. */
    public boolean selected(Path relative) {
        Path r = Path.of(relative.toString().replace('\\', '/'));
        if (!include.isEmpty() && include.stream().noneMatch(p -> p.matches(r))) return false;
        return exclude.stream().noneMatch(p -> p.matches(r));
    }
}
