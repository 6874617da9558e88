package dev.modelgate.rule;

import dev.modelgate.TestFiles;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.render.CheckView;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.text.Template;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Rule messages come from the templates declared in the rule classes, and a message's {@code {measured}} and
 * {@code {limit}} read exactly as the report's measured and limit columns: checked on every result of full reports
 * (run mode with timing and optional limits on, and a structural change that trips the structure rules).
 */
class MessagesTest {
    @TempDir static Path dir;
    static List<CheckReport> reports = new ArrayList<>();

    @BeforeAll
    static void check() {
        Path config = TestFiles.write(dir, "limits.yaml", """
                rules:
                  training-time: {max-ms: 0.001, epoch-size: 1000, max-epoch-minutes: 100}
                  inference-latency: {max-ms: 1000}
                  gradient-explosion: {statistic: max-abs}
                """);
        CheckOptions run = CheckOptions.RUN.withTimeBudget(3).withIterations(2);
        reports.add(new Checker(Thresholds.defaults()).check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/fc1-2x.yaml"), run));
        reports.add(new Checker(Thresholds.defaults().overlay(config)).check(Path.of("samples/mlp/original.yaml"), Path.of("samples/mlp/fc1-2x.yaml"), run));
        Path golden = Path.of("src/test/resources/golden");
        reports.add(new Checker(Thresholds.defaults()).check(golden.resolve("cnn-original.yaml"), golden.resolve("cnn-modified.yaml"), CheckOptions.STATIC));
        // A regression model with CSV data, for the rules about data (target-range).
        try {
            java.nio.file.Files.copy(Path.of("samples/mlp/data/mlp-64-features.csv"), dir.resolve("rows.csv"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Path regression = TestFiles.write(dir, "regression.yaml", "input: {features: 64}\ndata: {csv: rows.csv, label: label}\n"
                + "layers:\n  - {type: dense, units: 8, activation: relu}\noutput: {regression: 1}\n");
        reports.add(new Checker(Thresholds.defaults()).check(regression, regression, CheckOptions.STATIC));
        // The held-out rules (accuracy-drop, loss-increase): the iris sample, shortened to 3 epochs and 3 seeds.
        try {
            java.nio.file.Files.copy(Path.of("samples/iris/data/iris.csv"), dir.resolve("iris.csv"));
            String iris = java.nio.file.Files.readString(Path.of("samples/iris/original.yaml"))
                    .replace("data: {csv: data/iris.csv, label: species}", "data: {csv: iris.csv, label: species, epochs: 3, seeds: 3}");
            Path a = TestFiles.write(dir, "iris.yaml", iris), b = TestFiles.write(dir, "iris-wide.yaml", iris.replace("units: 16}", "units: 24}"));
            reports.add(new Checker(Thresholds.defaults()).check(a, b, CheckOptions.RUN.withTimeBudget(1).withIterations(2)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Every Template constant a rule class declares or inherits. */
    static List<Template> templates(Class<?> c) {
        List<Template> out = new ArrayList<>();
        for (; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getType() != Template.class || !Modifier.isStatic(f.getModifiers())) continue;
                f.setAccessible(true);
                try {
                    out.add((Template) f.get(null));
                } catch (IllegalAccessException e) {
                    throw new AssertionError(e);
                }
            }
        }
        return out;
    }

    static Map<String, Class<?>> ruleClasses() {
        Map<String, Class<?>> m = new HashMap<>();
        for (Rule r : RuleRegistry.build(Thresholds.builtIn())) m.put(r.id(), r.getClass());
        return m;
    }

    @Test
    void everyRuleDeclaresItsMessagesAsValidTemplates() {
        // Loading a rule class checks its templates: a placeholder not declared fails here, not in a user's run.
        ruleClasses().forEach((id, c) -> assertFalse(templates(c).isEmpty(), id + " declares no message template"));
    }

    @Test
    void theMeasuredAndLimitOfEveryMessageReadAsTheColumns() {
        Map<String, Class<?>> classes = ruleClasses();
        int shown = 0;
        Set<String> rulesSeen = new HashSet<>();
        for (CheckReport r : reports) {
            CheckView view = CheckView.of(r);
            for (int i = 0; i < r.results().size(); i++) {
                RuleResult x = r.results().get(i);
                CheckView.RuleRow row = view.results().get(i);
                if (x.status() == Status.SKIP) continue; // the reason a rule did not run, not a rule message
                rulesSeen.add(x.rule());
                List<Template> from = templates(classes.get(x.rule())).stream().filter(t -> t.matches(x.message())).toList();
                assertFalse(from.isEmpty(), x.rule() + ": message not made from any of its templates: " + x.message());
                for (Template t : from) {
                    if (t.shows(Template.MEASURED)) {
                        assertEquals(row.measured(), t.extract(x.message(), Template.MEASURED), x.rule() + ": " + x.message());
                        shown++;
                    }
                    if (t.shows(Template.LIMIT)) assertEquals(row.limit(), t.extract(x.message(), Template.LIMIT), x.rule() + ": " + x.message());
                }
            }
        }
        assertEquals(classes.keySet(), rulesSeen, "every rule has a result to check");
        assertTrue(shown > 15, "messages showing {measured}: " + shown);
    }

    @Test
    void gradientRulesRecordTheStatisticTheyJudged() {
        for (RuleResult x : reports.get(0).results()) {
            if (x.rule().startsWith("gradient-")) assertEquals("l2", x.statistic(), x.toString());
            else assertEquals(null, x.statistic(), x.toString());
        }
        RuleResult maxAbs = reports.get(1).results().stream().filter(x -> x.rule().equals("gradient-explosion")).findFirst().orElseThrow();
        assertEquals("max-abs", maxAbs.statistic());
        assertTrue(maxAbs.message().contains("largest gradient element per example"), maxAbs.message());
    }
}
