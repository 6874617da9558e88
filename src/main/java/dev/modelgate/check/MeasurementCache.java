package dev.modelgate.check;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.modelgate.codec.ReportCodec;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.ModelReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * Deterministic measurements (structure, activations, gradients: a {@link ModelReport}) kept on disk between runs,
 * so that re-auditing a folder after one edit re-measures only what changed. The key covers everything the result
 * depends on (see {@link Checker}); timing is never cached. Entries are written whole (temporary file, then rename)
 * and an unreadable entry is simply measured again.
 */
public final class MeasurementCache {
    private final Path dir;

    public MeasurementCache(Path dir) {
        this.dir = dir;
    }

    /** ~/.cache/modelgate, or $XDG_CACHE_HOME/modelgate where that is set. */
    public static Path defaultDirectory() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("modelgate");
    }

    public Path directory() { return dir; }

    /**
     * The entry for {@code key}, if there is one that says it is that key's measurement, of this schema and this
     * build; anything else (damaged, older, renamed or copied from another key) is measured again.
     */
    public Optional<ModelReport> get(String key) {
        Path f = dir.resolve(key + ".json");
        if (!Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return Optional.empty();
        try {
            JsonNode entry = ReportCodec.parse(Files.readString(f, StandardCharsets.UTF_8));
            if (!key.equals(entry.path("key").asText()) || entry.path("schema").asInt() != CheckReport.SCHEMA
                    || !Version.get().equals(entry.path("modelgate").asText()) || !entry.path("model").isObject()) {
                return Optional.empty();
            }
            return Optional.of(ReportCodec.model(entry.get("model")));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged or older entry: measure again, and overwrite it
        }
    }

    public void put(String key, ModelReport report) {
        try {
            Files.createDirectories(dir);
            ObjectNode entry = ReportCodec.object();
            entry.put("key", key);
            entry.put("schema", CheckReport.SCHEMA);
            entry.put("modelgate", Version.get());
            entry.set("model", ReportCodec.model(report));
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(tmp, ReportCodec.line(entry), StandardCharsets.UTF_8);
            try {
                Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(key + ".json"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // A cache that cannot be written costs time, not correctness.
        }
    }
}
