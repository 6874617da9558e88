package dev.modelgate.cli;

import dev.modelgate.TestFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The files a config names (issue 12 item 2) are confined to its own folder tree (or an audit's folder, or
 * {@code --data-root}), must be regular files, and nothing of what they hold reaches stdout, stderr or a report: a spec
 * naming {@code /proc/self/environ}, {@code ../../etc/passwd}, a link out of the tree, or {@code baseline: /etc/passwd}.
 */
class FileConfinementTest {
    @TempDir Path dir;

    static final String MLP = """
            input: {features: 4}
            layers:
              - {type: dense, units: 8}
            output: {classes: 3}
            """;

    /** Text that must never be printed: the start of this process's environment, and /etc/passwd's first line. */
    static List<String> secrets() throws Exception {
        List<String> s = new ArrayList<>();
        String passwd = Files.readString(Path.of("/etc/passwd"), StandardCharsets.UTF_8);
        s.add(passwd.lines().findFirst().orElseThrow().substring(0, 8));
        byte[] env = Files.readAllBytes(Path.of("/proc/self/environ"));
        String first = new String(env, StandardCharsets.UTF_8).split("\0")[0];
        s.add(first.substring(0, Math.min(12, first.length())));
        return s;
    }

    /** The spec naming each hostile path, in a folder of its own under {@code dir/project/}. */
    Path hostile(String kind) throws Exception {
        Path project = dir.resolve("project");
        return switch (kind) {
            case "environ" -> TestFiles.write(project, "environ.yaml", "data: {csv: /proc/self/environ}\n" + MLP);
            case "passwd" -> TestFiles.write(project, "passwd.yaml", "data: {csv: ../../../../../../../../../../etc/passwd}\n" + MLP);
            case "link" -> {
                Files.createDirectories(project);
                Path link = project.resolve("examples.csv");
                if (!Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) Files.createSymbolicLink(link, Path.of("/etc/passwd"));
                yield TestFiles.write(project, "link.yaml", "data: {csv: examples.csv}\n" + MLP);
            }
            case "baseline" -> TestFiles.write(project, "baseline.yaml", "baseline: /etc/passwd\n" + MLP);
            default -> throw new IllegalArgumentException(kind);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"environ", "passwd", "link", "baseline"})
    void aFileOutsideTheConfigsFolderIsRefusedUnread(String kind) throws Exception {
        Path spec = hostile(kind);
        for (boolean staticOnly : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("check", spec.toString(), spec.toString()));
            if (staticOnly) args.add("--static");
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), r.toString());
            assertEquals("", r.out(), r.toString());
            String err = r.err().strip();
            assertEquals(1, err.lines().count(), r.toString());
            assertTrue(err.contains(kind.equals("link") ? "is a link leading outside the config's folder" : "is outside the config's folder"), err);
            for (String secret : secrets()) assertFalse(r.toString().contains(secret), "printed what the file holds: " + r);
        }
    }

    @Test
    void anAuditReportsEveryHostileConfigAsOneErrorAndChecksTheOthers() throws Exception {
        for (String kind : List.of("environ", "passwd", "link", "baseline")) hostile(kind);
        Path project = dir.resolve("project");
        TestFiles.write(project, "sub/original.yaml", MLP);
        TestFiles.write(project, "sub/fine.yaml", "baseline: original.yaml\n" + MLP);
        Path md = dir.resolve("audit.md");
        for (boolean staticOnly : new boolean[] {true, false}) {
            List<String> args = new ArrayList<>(List.of("audit", project.toString(), "--no-cache", "--format", "json", "--report", "markdown=" + md));
            if (staticOnly) args.add("--static");
            Cli.Result r = Cli.run(args.toArray(new String[0]));
            assertEquals(2, r.code(), r.toString());
            var checks = new com.fasterxml.jackson.databind.ObjectMapper().readTree(r.out()).get("checks");
            assertEquals(5, checks.size(), r.out());
            int errors = 0;
            for (var c : checks) {
                if (c.get("config").asText().endsWith("fine.yaml")) assertEquals("PASS", c.get("verdict").asText(), r.out());
                else {
                    assertEquals("ERROR", c.get("verdict").asText(), r.out());
                    errors++;
                }
            }
            assertEquals(4, errors);
            String report = Files.readString(md);
            for (String secret : secrets()) {
                assertFalse(r.toString().contains(secret), "printed what a file holds: " + r);
                assertFalse(report.contains(secret), "the Markdown report quotes what a file holds: " + report);
            }
        }
    }

    @Test
    void aFifoInsideTheFolderIsRefusedWithoutOpeningIt() throws Exception {
        Path project = Files.createDirectories(dir.resolve("fifo-project"));
        assertEquals(0, new ProcessBuilder("mkfifo", project.resolve("rows.csv").toString()).start().waitFor());
        Path spec = TestFiles.write(project, "m.yaml", "data: {csv: rows.csv}\n" + MLP);
        Cli.Result r = Cli.run("check", spec.toString(), spec.toString(), "--static");
        assertEquals(2, r.code(), r.toString());
        assertTrue(r.err().contains("data.csv: 'rows.csv' is not a regular file (a device, FIFO or socket)"), r.toString());
    }

    @Test
    void aSubfolderOfAnAuditMayNameItsParentAndDataRootAllowsAnotherFolder() throws Exception {
        Path project = dir.resolve("audited");
        TestFiles.write(project, "original.yaml", MLP);
        TestFiles.write(project, "exp/wider.yaml", "baseline: ../original.yaml\n" + MLP.replace("units: 8", "units: 10"));
        Cli.Result audit = Cli.run("audit", project.toString(), "--static", "--no-cache");
        assertEquals(0, audit.code(), audit.toString());

        Path data = TestFiles.write(dir, "shared-data/rows.csv", "a,b,c,d,label\n1,2,3,4,0\n4,3,2,1,2\n");
        Path spec = TestFiles.write(dir, "models/with-data.yaml", "data: {csv: ../shared-data/rows.csv}\n" + MLP);
        Cli.Result refused = Cli.run("check", spec.toString(), spec.toString(), "--static");
        assertEquals(2, refused.code(), refused.toString());
        assertTrue(refused.err().contains("is outside the config's folder"), refused.toString());
        Cli.Result allowed = Cli.run("check", spec.toString(), spec.toString(), "--static", "--data-root", data.getParent().toString());
        assertEquals(0, allowed.code(), allowed.toString());
    }
}
