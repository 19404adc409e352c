package net.reactory.workflow.bootstrap.architecture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

/** Every rule holds on the production code, and fails on the fixture made to break it. */
class DependencyRuleTest {

    private static final String PRODUCTION = "net.reactory.workflow";
    private static final String FIXTURES = "net.reactory.workflow.archfixture";

    private static final JavaClasses PRODUCTION_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/archfixture/"))
            .importPackages(PRODUCTION);

    private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter().importPackages(FIXTURES);

    /** Rule name, and the fixture class that breaks it. */
    static Stream<Arguments> violations() {
        return Stream.of(
                Arguments.of("domain depends only on the JDK", "archfixture.domain.DomainUsingJackson"),
                Arguments.of("application depends on no adapter, bootstrap or driver", "archfixture.application.ApplicationUsingMongoAdapter"),
                Arguments.of("ports depend on no service", "archfixture.application.port.PortUsingService"),
                Arguments.of("adapters depend on no service nor bootstrap", "archfixture.adapter.memory.AdapterUsingService"),
                Arguments.of("adapters depend on no other adapter", "archfixture.adapter.memory.AdapterUsingOtherAdapter"),
                Arguments.of("only bootstrap touches Guice", "archfixture.application.service.ServiceUsingGuice"));
    }

    @Test
    void givenProductionCode_whenEveryRuleChecked_thenAllHold() {
        assertThat(PRODUCTION_CLASSES.stream().map(c -> c.getPackageName()).distinct())
                .contains(PRODUCTION + ".domain", PRODUCTION + ".application.service", PRODUCTION + ".adapter.memory", PRODUCTION + ".bootstrap");
        for (Map.Entry<String, ArchRule> rule : ArchitectureRules.forRoot(PRODUCTION).entrySet()) {
            rule.getValue().check(PRODUCTION_CLASSES);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void givenFixtureBreakingARule_whenThatRuleChecked_thenItFailsNamingTheFixture(String ruleName, String violator) {
        ArchRule rule = ArchitectureRules.forRoot(FIXTURES).get(ruleName);

        assertThat(rule).as("rule '%s' exists", ruleName).isNotNull();
        assertThatThrownBy(() -> rule.check(FIXTURE_CLASSES)).isInstanceOf(AssertionError.class)
                .hasMessageContaining("net.reactory.workflow." + violator);
    }

    @Test
    void givenEveryRule_whenListed_thenEachHasAViolatingFixture() {
        assertThat(violations().map(a -> (String) a.get()[0]).toList())
                .containsExactlyInAnyOrderElementsOf(ArchitectureRules.forRoot(FIXTURES).keySet());
    }
}
