package dev.attune.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

/** Business logic stays plain Java; types that cross Flink are POJOs, never Kryo. */
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
                        "dev.attune.policy..",
                        "dev.attune.analysis..",
                        "dev.attune.contract..",
                        "dev.attune.report..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.apache.flink..")
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
