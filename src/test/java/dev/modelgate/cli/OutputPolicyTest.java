package dev.modelgate.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.modelgate.TestFiles;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One output policy for every command that writes a report (issue 12 item 4, issue 15 item 1): never over an input
 * of the run, never over anything but a regular file, refused before anything is measured, {@code -} and
 * {@code /dev/stdout} mean stdout.
 */
class OutputPolicyTest {
    @TempDir Path dir;
    Path a, b, csv, thresholds;

    static final String MLP = "input: {features: 4}\nlayers:\n  - {type: dense, units: %d}\noutput: {classes: 3}\n";

    @BeforeEach
    void files() {
        a = TestFiles.write(dir, "a.yaml", MLP.formatted(8));
        csv = TestFiles.write(dir, "rows.csv", "a,b,c,d,label\n1,2,3,4,0\n4,3,2,1,2\n");
        b = TestFiles.write(dir, "b.yaml", "data: {csv: rows.csv}\n" + MLP.formatted(8));
        thresholds = TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n");
    }

    /** A run whose report target is refused: exit 2, one line with the reason, and the target as it was. */
    static void refused(String why, Path target, String... args) throws Exception {
        boolean existed = Files.exists(target, LinkOption.NOFOLLOW_LINKS);
        boolean regular = Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS);
        byte[] before = regular ? Files.readAllBytes(target) : null;
        boolean link = Files.isSymbolicLink(target);
        long t0 = System.nanoTime();
        Cli.Result r = Cli.run(args);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(2, r.code(), r::toString);
        assertEquals("", r.out(), r::toString);
        assertEquals(1, r.err().strip().lines().count(), r::toString);
        assertTrue(r.err().contains("cannot write report " + target + ": ") && r.err().contains(why), r::toString);
        assertTrue(ms < 10_000, "refused before measuring: " + ms + " ms");
        assertEquals(existed, Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals(link, Files.isSymbolicLink(target), "a link stays a link");
        if (before != null) assertEquals(new String(before), Files.readString(target), "the input is unchanged");
    }

    @Test
    void noInputOfACheckIsEverOverwritten() throws Exception {
        for (Path target : List.of(a, b, csv)) {
            refused("it is an input of this run", target, "check", a.toString(), b.toString(), "--report", "json=" + target);
        }
        refused("it is an input of this run", thresholds, "check", a.toString(), b.toString(), "--config", thresholds.toString(), "--report", "json=" + thresholds);
        Path hardLink = Files.createLink(dir.resolve("hard.yaml"), a);
        refused("it is an input of this run", hardLink, "check", a.toString(), b.toString(), "--report", "json=" + hardLink);
        refused("it is an input of this run", csv, "inspect", b.toString(), "--report", "json=" + csv);
    }

    @Test
    void noModelOfAnAuditedFolderIsOverwritten() throws Exception {
        Path folder = dir.resolve("exp");
        TestFiles.write(folder, "original.yaml", MLP.formatted(8));
        Path model = TestFiles.write(folder, "sub/wider.yaml", "baseline: ../original.yaml\n" + MLP.formatted(10));
        refused("it is an input of this run", model, "audit", folder.toString(), "--static", "--no-cache", "--report", "markdown=" + model);
        refused("it is an input of this run", folder.resolve("original.yaml"), "audit", folder.toString(), "--static", "--no-cache", "--report", "json=" + folder.resolve("original.yaml"));
        refused("it is a directory", folder, "audit", folder.toString(), "--static", "--report", "json=" + folder);
        Path shard = dir.resolve("shard.json");
        Cli.Result ok = Cli.run("audit", folder.toString(), "--static", "--no-cache", "--report", "json=" + shard, "-q");
        assertEquals(0, ok.code(), ok::toString);
        refused("it is an input of this run", shard, "merge", shard.toString(), "--report", "json=" + shard);
    }

    @Test
    void onlyARegularFileOrAnAbsentPathIsWritten() throws Exception {
        Path report = dir.resolve("report.json");
        Files.writeString(report, "old");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), report);
        refused("it is a symbolic link", link, "check", a.toString(), a.toString(), "--static", "--report", "json=" + link);
        assertEquals("old", Files.readString(report));
        Path fifo = dir.resolve("fifo.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        refused("it is not a regular file", fifo, "check", a.toString(), a.toString(), "--static", "--report", "json=" + fifo);
        refused("it is not a regular file", Path.of("/dev/null"), "check", a.toString(), a.toString(), "--static", "--report", "json=/dev/null");
        refused("it is a directory", dir, "check", a.toString(), a.toString(), "--static", "--report", "json=" + dir);
        Path underAFile = report.resolve("r.json");
        refused("is not a directory", underAFile, "check", a.toString(), a.toString(), "--static", "--report", "json=" + underAFile);

        Cli.Result r = Cli.run("check", a.toString(), a.toString(), "--static", "--report", "json=" + report, "--report", "json=" + dir.resolve("new/dir/r.json"));
        assertEquals(0, r.code(), r::toString);
        assertEquals("PASS", new ObjectMapper().readTree(Files.readString(report)).get("verdict").asText(), "a regular file is replaced whole");
        assertTrue(Files.isRegularFile(dir.resolve("new/dir/r.json")));
        try (var s = Files.list(dir)) {
            assertFalse(s.anyMatch(p -> p.getFileName().toString().endsWith(".tmp")), "no temporary file is left");
        }
    }

    @Test
    void aTargetThatCannotBeWrittenFailsBeforeAnythingIsMeasured() throws Exception {
        // Without the policy first, this model would be refused by the memory guard (or run): the report's problem comes first.
        Path huge = TestFiles.write(dir, "huge.yaml", MLP.formatted(2_000_000_000));
        Path target = dir.resolve("a-file").resolve("report.json");
        Files.writeString(dir.resolve("a-file"), "x");
        refused("is not a directory", target, "check", huge.toString(), huge.toString(), "--report", "json=" + target);
    }

    @Test
    void dashAndDevStdoutMeanStdout() throws Exception {
        for (String path : List.of("-", "/dev/stdout")) {
            Cli.Result r = Cli.run("check", a.toString(), a.toString(), "--static", "--report", "json=" + path);
            assertEquals(0, r.code(), r::toString);
            assertEquals("PASS", new ObjectMapper().readTree(r.out()).get("verdict").asText(), "stdout carries the json report alone: " + r.out());
            assertFalse(Files.exists(Path.of("-")), "no file called '-'");
        }
        assertTrue(Files.isSymbolicLink(Path.of("/dev/stdout")), "/dev/stdout is still the link it was");
        List<String> args = new ArrayList<>(List.of("check", a.toString(), a.toString(), "--static", "--report", "json=-", "--report", "markdown=/dev/stdout"));
        Cli.Result two = Cli.run(args.toArray(new String[0]));
        assertEquals(2, two.code(), two::toString);
        assertTrue(two.err().contains("give one report for stdout"), two::toString);
    }
}
