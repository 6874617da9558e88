package dev.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** `modelgate audit DIR` on real folders of configs. */
class AuditCommandTest {
    @TempDir Path dir;
    Path folder;

    static String cnn(int filters, String extra) {
        return extra + """
                input: {image: [1, 12, 12]}
                training: {batch-size: 4}
                layers:
                  - {name: conv1, type: conv2d, filters: %d, kernel: 3}
                  - {name: fc1, type: dense, units: 8}
                output: {classes: 3}
                """.formatted(filters);
    }

    @BeforeEach
    void folder() {
        folder = dir.resolve("experiments");
        TestFiles.write(folder, "original.yaml", cnn(4, ""));
        TestFiles.write(folder, "wider.yaml", cnn(6, "baseline: original.yaml\n"));
        TestFiles.write(folder, "much-wider.yaml", cnn(16, "baseline: original.yaml\n"));
        TestFiles.write(folder, "sub/by-convention.yaml", cnn(4, ""));   // compared with sub/baseline.yaml
        TestFiles.write(folder, "sub/baseline.yaml", cnn(4, ""));
        TestFiles.write(folder, "broken.yaml", "input: {features: 4}\nlayers:\n  - {type: dense, untis: 3}\noutput: {classes: 2}\n");
        TestFiles.write(folder, ".modelgate.yaml", "rules: {}\n");
        TestFiles.write(folder, ".hidden/ignored.yaml", "nonsense: true\n");
    }

    @Test
    void aBrokenConfigIsOneErrorRowAndTheOthersComplete() throws Exception {
        Path json = dir.resolve("out/audit.json"), text = dir.resolve("out/audit.txt");
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--report", "json=" + json, "--report", "text=" + text, "--no-cache");
        assertEquals(2, r.code(), "an invalid config makes the audit exit 2: " + r);
        JsonNode a = new ObjectMapper().readTree(Files.readString(json));
        assertEquals("ERROR", a.get("verdict").asText());
        List<String> order = new ArrayList<>();
        a.get("checks").forEach(c -> order.add(c.get("verdict").asText() + " " + Path.of(c.get("config").asText()).getFileName()));
        assertEquals(List.of("ERROR broken.yaml", "FAIL much-wider.yaml", "PASS by-convention.yaml", "PASS wider.yaml"), order, "worst first");
        JsonNode broken = a.get("checks").get(0);
        assertTrue(broken.get("error").asText().contains("unknown key 'untis' (did you mean 'units'?)"), broken.toString());
        assertEquals(1, a.get("summary").get("fail").asInt());
        assertTrue(r.out().startsWith("modelgate audit: ERROR  4 configs"), r.out());
        assertTrue(r.err().contains("[1/4]") && r.err().contains("[4/4]"), "plain progress lines off a terminal: " + r.err());
        assertTrue(Files.readString(text).contains("much-wider.yaml"));
    }

    @Test
    void oneRunWritesJsonJunitMarkdownAndHtml() throws Exception {
        Path out = dir.resolve("reports");
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--no-cache", "-q", "--report", "json=" + out.resolve("a.json"),
                "--report", "junit=" + out.resolve("a.xml"), "--report", "markdown=" + out.resolve("a.md"), "--report", "html=" + out.resolve("a.html"));
        assertEquals(2, r.code(), r.toString());
        assertTrue(Files.readString(out.resolve("a.json")).contains("\"checks\""));
        assertTrue(Files.readString(out.resolve("a.xml")).contains("<testsuites"));
        assertTrue(Files.readString(out.resolve("a.md")).startsWith("**modelgate audit: ERROR**"));
        assertTrue(Files.readString(out.resolve("a.html")).contains("<html"));
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out.resolve("a.json"))));
    }

    @Test
    void exitCodeIsTheWorstVerdict() throws Exception {
        Files.delete(folder.resolve("broken.yaml"));
        assertEquals(1, Cli.run("audit", folder.toString(), "--static", "-q", "--no-cache").code());
        Files.delete(folder.resolve("much-wider.yaml"));
        assertEquals(0, Cli.run("audit", folder.toString(), "--static", "-q", "--no-cache").code());
    }

    @Test
    void oneBaselineForAll() {
        Cli.Result r = Cli.run("audit", folder.resolve("sub").toString(), "--baseline", folder.resolve("original.yaml").toString(), "--static", "--no-cache");
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("2 configs"), "both files in sub/ are compared with the given baseline: " + r.out());
    }

    @Test
    void linksLeadingOutOfTheFolderAreNotFollowed() throws Exception {
        Path outside = TestFiles.write(dir, "outside/evil.yaml", cnn(64, "baseline: ../experiments/original.yaml\n"));
        Files.createSymbolicLink(folder.resolve("link.yaml"), outside);
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--no-cache", "--format", "json");
        assertFalse(r.out().contains("link.yaml"), r.out());
    }

    @Test
    void shardsSplitTheFolderWithoutOverlap() throws Exception {
        Set<String> all = new HashSet<>();
        int total = 0;
        for (int i = 1; i <= 3; i++) {
            Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--no-cache", "--shard", i + "/3", "--format", "json");
            JsonNode a = new ObjectMapper().readTree(r.out());
            for (JsonNode c : a.get("checks")) all.add(c.get("config").asText());
            total += a.get("checks").size();
        }
        assertEquals(4, total, "every config in exactly one shard");
        assertEquals(4, all.size());
        List<String> files = new ArrayList<>(List.of("merge"));
        for (int i = 1; i <= 3; i++) {
            Path out = dir.resolve("shard" + i + ".json");
            Cli.run("audit", folder.toString(), "--static", "--no-cache", "--shard", i + "/3", "--report", "json=" + out, "-q");
            files.add(out.toString());
        }
        files.addAll(List.of("--format", "json"));
        Cli.Result merged = Cli.run(files.toArray(new String[0]));
        assertEquals(2, merged.code(), "the merged verdict is the worst: the broken config's ERROR");
        JsonNode m = new ObjectMapper().readTree(merged.out());
        assertEquals(4, m.get("checks").size());
        assertEquals("ERROR", m.get("checks").get(0).get("verdict").asText(), "worst first across shards");
        assertEquals(2, Cli.run("audit", folder.toString(), "--shard", "4/3").code());
    }

    @Test
    void measurementsAreCachedAcrossRunsAndTimingIsNot() throws Exception {
        Files.delete(folder.resolve("broken.yaml"));
        Path cache = dir.resolve("cache"), cfg = TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        Cli.Result first = Cli.run("audit", folder.toString(), "--cache-dir", cache.toString(), "--config", cfg.toString(), "--iterations", "2", "--format", "json");
        assertEquals(1, first.code(), first.toString());
        long entries;
        try (var s = Files.list(cache)) { entries = s.count(); }
        // original.yaml, sub/baseline.yaml and sub/by-convention.yaml are one content: one measurement; wider and
        // much-wider one each.
        assertEquals(3, entries, "every distinct model measured once: " + entries);
        Cli.Result second = Cli.run("audit", folder.toString(), "--cache-dir", cache.toString(), "--config", cfg.toString(), "--iterations", "2", "--format", "json");
        JsonNode a = new ObjectMapper().readTree(first.out()), b = new ObjectMapper().readTree(second.out());
        assertEquals(a.get("checks").get(0).get("modified").get("health"), b.get("checks").get(0).get("modified").get("health"),
                "the cached measurement is the measurement");
    }

    @Test
    void filesThatAreNotModelsAreListedNotCheckedAndAnAuditOfNoneIsAnError() throws Exception {
        // Beside experiments a project holds DVC's params.yaml and dvc.yaml, a package.json: not models, not errors.
        TestFiles.write(folder, "params.yaml", "train:\n  lr: 0.01\n  epochs: 3\n");
        TestFiles.write(folder, "dvc.yaml", "stages:\n  train: {cmd: python train.py}\n");
        TestFiles.write(folder, "package.json", "{\"name\": \"site\", \"version\": \"1.0.0\"}\n");
        Files.delete(folder.resolve("broken.yaml"));
        Cli.Result r = Cli.run("audit", folder.toString(), "--static", "--no-cache", "--format", "json");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("modelgate: skipped 3 files that are not models: dvc.yaml, package.json, params.yaml"), r.err());
        JsonNode json = new ObjectMapper().readTree(r.out());
        assertEquals(3, json.get("skipped").size());
        assertTrue(json.get("skipped").get(0).get("reason").asText().startsWith("not a model: its top-level keys (stages)"), json.toString());
        for (JsonNode c : json.get("checks")) assertFalse(c.get("modified").get("source").asText().endsWith("params.yaml"));

        Path none = Files.createDirectories(dir.resolve("none"));
        TestFiles.write(none, "params.yaml", "train: {lr: 0.01}\n");
        Cli.Result empty = Cli.run("audit", none.toString(), "--static");
        assertEquals(2, empty.code(), empty.toString());
        assertTrue(empty.err().contains("no model configs found") && empty.err().contains("1 file is not a model: params.yaml"), empty.err());
    }
}
