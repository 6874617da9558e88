package dev.modelgate.probe;

import dev.modelgate.TestFiles;
import dev.modelgate.error.BadInputException;
import dev.modelgate.model.Network;
import dev.modelgate.model.NetworkFactory;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A sequence CSV (one row per time step, grouped by an id column) fed to real DL4J LSTMs. */
class SequenceCsvDataTest {
    @TempDir Path dir;

    /** Two sequences of 3 steps, 2 features: a's values are t+1 and 10(t+1); b's are negative. Rows interleaved. */
    static final String CSV = "id,x,y,label\na,1,10,1\nb,-1,-10,0\na,2,20,1\nb,-2,-20,0\na,3,30,1\nb,-3,-30,0\n";

    ResolvedModel load(String csv, String data, String tail) {
        TestFiles.write(dir, "s.csv", csv);
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", """
                input: {sequence: [2, 3]}
                training: {batch-size: 2, seed: 1}
                data: %s
                layers:
                  - {type: lstm, units: 4}
                %s
                output: {classes: 2}
                """.formatted(data, tail)), Optional.empty());
    }

    @Test
    void rowsOfOneIdAreOneSequenceInDl4jsFeaturesByTimeLayout() {
        ResolvedModel m = load(CSV, "{csv: s.csv, id: id}", "  - {type: global-pool, pooling: avg}");
        SyntheticData.Batch b = ProbeData.rows(m, new int[] {0, 1});
        assertArrayEquals(new long[] {2, 2, 3}, b.feature().shape());
        for (int t = 0; t < 3; t++) {
            assertEquals(t + 1, b.feature().getDouble(0, 0, t), "a: x at step " + t);
            assertEquals(10 * (t + 1), b.feature().getDouble(0, 1, t), "a: y at step " + t);
            assertEquals(-(t + 1), b.feature().getDouble(1, 0, t), "b: x at step " + t);
        }
        assertArrayEquals(new long[] {2, 2}, b.labels().shape(), "one label per sequence after pooling");
        assertEquals(1.0, b.labels().getDouble(0, 1));
        assertEquals(1.0, b.labels().getDouble(1, 0));
        Network n = NetworkFactory.build(m);
        n.fit(b.features(), b.labels());
        assertTrue(Double.isFinite(n.score()));
    }

    @Test
    void anOutputAtEveryStepGetsTheSequencesLabelAtEveryStep() {
        ResolvedModel m = load(CSV, "{csv: s.csv, id: id}", "");
        SyntheticData.Batch b = ProbeData.rows(m, new int[] {0, 1});
        assertArrayEquals(new long[] {2, 2, 3}, b.labels().shape(), "DL4J's RnnOutputLayer: [batch, classes, time]");
        for (int t = 0; t < 3; t++) {
            assertEquals(1.0, b.labels().getDouble(0, 1, t));
            assertEquals(0.0, b.labels().getDouble(0, 0, t));
            assertEquals(1.0, b.labels().getDouble(1, 0, t));
        }
        Network n = NetworkFactory.build(m);
        n.fit(b.features(), b.labels());
        assertTrue(Double.isFinite(n.score()));
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "id,x,y,label\\na,1,2,0\\na,1,2,0\\n                       | {csv: s.csv, id: id} | s.csv:2: sequence 'a' has 2 time steps (rows), but the model's input takes 3",
            "id,x,y,label\\na,1,2,0\\na,1,2\\n                         | {csv: s.csv, id: id} | s.csv:3: 3 values, expected 4 like the header",
            "id,x,label\\na,1,0\\na,1,0\\na,1,0\\n                     | {csv: s.csv, id: id} | s.csv: 1 feature columns, but the model's input has 2 features per time step (2x3(seq))",
            "id,x,y,label\\na,1,2,0\\na,1,2,1\\na,1,2,0\\n              | {csv: s.csv, id: id} | s.csv:3: sequence 'a' has label 1 here but 0 at line 2; a sequence has one label",
            "id,x,y,label\\na,1,2,0\\n                                 | {csv: s.csv}         | the model's input is a sequence (2x3(seq)): give id: COLUMN",
            "id,x,y,label\\na,1,2,0\\n                                 | {csv: s.csv, id: sid} | no column 'sid' (did you mean 'id'?)",
    })
    void badSequenceFilesAreOneLineNamingFileAndLine(String csv, String data, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> load(csv.replace("\\n", "\n"), data, ""));
        assertTrue(e.getMessage().contains(expected.replace("s.csv", dir.resolve("s.csv").toString())), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void anIdOnAFeatureInputIsRefused() {
        TestFiles.write(dir, "s.csv", "id,a,b,label\nx,1,2,0\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ModelLoader.loadResolved(TestFiles.write(dir, "f.yaml",
                "input: {features: 2}\ndata: {csv: s.csv, id: id}\nlayers: [{type: dense, units: 2}]\noutput: {classes: 2}\n"), Optional.empty()));
        assertTrue(e.getMessage().contains("id: groups rows into sequences, but the model's input is 2, not a sequence"), e.getMessage());
    }
}
