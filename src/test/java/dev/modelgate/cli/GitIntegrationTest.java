package dev.modelgate.cli;

import dev.modelgate.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** --against and the pre-commit hook, in real git repositories made in a temp folder. */
class GitIntegrationTest {
    @TempDir Path repo;
    static final String LENET = "samples/lenet/original.yaml";

    String git(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(repo.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        int code = p.waitFor();
        return code + "\n" + out;
    }

    @BeforeEach
    void init() throws Exception {
        git("init", "-q");
        Files.writeString(repo.resolve("model.yaml"), Files.readString(Path.of(LENET)));
        git("add", "model.yaml");
        assertTrue(git("commit", "-q", "-m", "baseline").startsWith("0"));
    }

    void widenConv2(String filters) throws Exception {
        Path m = repo.resolve("model.yaml");
        Files.writeString(m, Files.readString(m).replace("filters: 50,", "filters: " + filters + ","));
    }

    @Test
    void againstHeadCatchesAFourfoldChannelChange() throws Exception {
        widenConv2("200");
        Cli.Result r = Cli.run("check", repo.resolve("model.yaml").toString(), "--against", "HEAD", "--static");
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.out().contains("HEAD:model.yaml") && r.out().contains("conv2: output channels 50 -> 200 (4.0x, max allowed 2.0x)"), r.out());
        try (var files = Files.list(repo)) {
            assertEquals(List.of(".git", "model.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(), "the temporary copy is gone");
        }
    }

    @Test
    void againstErrorsAreOneLine() {
        Cli.Result r = Cli.run("check", repo.resolve("model.yaml").toString(), "--against", "no-such-rev", "--static");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("--against: git show --end-of-options no-such-rev:model.yaml"), r.err());
        assertEquals(2, Cli.run("check", "a.yaml", "b.yaml", "--against", "HEAD").code(), "--against takes one file");
    }

    @Test
    void aRevisionIsNeverPassedToGitAsAnOption() {
        // --against=--output=x once made git write a file named x (git show --output=x ...).
        Cli.Result r = Cli.run("check", repo.resolve("model.yaml").toString(), "--against=--output=" + repo.resolve("written"), "--static");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("is not a git revision"), r.err());
        assertTrue(!java.nio.file.Files.exists(repo.resolve("written")), "git wrote nothing");
    }

    /** The hook, installed as a real git hook, running modelgate from this build through a small wrapper. */
    void installHook() throws Exception {
        Path wrapper = repo.resolve(".git/modelgate-under-test");
        Files.writeString(wrapper, "#!/bin/sh\nexec '" + Path.of(System.getProperty("java.home"), "bin", "java") + "' -cp '"
                + System.getProperty("java.class.path") + "' dev.modelgate.cli.Main \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Path hook = repo.resolve(".git/hooks/pre-commit");
        Files.createDirectories(hook.getParent());
        Files.writeString(hook, "#!/bin/sh\nMODELGATE='" + wrapper + "' exec '" + Path.of("scripts/pre-commit").toAbsolutePath() + "' \"$@\"\n");
        Files.setPosixFilePermissions(hook, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @Test
    void theHookBlocksAFailingCommitAndLetsAPassingOneThrough() throws Exception {
        installHook();
        String head = git("rev-parse", "HEAD");
        widenConv2("200");
        git("add", "model.yaml");
        String blocked = git("commit", "-m", "4x conv2");
        assertFalse(blocked.startsWith("0"), "commit blocked: " + blocked);
        assertTrue(blocked.contains("channel-growth") && blocked.contains("commit blocked"), blocked);
        assertEquals(head, git("rev-parse", "HEAD"), "nothing was committed");

        Files.writeString(repo.resolve("model.yaml"), Files.readString(Path.of(LENET)).replace("filters: 50,", "filters: 80,"));
        git("add", "model.yaml");
        String passed = git("commit", "-m", "1.6x conv2");
        assertTrue(passed.startsWith("0"), "a 1.6x change commits: " + passed);
        assertTrue(passed.contains("model.yaml: PASS"), passed);
        try (var files = Files.list(repo)) {
            assertEquals(List.of(".git", "model.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no temporary copies left");
        }
    }

    /**
     * Growth that compounds: two 1.6x changes of conv2, each within the limit against its parent, are 2.56x against the
     * accepted version: --against HEAD passes, --against accepted fails.
     */
    @Test
    void againstAcceptedCatchesGrowthThatCompoundsChangeByChange() throws Exception {
        Path m = repo.resolve("model.yaml");
        Cli.Result none = Cli.run("check", m.toString(), "--against", "accepted", "--static");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("no accepted version") && none.err().contains("modelgate accept"), none.err());
        Cli.Result accepted = Cli.run("accept", m.toString());
        assertEquals(0, accepted.code(), accepted.err());
        assertTrue(Files.isRegularFile(repo.resolve(".modelgate/accepted/model.yaml")), accepted.err());
        widenConv2("80");
        git("commit", "-qam", "1.6x");
        Files.writeString(m, Files.readString(m).replace("filters: 80,", "filters: 128,"));
        Cli.Result parent = Cli.run("check", m.toString(), "--against", "HEAD", "--static");
        assertEquals(0, parent.code(), parent.out());
        Cli.Result sinceAccepted = Cli.run("check", m.toString(), "--against", "accepted", "--static");
        assertEquals(1, sinceAccepted.code(), sinceAccepted.out());
        assertTrue(sinceAccepted.out().contains("channel-growth") && sinceAccepted.out().contains("accepted:model.yaml"), sinceAccepted.out());
        try (var files = Files.list(repo)) {
            assertEquals(List.of(".git", ".modelgate", "model.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no copies left");
        }
        // The hook compares with HEAD and the accepted version in one call: the commit is blocked although it is 1.6x its parent.
        installHook();
        git("add", "model.yaml");
        String blocked = git("commit", "-m", "another 1.6x");
        assertFalse(blocked.startsWith("0"), blocked);
        assertTrue(blocked.contains("modelgate: model.yaml: FAIL") && blocked.contains("commit blocked"), blocked);
        assertEquals(1, blocked.split("modelgate check: ", -1).length - 1, "one report: " + blocked);
        assertTrue(blocked.matches("(?s).*channel-growth +1\\.6 PASS \\(conv2\\) +2\\.56 FAIL \\(conv2\\).*"), blocked);
        assertTrue(blocked.contains("Compared against accepted:model.yaml (accepted:model.yaml): FAIL"), blocked);
        try (var files = Files.list(repo)) {
            assertEquals(List.of(".git", ".modelgate", "model.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(), "the hook left no copies");
        }
    }

    /**
     * The point of the accepted version: one report holding both comparisons of the second of two 1.6x changes,
     * 1.6x against its parent (PASS) beside 2.56x against the accepted first version (FAIL), exit 1.
     */
    @Test
    void oneReportComparesWithTheParentAndTheAcceptedVersion() throws Exception {
        Path m = repo.resolve("model.yaml");
        assertEquals(0, Cli.run("accept", m.toString()).code());
        widenConv2("80");
        git("commit", "-qam", "1.6x");
        Files.writeString(m, Files.readString(m).replace("filters: 80,", "filters: 128,"));

        Cli.Result both = Cli.run("check", m.toString(), "--against", "HEAD", "--against", "accepted", "--static");
        assertEquals(1, both.code(), both.toString());
        assertTrue(both.out().matches("(?s).*channel-growth +1\\.6 PASS \\(conv2\\) +2\\.56 FAIL \\(conv2\\).*"), both.out());
        assertTrue(both.out().contains("  and against accepted (accepted:model.yaml): FAIL"), both.out());
        assertTrue(both.out().contains("conv2: output channels 50 -> 128 (2.56x, max allowed 2.0x)"), both.out());

        Cli.Result json = Cli.run("check", m.toString(), "--against", "HEAD", "--against", "accepted", "--static", "--format", "json");
        assertEquals(1, json.code(), json.toString());
        var root = new com.fasterxml.jackson.databind.ObjectMapper().readTree(json.out());
        assertEquals("FAIL", root.path("verdict").asText());
        assertEquals("HEAD:model.yaml", root.path("original").path("source").asText());
        assertEquals(1.6, channelGrowth(root), 1e-9);
        var accepted = root.path("comparisons").get(0);
        assertEquals("accepted", accepted.path("against").asText());
        assertEquals("FAIL", accepted.path("verdict").asText());
        assertEquals("accepted:model.yaml", accepted.path("original").path("source").asText());
        assertEquals(2.56, channelGrowth(accepted), 1e-9);

        // The order is the user's: accepted first makes it the primary comparison.
        Cli.Result swapped = Cli.run("check", m.toString(), "--against", "accepted", "--against", "HEAD", "--static", "--format", "json");
        assertEquals("accepted:model.yaml", new com.fasterxml.jackson.databind.ObjectMapper().readTree(swapped.out()).path("original").path("source").asText());
        assertEquals(2, Cli.run("check", m.toString(), "--against", "HEAD", "--against", "HEAD", "--static").code(), "a baseline given twice");
        try (var files = Files.list(repo)) {
            assertEquals(List.of(".git", ".modelgate", "model.yaml"), files.map(p -> p.getFileName().toString()).sorted().toList(), "no copies left");
        }
    }

    private static double channelGrowth(com.fasterxml.jackson.databind.JsonNode comparison) {
        for (var r : comparison.path("results")) if (r.path("rule").asText().equals("channel-growth")) return r.path("measured").asDouble();
        throw new AssertionError("no channel-growth in " + comparison);
    }

    /**
     * A model already broken at HEAD (one softmax unit): an unrelated change to it commits (the hook fails on new
     * violations only), and MODELGATE_HOOK_FAIL_ON=all blocks it.
     */
    @Test
    void theHookLetsAnUnrelatedChangeToAnAlreadyBrokenModelThrough() throws Exception {
        Path m = repo.resolve("model.yaml");
        Files.writeString(m, Files.readString(Path.of("samples/mlp/single-softmax.yaml")));
        git("add", "model.yaml");
        assertTrue(git("commit", "-q", "--no-verify", "-m", "broken already").startsWith("0"));
        installHook();
        Files.writeString(m, Files.readString(m) + "# a comment\n");
        git("add", "model.yaml");
        String passed = git("commit", "-m", "a comment");
        assertTrue(passed.startsWith("0") && passed.contains("model.yaml: PASS"), passed);
        Files.writeString(m, Files.readString(m) + "# another\n");
        git("add", "model.yaml");
        Path hook = repo.resolve(".git/hooks/pre-commit");
        Files.writeString(hook, Files.readString(hook).replace("MODELGATE=", "MODELGATE_HOOK_FAIL_ON=all MODELGATE="));
        String blocked = git("commit", "-m", "another comment");
        assertFalse(blocked.startsWith("0"), blocked);
        assertTrue(blocked.contains("output-loss"), blocked);
    }

    /** Keras models too: a model's JSON, and an HDF5 file (binary: compared byte for byte with HEAD's version). */
    @Test
    void theHookChecksKerasModels() throws Exception {
        installHook();
        Files.copy(Path.of("samples/keras/lenet/original.json"), repo.resolve("keras.json"));
        Files.copy(Path.of("src/test/resources/keras/small-cnn.h5"), repo.resolve("model.h5"));
        git("add", "keras.json", "model.h5");
        assertTrue(git("commit", "-q", "-m", "keras models").startsWith("0"));

        Files.copy(Path.of("samples/keras/lenet/conv2-4x.json"), repo.resolve("keras.json"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        git("add", "keras.json");
        String blocked = git("commit", "-m", "4x conv2");
        assertFalse(blocked.startsWith("0"), "commit blocked: " + blocked);
        assertTrue(blocked.contains("conv2: output channels 50 -> 200"), blocked);
        git("checkout", "HEAD", "--", "keras.json");

        // The HDF5 model saved again after more training (same architecture, other weights): checked, and it passes,
        // so both binary versions reached modelgate intact.
        Files.copy(Path.of("src/test/resources/keras/small-cnn-retrained.h5"), repo.resolve("model.h5"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        git("add", "model.h5");
        String passed = git("commit", "-m", "retrained");
        assertTrue(passed.startsWith("0"), passed);
        assertTrue(passed.contains("model.h5: PASS"), passed);
    }

    @Test
    void theHookIgnoresFilesThatAreNotModels() throws Exception {
        installHook();
        TestFiles.write(repo, "config.yaml", "name: not a model\n");
        git("add", "config.yaml");
        assertTrue(git("commit", "-m", "other yaml").startsWith("0"));
    }
}
