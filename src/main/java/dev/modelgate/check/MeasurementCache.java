package dev.modelgate.check;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
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
    /** Records round-trip as JSON; NaN and Infinity (an exploding model's values) must survive the trip. */
    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

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

    public Optional<ModelReport> get(String key) {
        Path f = dir.resolve(key + ".json");
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            return Optional.of(MAPPER.readValue(Files.readString(f, StandardCharsets.UTF_8), ModelReport.class));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // a damaged or older entry: measure again, and overwrite it
        }
    }

    public void put(String key, ModelReport report) {
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, key, ".tmp");
            Files.writeString(tmp, MAPPER.writeValueAsString(report), StandardCharsets.UTF_8);
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
