package dev.modelgate.text;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/** The text package is a leaf: rules and renderers both use it, so it may know nothing of modelgate but reports. */
class TextPackageTest {
    @Test
    void textDependsOnNothingInModelgateButReports() {
        JavaClasses classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.modelgate");
        noClasses().that().resideInAPackage("dev.modelgate.text..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.cli..", "dev.modelgate.spec..", "dev.modelgate.model..", "dev.modelgate.probe..",
                        "dev.modelgate.rule..", "dev.modelgate.render..", "dev.modelgate.check..", "dev.modelgate.stats..",
                        "org.deeplearning4j..", "org.nd4j..", "com.fasterxml..")
                .check(classes);
    }
}
