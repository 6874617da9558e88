package dev.modelgate.check;

import dev.modelgate.TestFiles;
import dev.modelgate.cli.Cli;
import dev.modelgate.error.BadInputException;
import dev.modelgate.report.ActivationStats;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.RuleResult;
import dev.modelgate.report.Status;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.InputShapes;
import dev.modelgate.spec.Shape;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A DL4J graph with two inputs (an image read by a conv branch, a feature vector read by a dense branch, joined by a
 * MergeVertex): its JSON gives the feature input's size (the dense layer's nIn) but not the image's height and width,
 * so {@code --input-shape image=1,12,12} names the one input that needs a shape.
 */
class MultiInputGraphTest {
    static final Path DIR = Path.of("src/test/resources/dl4j/two-inputs");
    static final Path ORIGINAL = DIR.resolve("original.json");
    static final InputShapes IMAGE = new InputShapes(Optional.empty(), Map.of("image", new Shape.Image(1, 12, 12)));

    @TempDir Path dir;

    static CheckOptions staticOptions(InputShapes shapes) {
        return new CheckOptions(true, shapes, OptionalLong.empty(), 10, 1, 60, CheckOptions.DEFAULT_MAX_MEMORY, Optional.empty(), OptionalInt.empty(), false, List.of(), Optional.empty(), CheckOptions.FailOn.ALL);
    }

    static RuleResult rule(CheckReport r, String id) {
        return r.results().stream().filter(x -> x.rule().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void eachInputHasItsShapeAndEachBranchItsParameters() {
        CheckReport r = new Checker(Thresholds.defaults()).check(ORIGINAL, DIR.resolve("conv-2x.json"), staticOptions(IMAGE));
        assertEquals("image 1x12x12, meta 5", r.original().inputShape());
        Map<String, LayerInfo> layers = new java.util.HashMap<>();
        for (LayerInfo l : r.original().layers()) layers.put(l.name(), l);
        // conv 3x3x1x4 + 4, meta_dense 5x8 + 8, out (4 + 8) x 3 + 3: what DL4J's initializers count.
        assertEquals(40, layers.get("conv").params());
        assertEquals(48, layers.get("meta_dense").params());
        assertEquals(39, layers.get("out").params());
        assertEquals(127, r.original().totalParams());
        assertEquals("4x10x10", layers.get("conv").outputShape());
        assertEquals(List.of("4", "8"), layers.get("merge").inputShapes(), "the merge joins both branches");
        assertEquals(Verdict.PASS, r.verdict());
    }

    @Test
    void aBranchWidenedFourTimesFailsChannelGrowthAndTwiceDoesNot() {
        Checker checker = new Checker(Thresholds.defaults());
        assertEquals(Status.FAIL, rule(checker.check(ORIGINAL, DIR.resolve("conv-4x.json"), staticOptions(IMAGE)), "channel-growth").status());
        assertEquals(Status.PASS, rule(checker.check(ORIGINAL, DIR.resolve("conv-2x.json"), staticOptions(IMAGE)), "channel-growth").status());
    }

    @Test
    void theErrorNamesTheInputsThatNeedAShape() {
        Checker checker = new Checker(Thresholds.defaults());
        BadInputException none = assertThrows(BadInputException.class, () -> checker.check(ORIGINAL, ORIGINAL, staticOptions(InputShapes.NONE)));
        assertTrue(none.getMessage().contains("(needed for: image)") && none.getMessage().contains("--input-shape NAME=SHAPE"), none.getMessage());
        BadInputException unnamed = assertThrows(BadInputException.class,
                () -> checker.check(ORIGINAL, ORIGINAL, staticOptions(InputShapes.of(Optional.of(new Shape.Image(1, 12, 12))))));
        assertTrue(unnamed.getMessage().contains("the model has 2 inputs (image, meta)"), unnamed.getMessage());
        BadInputException typo = assertThrows(BadInputException.class,
                () -> checker.check(ORIGINAL, ORIGINAL, staticOptions(new InputShapes(Optional.empty(), Map.of("imag", new Shape.Image(1, 12, 12))))));
        assertTrue(typo.getMessage().contains("did you mean 'image'"), typo.getMessage());
        BadInputException disagree = assertThrows(BadInputException.class, () -> checker.check(ORIGINAL, ORIGINAL,
                staticOptions(new InputShapes(Optional.empty(), Map.of("image", new Shape.Image(1, 12, 12), "meta", new Shape.Features(6))))));
        assertTrue(disagree.getMessage().contains("the shape of input 'meta' as 5, but --input-shape says 6"), disagree.getMessage());
    }

    @Test
    void theCommandLineTakesOneShapePerInput() {
        Cli.Result ok = Cli.run("check", "--static", "--input-shape", "image=1,12,12", ORIGINAL.toString(), DIR.resolve("conv-2x.json").toString(), "-q");
        assertEquals(0, ok.code(), ok.toString());
        Cli.Result twice = Cli.run("check", "--static", "--input-shape", "image=1,12,12", "--input-shape", "image=1,8,8", ORIGINAL.toString(), ORIGINAL.toString());
        assertEquals(2, twice.code(), twice.toString());
        assertTrue(twice.err().contains("gives input 'image' twice"), twice.err());
    }

    @Test
    void bothInputsFeedTheRunAndIdenticalContentIsMeasuredOnce() throws Exception {
        // Two copies at different paths: the same content is one measurement, whatever the file is called.
        Path folder = Files.createDirectories(dir.resolve("experiments"));
        Files.copy(ORIGINAL, folder.resolve("original.json"));
        Files.copy(ORIGINAL, folder.resolve("copy.json"));
        Path cfg = TestFiles.write(dir, "off.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        Path cache = dir.resolve("cache");
        Cli.Result run = Cli.run("audit", folder.toString(), "--input-shape", "image=1,12,12", "--iterations", "2", "--isolation", "none",
                "--config", cfg.toString(), "--cache-dir", cache.toString(), "--format", "json");
        assertEquals(0, run.code(), run.toString());
        long entries;
        try (var s = Files.list(cache)) { entries = s.count(); }
        assertEquals(1, entries, "one measurement for two copies of one model");
        var json = new com.fasterxml.jackson.databind.ObjectMapper().readTree(run.out()).get("checks").get(0);
        assertEquals("original.json", Path.of(json.get("original").get("source").asText()).getFileName().toString());
        assertEquals("copy.json", Path.of(json.get("modified").get("source").asText()).getFileName().toString(), "each side keeps its own file");
        List<String> measured = new java.util.ArrayList<>();
        json.get("modified").get("health").get("layers").forEach(x -> { if (x.path("initial").isObject()) measured.add(x.get("name").asText()); });
        assertTrue(measured.containsAll(List.of("conv", "meta_dense", "merge", "out")), "both branches ran: " + measured);
    }

    @Test
    void aFullRunTrainsBothBranches() {
        Path cfg = TestFiles.write(dir, "off.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        CheckOptions o = new CheckOptions(false, IMAGE, OptionalLong.of(3), 2, 1, 60, CheckOptions.DEFAULT_MAX_MEMORY, Optional.empty(), OptionalInt.of(8), false, List.of(), Optional.empty(), CheckOptions.FailOn.ALL);
        CheckReport r = new Checker(Thresholds.defaults().overlay(cfg)).check(ORIGINAL, DIR.resolve("conv-2x.json"), o);
        assertEquals(Verdict.PASS, r.verdict(), r.results().toString());
        assertNotNull(r.modified().health());
        ActivationStats meta = r.modified().health().initial().stream().filter(s -> s.layer().equals("meta_dense")).findFirst().orElseThrow();
        assertTrue(meta.max() > 0, "the feature branch saw data: " + meta);
        assertEquals(2, r.modified().health().losses().size());
    }

    @Test
    void aKerasFunctionalModelWithTwoInputLayersChecksAndRuns() {
        Path keras = Path.of("src/test/resources/keras/two-inputs");
        CheckReport st = new Checker(Thresholds.defaults()).check(keras.resolve("original.json"), keras.resolve("text-dense-4x.json"), staticOptions(InputShapes.NONE));
        assertEquals("numeric 6, text 20", st.original().inputShape(), "both shapes come from the input layers");
        // numeric_dense 6x8 + 8, text_dense 20x16 + 16, label (8 + 16) x 3 + 3
        assertEquals(467, st.original().totalParams());
        assertEquals(Status.WARN, rule(st, "dense-growth").status(), "the text branch 4x wider: " + rule(st, "dense-growth"));
        Path cfg = TestFiles.write(dir, "off.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        CheckOptions o = new CheckOptions(false, InputShapes.NONE, OptionalLong.of(3), 2, 1, 60, CheckOptions.DEFAULT_MAX_MEMORY, Optional.empty(), OptionalInt.of(8), false, List.of(), Optional.empty(), CheckOptions.FailOn.ALL);
        CheckReport run = new Checker(Thresholds.defaults().overlay(cfg)).check(keras.resolve("original.json"), keras.resolve("original.json"), o);
        assertEquals(Verdict.PASS, run.verdict(), run.results().toString());
        assertEquals(2, run.modified().health().losses().size());
    }
}
