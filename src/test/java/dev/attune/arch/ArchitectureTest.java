package dev.attune.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/**
 * Business logic stays plain Java; packages depend on each other in one direction only; types that
 * cross Flink are POJOs, never Kryo. The layers, bottom up: {@code contract} (wire records and
 * formats), {@code catalogue} (customer-facing texts, on nothing but the JDK), {@code text} (reading
 * customer text: language, sentiment, anger, urgency, churn reason), {@code signals} (customer
 * state and what events say), {@code analysis} and
 * {@code policy} (explanations, contact rules), {@code decision} (the customer's decision), and
 * on top {@code config}, {@code io}, {@code report}, {@code job} (the Flink wiring).
 */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.attune");

    @Test
    void logicPackagesImportNoFlink() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.attune.signals..",
                        "dev.attune.text..",
                        "dev.attune.policy..",
                        "dev.attune.analysis..",
                        "dev.attune.decision..",
                        "dev.attune.contract..",
                        "dev.attune.catalogue..",
                        "dev.attune.report..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..")
                .check(CLASSES);
    }

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("dev.attune.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void eachLayerDependsOnlyOnTheLayersBelowIt() {
        classes()
                .that()
                .resideInAPackage("dev.attune.catalogue..")
                .should()
                .onlyDependOnClassesThat()
                .resideInAnyPackage("dev.attune.catalogue..", "java..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.attune.contract..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.attune.signals..",
                        "dev.attune.text..",
                        "dev.attune.analysis..",
                        "dev.attune.policy..",
                        "dev.attune.decision..",
                        "dev.attune.job..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.attune.text..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.attune.signals..",
                        "dev.attune.analysis..",
                        "dev.attune.policy..",
                        "dev.attune.decision..",
                        "dev.attune.config..",
                        "dev.attune.io..",
                        "dev.attune.report..",
                        "dev.attune.job..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAPackage("dev.attune.signals..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.attune.analysis..", "dev.attune.policy..", "dev.attune.decision..", "dev.attune.job..")
                .check(CLASSES);
        noClasses()
                .that()
                .resideInAnyPackage("dev.attune.analysis..", "dev.attune.policy..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.attune.decision..", "dev.attune.job..")
                .check(CLASSES);
    }

    @Test
    void recordsCrossingFlinkArePojos() {
        for (Class<?> c : new Class<?>[] {
            dev.attune.contract.Inbound.class,
            dev.attune.contract.InputRecord.class,
            dev.attune.contract.DeadLetter.class,
            dev.attune.contract.OutputRecord.class,
            dev.attune.signals.CustomerState.class
        }) {
            assertThat(TypeInformation.of(c)).as(c.getSimpleName()).isInstanceOf(PojoTypeInfo.class);
        }
    }
}
