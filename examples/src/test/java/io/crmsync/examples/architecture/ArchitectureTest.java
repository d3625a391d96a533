package io.crmsync.examples.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.crmsync.client.CrmsyncException;
import org.junit.jupiter.api.Test;

/**
 * The architecture's rules, held by ArchUnit over the main classes of every module: the modules'
 * direction, no cycles, internals out of reach, one exception root. {@code docs/ARCHITECTURE.md}
 * draws the same map.
 */
class ArchitectureTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar")) // the published contract tests
            .importPackages("io.crmsync");

    @Test
    void clientCoreDependsOnNoOtherModule() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.client..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.crmsync.efficy..",
                        "io.crmsync.apsis..",
                        "io.crmsync.sync..",
                        "io.crmsync.testkit..",
                        "io.crmsync.examples..")
                .check(MAIN);
    }

    @Test
    void theClientsKnowNothingOfEachOtherNorOfTheEngine() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.efficy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.crmsync.apsis..", "io.crmsync.sync..", "io.crmsync.testkit..", "io.crmsync.examples..")
                .check(MAIN);
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.apsis..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.crmsync.efficy..", "io.crmsync.sync..", "io.crmsync.testkit..", "io.crmsync.examples..")
                .check(MAIN);
    }

    @Test
    void theEngineDependsOnNeitherTheEmulatorsNorTheExamples() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.sync..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.crmsync.testkit..", "io.crmsync.examples..")
                .check(MAIN);
    }

    @Test
    void theClusterBuildsOnTheEngineAndNothingBelowBuildsOnTheCluster() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.cluster..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.crmsync.testkit..", "io.crmsync.examples..", "io.crmsync.cli..", "io.crmsync.spring..")
                .check(MAIN);
        noClasses()
                .that()
                .resideInAnyPackage(
                        "io.crmsync.client..",
                        "io.crmsync.efficy..",
                        "io.crmsync.apsis..",
                        "io.crmsync.sync..",
                        "io.crmsync.config..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.crmsync.cluster..")
                .check(MAIN);
    }

    @Test
    void theTestkitIsAnIndependentReadingOfTheProtocols() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.crmsync.client..",
                        "io.crmsync.efficy..",
                        "io.crmsync.apsis..",
                        "io.crmsync.sync..",
                        "io.crmsync.examples..")
                .check(MAIN);
    }

    @Test
    void theEnginesInternalsNeverReachBackToItsFacade() {
        noClasses()
                .that()
                .resideInAPackage("io.crmsync.sync.internal..")
                .should()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.crmsync.sync.SyncEngine")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("io.crmsync.sync.SyncEngine$Builder")
                .check(MAIN);
    }

    @Test
    void nothingOutsideAModuleReachesItsInternals() {
        noClasses()
                .that()
                .resideOutsideOfPackages("io.crmsync.sync", "io.crmsync.sync.internal..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.crmsync.sync.internal..")
                .check(MAIN);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.crmsync.efficy..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.crmsync.efficy.internal..")
                .check(MAIN);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.crmsync.apsis..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.crmsync.apsis.internal..")
                .check(MAIN);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.crmsync.testkit..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("io.crmsync.testkit.internal..")
                .check(MAIN);
    }

    @Test
    void theEnginesFlowsHaveNoCycles() {
        slices().matching("io.crmsync.sync.internal.(*)..")
                .should()
                .beFreeOfCycles()
                .check(MAIN);
        slices().matching("io.crmsync.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noPublishedPackageDependsOnAPackageThatDependsBackOnIt() {
        // A facade and its .internal packages call each other by design (the facade builds them, they
        // take its value types); the emulators are not a library. Every other package is a layer.
        slices().matching("io.crmsync.(**)")
                .that(DescribedPredicate.describe(
                        "not internal nor the testkit",
                        slice -> !slice.getDescription().contains("internal")
                                && !slice.getDescription().contains("testkit")))
                .should()
                .beFreeOfCycles()
                .check(MAIN);
    }

    @Test
    void everyExceptionOfOursExtendsTheOneRoot() {
        classes()
                .that()
                .resideInAnyPackage(
                        "io.crmsync.client..",
                        "io.crmsync.efficy..",
                        "io.crmsync.apsis..",
                        "io.crmsync.sync..",
                        "io.crmsync.config..",
                        "io.crmsync.cluster..")
                .and()
                .areAssignableTo(RuntimeException.class)
                .and()
                .haveSimpleNameEndingWith("Exception")
                .should()
                .beAssignableTo(CrmsyncException.class)
                .check(MAIN);
    }
}
