package dev.modelgate.samples;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.rule.RuleMetadata;
import dev.modelgate.rule.RuleRegistry;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Runs every row of the table in samples/README.md, with the models built and run (timing off: it depends on the
 * machine and belongs to benchmarks) and with --static (where only the structural rules of the row apply), and asserts
 * the verdict, the failing rules and the warnings the table promises. Samples cannot rot.
 */
class SamplesTableTest {
    static final Path TABLE = Path.of("samples/README.md");
    static final String HEADER = "| original | modified | what changed | verdict | failing rules | warnings |";

    record Row(String original, String modified, String change, String verdict, Set<String> failing, Set<String> warnings) {
        String label() { return original + " -> " + modified; }
    }

    static List<Row> rows() throws IOException {
        List<String> lines = Files.readAllLines(TABLE);
        int start = lines.indexOf(HEADER);
        assertTrue(start >= 0, "samples/README.md has the table header " + HEADER);
        List<Row> rows = new ArrayList<>();
        for (int i = start + 2; i < lines.size() && lines.get(i).startsWith("|"); i++) {
            String[] cells = Arrays.stream(lines.get(i).split("\\|")).map(String::trim).toArray(String[]::new);
            rows.add(new Row(unquote(cells[1]), unquote(cells[2]), cells[3], cells[4], ids(cells[5]), ids(cells[6])));
        }
        return rows;
    }

    static String unquote(String s) {
        return s.replace("`", "").trim();
    }

    static Set<String> ids(String cell) {
        if (cell.equals("-")) return Set.of();
        return Arrays.stream(cell.replace("`", "").split(",")).map(String::trim).collect(Collectors.toCollection(TreeSet::new));
    }

    static Set<String> rulesWith(CheckReport r, Status s) {
        return r.results().stream().filter(x -> x.status() == s).map(RuleResult::rule).collect(Collectors.toCollection(TreeSet::new));
    }

    @Test
    void theTableCoversEverySampleFileAndEveryFamily() throws IOException {
        List<Row> rows = rows();
        Set<String> listed = new TreeSet<>();
        rows.forEach(r -> { listed.add(r.original); listed.add(r.modified); });
        try (Stream<Path> files = Files.walk(Path.of("samples"))) {
            List<String> samples = files.filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".json"))
                    .map(Path::toString).sorted().toList();
            for (String s : samples) assertTrue(listed.contains(s), "samples/README.md lists " + s);
        }
        for (String family : List.of("samples/mlp/", "samples/lenet/", "samples/resnet/")) {
            assertTrue(rows.stream().anyMatch(r -> r.modified.startsWith(family) && !(r.failing.isEmpty() && r.warnings.isEmpty())),
                    family + " has a pair that a rule flags");
            assertTrue(rows.stream().anyMatch(r -> r.modified.startsWith(family) && r.verdict.equals("PASS") && !r.modified.equals(r.original)),
                    family + " has a passing modification");
        }
    }

    @TestFactory
    Stream<DynamicTest> everyRowGivesTheVerdictAndRulesItPromises() throws IOException {
        Path noTiming = Files.createTempFile("modelgate-no-timing", ".yaml");
        Files.writeString(noTiming, "rules:\n  training-time: off\n  inference-latency: off\n");
        Checker run = new Checker(Thresholds.defaults().overlay(noTiming)), structural = new Checker(Thresholds.defaults());
        Set<String> runtime = RuleRegistry.all().stream().filter(RuleMetadata::runtime).map(RuleMetadata::id).collect(Collectors.toSet());
        return rows().stream().flatMap(row -> Stream.of(
                DynamicTest.dynamicTest(row.label(), () -> {
                    CheckReport r = run.check(Path.of(row.original), Path.of(row.modified), CheckOptions.RUN);
                    assertEquals(row.verdict, r.verdict().name(), "verdict");
                    assertEquals(row.failing, rulesWith(r, Status.FAIL), "failing rules");
                    assertEquals(row.warnings, rulesWith(r, Status.WARN), "warnings of " + row.original + " -> " + row.modified);
                }),
                DynamicTest.dynamicTest(row.label() + " --static", () -> {
                    CheckReport r = structural.check(Path.of(row.original), Path.of(row.modified), CheckOptions.STATIC);
                    Set<String> failing = new TreeSet<>(row.failing);
                    failing.removeAll(runtime);
                    Set<String> warnings = new TreeSet<>(row.warnings);
                    warnings.removeAll(runtime);
                    assertEquals(failing.isEmpty() ? "PASS" : "FAIL", r.verdict().name(), "verdict");
                    assertEquals(failing, rulesWith(r, Status.FAIL), "failing rules");
                    assertEquals(warnings, rulesWith(r, Status.WARN), "warnings");
                })));
    }
}
