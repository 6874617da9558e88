package dev.modelgate;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The layering, enforced: a core with no CLI dependency; measurements never decide; rules never measure;
 * renderers never compute; reports are plain immutable data.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.modelgate");
    }

    @Test
    void onlyTheCliKnowsPicocliAndNothingDependsOnTheCli() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("picocli..", "dev.modelgate.cli..").check(classes);
    }

    @Test
    void reportsArePlainDataThatDependOnNothingElse() {
        noClasses().that().resideInAPackage("dev.modelgate.report..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.spec..", "dev.modelgate.model..", "dev.modelgate.probe..", "dev.modelgate.rule..",
                        "dev.modelgate.render..", "dev.modelgate.check..", "org.deeplearning4j..", "org.nd4j..", "com.fasterxml..").check(classes);
    }

    @Test
    void rulesNeverMeasure() {
        noClasses().that().resideInAPackage("dev.modelgate.rule..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.probe..", "dev.modelgate.model..", "dev.modelgate.render..", "dev.modelgate.check..",
                        "org.deeplearning4j..", "org.nd4j..").check(classes);
    }

    @Test
    void measurementsNeverDecide() {
        noClasses().that().resideInAnyPackage("dev.modelgate.probe..", "dev.modelgate.model..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.rule..", "dev.modelgate.render..", "dev.modelgate.check..").check(classes);
    }

    @Test
    void renderersNeverCompute() {
        noClasses().that().resideInAPackage("dev.modelgate.render..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.spec..", "dev.modelgate.model..", "dev.modelgate.probe..", "dev.modelgate.rule..",
                        "dev.modelgate.check..", "org.deeplearning4j..", "org.nd4j..").check(classes);
    }

    @Test
    void specLoadingKnowsNothingOfWhatComesAfterIt() {
        noClasses().that().resideInAPackage("dev.modelgate.spec..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.model..", "dev.modelgate.probe..", "dev.modelgate.rule..", "dev.modelgate.render..",
                        "dev.modelgate.check..", "dev.modelgate.report..").check(classes);
    }

    @Test
    void specLoadingNeverLoadsTheNativeBackend() {
        // Reading and checking configs must work without ND4J's native code (fast --static, no 400 MB unpacking).
        noClasses().that().resideInAPackage("dev.modelgate.spec..").should().dependOnClassesThat()
                .haveFullyQualifiedName("org.nd4j.linalg.factory.Nd4j").check(classes);
    }
}
