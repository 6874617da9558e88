package dev.modelgate.render;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.Environment;
import dev.modelgate.report.ModelReport;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Every renderer's output for one report, compared with a file under src/test/resources/golden. Volatile fields
 * (device, Java, OS, modelgate and library versions, thread setting) are masked in the report before rendering. To accept a deliberate
 * change: {@code mvn test -Dtest=GoldenFilesTest -Dgolden.update=true}, then review the diff.
 */
class GoldenFilesTest {
    static final Path DIR = Path.of("src/test/resources/golden");

    /**
     * The rules the golden scenario shows. Goldens pin how each format renders a report, not which rules exist: a rule
     * added to the registry changes no golden file (its own test and docs row cover it), while a change to how any
     * row renders still shows in every format.
     */
    static final java.util.List<String> GOLDEN_RULES = java.util.List.of("training-time", "inference-latency", "activation-range", "non-finite",
            "gradient-explosion", "gradient-vanishing", "channel-growth", "channel-shrink", "dense-growth", "dense-shrink", "parallel-branches",
            "depth-growth", "param-growth", "flops-growth");

    static CheckReport report() {
        return masked(new Checker(Thresholds.defaults()).check(DIR.resolve("cnn-original.yaml"), DIR.resolve("cnn-modified.yaml"), CheckOptions.STATIC));
    }

    /** The report with only the golden rules, and its volatile fields masked. */
    static CheckReport masked(CheckReport measured) {
        CheckReport r = new CheckReport(measured.original(), measured.modified(), measured.diff(),
                measured.results().stream().filter(x -> GOLDEN_RULES.contains(x.rule())).toList(), measured.timing(), measured.environment(), measured.phases());
        Environment masked = new Environment(r.environment().backend(), "<device>", "<threads>", "<java>", "<os>", "<version>",
                java.util.Map.of("<library>", "<version>"));
        java.util.Map<String, Long> phases = new java.util.LinkedHashMap<>();
        r.phases().keySet().forEach(k -> phases.put(k, 0L)); // durations are volatile; their names are not
        return new CheckReport(r.original(), r.modified(), r.diff(), r.results(), r.timing(), masked, phases);
    }

    static ModelReport model() {
        return Checker.inspect(DIR.resolve("cnn-modified.yaml"), CheckOptions.STATIC);
    }

    @Test
    void text() throws IOException {
        assertGolden("check.txt", new TextRenderer(Style.PLAIN).render(report()));
        assertGolden("inspect.txt", new TextRenderer(Style.PLAIN).renderModel(model(), report().environment()));
    }

    @Test
    void textInColourDiffersOnlyByEscapeCodes() {
        String colour = new TextRenderer(Style.COLOR).render(report());
        assertEquals(new TextRenderer(Style.PLAIN).render(report()), colour.replaceAll("\u001b\\[[0-9;]*m", ""));
    }

    @Test
    void json() throws IOException {
        assertGolden("check.json", new JsonRenderer().render(report()));
        assertGolden("inspect.json", new JsonRenderer().renderModel(model(), report().environment()));
    }

    @Test
    void everyRendererHasAGoldenFile() {
        for (String name : Renderers.names()) {
            assertEquals(true, Files.exists(DIR.resolve("check." + Renderers.extension(name))), "golden file for " + name);
            assertEquals(true, Files.exists(DIR.resolve((name.equals("text") || name.equals("json") ? "check." : "audit.") + Renderers.extension(name))),
                    "golden audit file for " + name);
        }
    }

    static void assertGolden(String file, String actual) throws IOException {
        Path p = DIR.resolve(file);
        if (Boolean.getBoolean("golden.update")) {
            Files.writeString(p, actual, StandardCharsets.UTF_8);
            return;
        }
        assertEquals(Files.readString(p, StandardCharsets.UTF_8), actual, "golden file " + p + " (rerun with -Dgolden.update=true to accept)");
    }
}
