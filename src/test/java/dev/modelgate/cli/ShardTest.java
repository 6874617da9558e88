package dev.modelgate.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.error.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --shard auto under each CI's variables, and merge refusing a shard given twice or missing. */
class ShardTest {
    @TempDir Path dir;

    @ParameterizedTest(name = "{0}={1}, {2}={3}: shard {4}/{5}")
    @CsvSource({
            "CI_NODE_INDEX, 1, CI_NODE_TOTAL, 3, 1, 3",
            "CI_NODE_INDEX, 3, CI_NODE_TOTAL, 3, 3, 3",
            "CIRCLE_NODE_INDEX, 0, CIRCLE_NODE_TOTAL, 4, 1, 4",
            "BUILDKITE_PARALLEL_JOB, 2, BUILDKITE_PARALLEL_JOB_COUNT, 3, 3, 3"})
    void eachCiIsReadWithItsOwnBase(String indexVar, String index, String totalVar, String total, int expectedIndex, int expectedTotal) {
        CiShard s = CiShard.detect("auto", Map.of(indexVar, index, totalVar, total));
        assertEquals(expectedIndex, s.index());
        assertEquals(expectedTotal, s.total());
        assertTrue(s.source().contains(indexVar + "=" + index), s.source());
    }

    @Test
    void kubernetesGivesTheIndexAndTheOptionTheTotal() {
        CiShard s = CiShard.detect("auto/5", Map.of("JOB_COMPLETION_INDEX", "4"));
        assertEquals(5, s.index());
        assertEquals(5, s.total());
        BadInputException e = assertThrows(BadInputException.class, () -> CiShard.detect("auto", Map.of("JOB_COMPLETION_INDEX", "0")));
        assertTrue(e.getMessage().contains("--shard auto/N"), e.getMessage());
    }

    @Test
    void noVariablesOrAnIndexOutOfRangeIsOneClearLine() {
        BadInputException none = assertThrows(BadInputException.class, () -> CiShard.detect("auto", Map.of()));
        assertTrue(none.getMessage().contains("CI_NODE_INDEX") && none.getMessage().contains("JOB_COMPLETION_INDEX"), none.getMessage());
        BadInputException out = assertThrows(BadInputException.class, () -> CiShard.detect("auto", Map.of("CI_NODE_INDEX", "0", "CI_NODE_TOTAL", "2")));
        assertTrue(out.getMessage().contains("counts from 1"), out.getMessage());
    }

    Path folder() throws Exception {
        Path f = Files.createDirectories(dir.resolve("exp"));
        for (String s : List.of("original.yaml", "conv2-4x.yaml", "conv2-2x.yaml", "conv2-half.yaml", "fc1-4x.yaml", "conv1-4x.yaml")) {
            Files.copy(Path.of("samples/lenet", s), f.resolve(s));
        }
        return f;
    }

    @Test
    void theShardsOfEachCiPartitionTheFolderAndMergeBackWhole() throws Exception {
        Path f = folder();
        ObjectMapper json = new ObjectMapper();
        for (int n : new int[] {2, 3}) {
            Set<String> seen = new HashSet<>();
            int total = 0;
            List<String> reports = new ArrayList<>(List.of("merge"));
            for (int i = 1; i <= n; i++) {
                // What --shard auto resolves to under GitLab's variables: the same share as --shard i/n.
                CiShard s = CiShard.detect("auto", Map.of("CI_NODE_INDEX", Integer.toString(i), "CI_NODE_TOTAL", Integer.toString(n)));
                Path out = dir.resolve("shard-" + n + "-" + i + ".json");
                Cli.Result r = Cli.run("audit", f.toString(), "--static", "--shard", s.index() + "/" + s.total(), "--report", "json=" + out);
                assertTrue(r.code() == 0 || r.code() == 1, r.err());
                for (JsonNode c : json.readTree(out.toFile()).path("checks")) {
                    assertTrue(seen.add(c.path("config").asText()), "in one shard only: " + c.path("config"));
                    total++;
                }
                reports.add(out.toString());
            }
            assertEquals(5, total, n + " shards cover every config (the original is the baseline)");
            Cli.Result merged = Cli.run(reports.toArray(String[]::new));
            assertTrue(merged.code() == 0 || merged.code() == 1, merged.err());
        }
    }

    @Test
    void shardsBalancedByAnEarlierRunsDurationsAreDisjointAndComplete() throws Exception {
        Path f = folder();
        Path earlier = dir.resolve("earlier.json");
        Cli.Result whole = Cli.run("audit", f.toString(), "--static", "--report", "json=" + earlier);
        assertTrue(whole.code() <= 1, whole.err());
        ObjectMapper json = new ObjectMapper();
        Set<String> seen = new HashSet<>();
        for (int i = 1; i <= 2; i++) {
            Path out = dir.resolve("balanced-" + i + ".json");
            Cli.Result r = Cli.run("audit", f.toString(), "--static", "--shard", i + "/2", "--shard-durations", earlier.toString(), "--report", "json=" + out);
            assertTrue(r.code() <= 1, r.err());
            for (JsonNode c : json.readTree(out.toFile()).path("checks")) assertTrue(seen.add(c.path("config").asText()), "in one shard only");
        }
        assertEquals(5, seen.size());
        Cli.Result bad = Cli.run("audit", f.toString(), "--static", "--shard", "1/2", "--shard-durations", f.resolve("original.yaml").toString());
        assertEquals(2, bad.code());
        assertTrue(bad.err().contains("--shard-durations"), bad.err());
    }

    @Test
    void mergeRefusesAShardGivenTwiceOrMissing() throws Exception {
        Path f = folder();
        Path one = dir.resolve("one.json"), two = dir.resolve("two.json");
        Cli.run("audit", f.toString(), "--static", "--shard", "1/2", "--report", "json=" + one);
        Cli.run("audit", f.toString(), "--static", "--shard", "2/2", "--report", "json=" + two);
        Path copy = Files.copy(one, dir.resolve("one-again.json"));
        Cli.Result twice = Cli.run("merge", one.toString(), copy.toString(), two.toString());
        assertEquals(2, twice.code());
        assertTrue(twice.err().contains("are both shard 1/2"), twice.err());
        Cli.Result missing = Cli.run("merge", one.toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("shard 2/2 missing"), missing.err());
        assertTrue(Cli.run("merge", one.toString(), two.toString()).code() <= 1);
    }
}
