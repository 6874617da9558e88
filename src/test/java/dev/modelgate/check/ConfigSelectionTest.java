package dev.modelgate.check;

import dev.modelgate.TestFiles;
import dev.modelgate.error.BadInputException;
import dev.modelgate.report.AuditReport;
import dev.modelgate.rule.Thresholds;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which files of an audited folder are configs: --include, --exclude and .modelgateignore. */
class ConfigSelectionTest {
    @TempDir Path dir;

    @Test
    void globsMatchRelativePathsAndBareNamesMatchAtAnyDepth() {
        ConfigSelection s = ConfigSelection.of(dir, List.of("**/*.yaml", "top.json"), List.of("drafts/", "*-old.yaml"));
        assertTrue(s.selected(Path.of("exp/a.yaml")));
        assertTrue(s.selected(Path.of("top.json")));
        assertTrue(s.selected(Path.of("exp/top.json")), "a bare name at any depth");
        assertFalse(s.selected(Path.of("b.json")), "not included");
        assertFalse(s.selected(Path.of("drafts/x/a.yaml")), "a folder and everything below it");
        assertFalse(s.selected(Path.of("exp/a-old.yaml")));
    }

    @Test
    void theIgnoreFileAddsExclusionsAndSkipsCommentsAndBlankLines() {
        TestFiles.write(dir, ".modelgateignore", "# experiments kept for the record\n\nparams.yaml\nlegacy/\n");
        ConfigSelection s = ConfigSelection.of(dir, List.of(), List.of());
        assertFalse(s.selected(Path.of("params.yaml")));
        assertFalse(s.selected(Path.of("sub/params.yaml")));
        assertFalse(s.selected(Path.of("legacy/a.yaml")));
        assertTrue(s.selected(Path.of("a.yaml")));
    }

    @Test
    void aBadGlobIsOneLineNamingWhereItCameFrom() {
        TestFiles.write(dir, ".modelgateignore", "ok.yaml\n[unclosed\n");
        BadInputException e = assertThrows(BadInputException.class, () -> ConfigSelection.of(dir, List.of(), List.of()));
        assertTrue(e.getMessage().contains(".modelgateignore:2") && e.getMessage().contains("[unclosed"), e.getMessage());
    }

    @Test
    void anAuditChecksOnlyTheSelectedConfigsAndSaysWhenNoneIsLeft() throws Exception {
        Path lenet = Files.createDirectories(dir.resolve("lenet")), mlp = Files.createDirectories(dir.resolve("mlp"));
        for (String f : List.of("original.yaml", "conv2-4x.yaml", "conv2-2x.yaml")) Files.copy(Path.of("samples/lenet", f), lenet.resolve(f));
        for (String f : List.of("original.yaml", "fc1-4x.yaml")) Files.copy(Path.of("samples/mlp", f), mlp.resolve(f));
        TestFiles.write(dir, ".modelgateignore", "mlp/\n");
        Auditor auditor = new Auditor(Thresholds.defaults(), null, null);
        AuditReport a = auditor.audit(dir, new Auditor.Options(null, CheckOptions.STATIC, 1, 1, List.of(), List.of("*-2x.yaml")), Auditor.Progress.NONE);
        assertEquals(List.of("conv2-4x.yaml"), a.checks().stream().map(e -> Path.of(e.config()).getFileName().toString()).toList());
        BadInputException none = assertThrows(BadInputException.class,
                () -> auditor.audit(dir, new Auditor.Options(null, CheckOptions.STATIC, 1, 1, List.of("nothing-*"), List.of()), Auditor.Progress.NONE));
        assertTrue(none.getMessage().contains("no model configs found among the selected files"), none.getMessage());
    }
}
