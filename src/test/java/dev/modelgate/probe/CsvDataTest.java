package dev.modelgate.probe;

import dev.modelgate.error.BadInputException;
import dev.modelgate.TestFiles;
import dev.modelgate.check.CheckOptions;
import dev.modelgate.check.Checker;
import dev.modelgate.report.CheckReport;
import dev.modelgate.rule.Thresholds;
import dev.modelgate.spec.ModelLoader;
import dev.modelgate.spec.ResolvedModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Real data from a CSV file instead of synthetic batches. */
class CsvDataTest {
    @TempDir Path dir;

    static String spec(String data) {
        return """
                input: {features: 3}
                training: {batch-size: 2, seed: 1}
                data: %s
                layers: [{type: dense, units: 4}]
                output: {classes: 2}
                """.formatted(data);
    }

    ResolvedModel load(String csv, String data) {
        TestFiles.write(dir, "d.csv", csv);
        return ModelLoader.loadResolved(TestFiles.write(dir, "m.yaml", spec(data)), Optional.empty());
    }

    @Test
    void batchesAreRowsInASeededShuffleAndWrapAround() {
        ResolvedModel m = load("a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,1\n", "{csv: d.csv, label: label}");
        SyntheticData.Batch rows = ProbeData.rows(m, new int[] {0, 1});
        assertEquals(1.0, rows.feature().getDouble(0, 0));
        assertEquals(6.0, rows.feature().getDouble(1, 2));
        assertEquals(1.0, rows.labels().getDouble(0, 0), "class 0 one-hot");
        assertEquals(1.0, rows.labels().getDouble(1, 1), "class 1 one-hot");
        // Batches 0 and 1 of 2 rows: 4 rows of a 3-row file, so every row once and one again, each with its own label.
        java.util.List<Double> firsts = new java.util.ArrayList<>();
        for (int k = 0; k < 2; k++) {
            SyntheticData.Batch b = ProbeData.batch(m, 2, 1, k);
            for (int i = 0; i < 2; i++) {
                double a = b.feature().getDouble(i, 0);
                firsts.add(a);
                assertEquals(a == 1.0 ? 1.0 : 0.0, b.labels().getDouble(i, 0), "row " + a + " keeps its label");
            }
        }
        assertTrue(firsts.containsAll(java.util.List.of(1.0, 4.0, 7.0)), "every row: " + firsts);
        assertEquals(firsts.get(0), firsts.get(3), "wrapping to the first row of the order");
        assertEquals(ProbeData.batch(m, 2, 1, 0).feature(), ProbeData.batch(m, 2, 1, 0).feature(), "the seed decides the order");
    }

    @Test
    void theLabelIsTheLastColumnByDefaultAndHeadersAreOptional() {
        ResolvedModel m = load("1,2,3,1\n4,5,6,0\n", "{csv: d.csv, header: false}");
        SyntheticData.Batch b = ProbeData.batch(m, 2, 1, 0);
        assertEquals(1.0, b.labels().getDouble(0, 1));
        assertEquals(4.0, b.feature().getDouble(1, 0));
    }

    @Test
    void aCheckRunsOnTheData() {
        TestFiles.write(dir, "d.csv", "a,b,c,label\n1,2,3,0\n4,5,6,1\n7,8,9,1\n0,0,1,0\n");
        Path a = TestFiles.write(dir, "a.yaml", spec("{csv: d.csv}"));
        Path cfg = TestFiles.write(dir, "t.yaml", "rules:\n  training-time: off\n  inference-latency: off\n");
        CheckReport r = new Checker(Thresholds.defaults().overlay(cfg)).check(a, a, CheckOptions.RUN.withIterations(2));
        assertEquals(2, r.modified().health().losses().size());
        assertTrue(r.modified().health().initial().get(0).max() > 0);
    }

    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
            "a,b,c,label\\n1,2,3,0\\n4,x,6,1\\n           | d.csv:3: column 'b': 'x' is not a number",
            "a,b,c,label\\n1,2,3,0\\n4,5,1\\n              | d.csv:3: 3 values, expected 4 like the header",
            "a,b,c,label\\n1,2,3,0\\n4,5,6,-1\\n           | d.csv:3: column 'label': class -1 is not a class index (valid: whole numbers from 0)",
            "a,b,label\\n1,2,0\\n                         | d.csv: 2 feature columns, but the model's input has 3 features",
            "a,b,c,label\\n                              | d.csv: no data rows",
            "a,b,c,d,label\\n1,2,3,4,0\\n                 | d.csv: 4 feature columns, but the model's input has 3 features",
    })
    void badCsvFilesAreOneLineErrorsNamingFileAndLine(String csv, String expected) {
        BadInputException e = assertThrows(BadInputException.class, () -> load(csv.replace("\\n", "\n"), "{csv: d.csv}"));
        assertTrue(e.getMessage().contains(expected.replace("d.csv", dir.resolve("d.csv").toString())), e.getMessage());
        assertFalse(e.getMessage().contains("\n"));
    }

    @Test
    void specErrorsAboutTheDataSection() {
        BadInputException missing = assertThrows(BadInputException.class, () -> load("1,2,3,0\n", "{csv: nope.csv}"));
        assertTrue(missing.getMessage().contains("nope.csv: file not found"), missing.getMessage());
        BadInputException label = assertThrows(BadInputException.class, () -> load("a,b,c,label\n1,2,3,0\n", "{csv: d.csv, label: lable}"));
        assertTrue(label.getMessage().contains("no column 'lable' (did you mean 'label'?)"), label.getMessage());
        BadInputException key = assertThrows(BadInputException.class, () -> load("1,2,3,0\n", "{cvs: d.csv}"));
        assertTrue(key.getMessage().contains("unknown key 'cvs' (did you mean 'csv'?)"), key.getMessage());
    }
}
