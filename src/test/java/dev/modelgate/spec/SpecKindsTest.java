package dev.modelgate.spec;

import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.report.LayerInfo;
import dev.modelgate.report.ModelReport;
import dev.modelgate.report.Verdict;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The spec kinds a modern architecture needs, described by DL4J's own layers and vertices: zero-padding, cropping,
 * local response normalization, conv1d, embedding, bidirectional LSTM, scale and shift. Shapes and parameter counts
 * are DL4J's; each model builds, trains and is timed (A/A passes).
 */
class SpecKindsTest {
    static final Path DIR = Path.of("src/test/resources/spec-kinds");

    static Map<String, String> shapes(ModelReport r) {
        return r.layers().stream().collect(Collectors.toMap(LayerInfo::name, l -> l.outputShape() + " " + l.params()));
    }

    @Test
    void imageKindsTakeDl4jsShapes() {
        Map<String, String> s = shapes(Checker.inspect(DIR.resolve("img.yaml"), CheckOptions.STATIC));
        assertEquals("3x34x34 0", s.get("pad"));
        assertEquals("8x32x32 224", s.get("conv1"));
        assertEquals("8x32x32 0", s.get("lrn"));
        assertEquals("8x30x28 0", s.get("crop"), "cropping [top 1, bottom 1, left 2, right 2]");
        assertEquals("8 0", s.get("small"));
        assertEquals("8 0", s.get("moved"));
    }

    @Test
    void sequenceKindsTakeDl4jsShapesAndParameterCounts() {
        Map<String, String> s = shapes(Checker.inspect(DIR.resolve("seq.yaml"), CheckOptions.STATIC));
        assertEquals("12x20(seq) 228", s.get("conv1d_1"), "6 x 12 x 3 weights + 12 biases");
        assertEquals("16x20(seq) 1344", s.get("bidirectional_lstm_1"), "two LSTMs of 8 units (2 x 4 x 8 x (12 + 8) + 2 x 4 x 8), concatenated");
        Map<String, String> e = shapes(Checker.inspect(DIR.resolve("emb.yaml"), CheckOptions.STATIC));
        assertEquals("16x10(seq) 800", e.get("embedding_1"), "a vocabulary of 50 x 16 units, one step per index");
    }

    @Test
    void eachBuildsTrainsAndPassesAgainstItself() {
        Checker checker = new Checker(Thresholds.defaults());
        for (String f : new String[] {"img.yaml", "seq.yaml", "emb.yaml"}) {
            CheckReport r = checker.check(DIR.resolve(f), DIR.resolve(f), CheckOptions.RUN.withIterations(2).withTimeBudget(2));
            assertEquals("run", r.mode());
            assertEquals(Verdict.PASS, r.verdict(), f + ": " + r.results());
        }
    }
}
