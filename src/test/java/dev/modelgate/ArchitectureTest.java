package dev.modelgate;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

/**
 * The data path, enforced as a whitelist: each package may use only the packages named for it, so a new edge has
 * to be allowed here on purpose. sources (spec) -> model -> probes -> resolve -> rules (judge) -> report -> codec /
 * render, wired by check, with the CLI on top. Measurements never decide; rules never measure; renderers never
 * compute; reports are plain immutable data.
 */
class ArchitectureTest {
    static JavaClasses classes;

    @BeforeAll
    static void load() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("dev.modelgate");
    }

    @Test
    void eachPackageUsesOnlyThePackagesItIsAllowed() {
        layeredArchitecture().consideringOnlyDependenciesInAnyPackage("dev.modelgate..").withOptionalLayers(true)
                .layer("cli").definedBy("dev.modelgate.cli..")
                .layer("check").definedBy("dev.modelgate.check..")
                .layer("resolve").definedBy("dev.modelgate.resolve..")
                .layer("spec").definedBy("dev.modelgate.spec..")
                .layer("model").definedBy("dev.modelgate.model..")
                .layer("probe").definedBy("dev.modelgate.probe..")
                .layer("rule").definedBy("dev.modelgate.rule..")
                .layer("report").definedBy("dev.modelgate.report..")
                .layer("codec").definedBy("dev.modelgate.codec..")
                .layer("render").definedBy("dev.modelgate.render..")
                .layer("text").definedBy("dev.modelgate.text..")
                .layer("stats").definedBy("dev.modelgate.stats..")
                .layer("io").definedBy("dev.modelgate.io..")
                .layer("error").definedBy("dev.modelgate.error..")
                .whereLayer("cli").mayNotBeAccessedByAnyLayer()
                .whereLayer("check").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("resolve").mayOnlyBeAccessedByLayers("check")
                .whereLayer("probe").mayOnlyBeAccessedByLayers("check", "resolve")
                .whereLayer("model").mayOnlyBeAccessedByLayers("check", "probe")
                .whereLayer("spec").mayOnlyBeAccessedByLayers("cli", "check", "resolve", "probe", "model")
                .whereLayer("rule").mayOnlyBeAccessedByLayers("cli", "check")
                .whereLayer("render").mayOnlyBeAccessedByLayers("cli")
                .whereLayer("codec").mayOnlyBeAccessedByLayers("cli", "check", "render")
                .whereLayer("text").mayOnlyBeAccessedByLayers("rule", "render")
                .whereLayer("report").mayOnlyBeAccessedByLayers("cli", "check", "resolve", "probe", "rule", "codec", "render", "text")
                .whereLayer("stats").mayOnlyBeAccessedByLayers("probe", "rule")
                .whereLayer("io").mayOnlyBeAccessedByLayers("cli", "check", "resolve", "spec", "rule")
                .check(classes);
    }

    @Test
    void onlyTheCliKnowsPicocli() {
        noClasses().that().resideOutsideOfPackage("dev.modelgate.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("picocli..").check(classes);
    }

    @Test
    void theCliNeitherLoadsNd4jNorStartsWorkers() {
        noClasses().that().resideInAPackage("dev.modelgate.cli..").should().dependOnClassesThat()
                .resideInAnyPackage("dev.modelgate.probe..", "dev.modelgate.model..", "org.nd4j..", "org.deeplearning4j..")
                .orShould().dependOnClassesThat().haveFullyQualifiedName("dev.modelgate.check.WorkerRunner").check(classes);
    }

    @Test
    void reportsArePlainData() {
        noClasses().that().resideInAPackage("dev.modelgate.report..").should().dependOnClassesThat()
                .resideInAnyPackage("org.deeplearning4j..", "org.nd4j..", "com.fasterxml..").check(classes);
    }

    @Test
    void rulesAndRenderersNeverTouchDl4j() {
        noClasses().that().resideInAnyPackage("dev.modelgate.rule..", "dev.modelgate.render..", "dev.modelgate.codec..", "dev.modelgate.text..")
                .should().dependOnClassesThat().resideInAnyPackage("org.deeplearning4j..", "org.nd4j..").check(classes);
    }

    @Test
    void specLoadingNeverLoadsTheNativeBackend() {
        // Reading and checking configs must work without ND4J's native code (fast --static, no 400 MB unpacking).
        noClasses().that().resideInAPackage("dev.modelgate.spec..").should().dependOnClassesThat()
                .haveFullyQualifiedName("org.nd4j.linalg.factory.Nd4j").check(classes);
    }
}
