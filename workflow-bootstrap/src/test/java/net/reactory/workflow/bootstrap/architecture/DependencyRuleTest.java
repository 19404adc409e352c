package net.reactory.workflow.bootstrap.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.simpleNameStartingWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static java.util.Map.entry;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import net.reactory.workflow.archfixture.adapter.amqp.AdapterReadingTheSystemClockOtherwise;
import net.reactory.workflow.archfixture.adapter.memory.AdapterUsingOtherAdapter;
import net.reactory.workflow.archfixture.adapter.memory.AdapterUsingService;
import net.reactory.workflow.archfixture.adapter.mongo.AdapterConstructingDate;
import net.reactory.workflow.archfixture.application.ApplicationUsingMongoAdapter;
import net.reactory.workflow.archfixture.application.port.PortUsingService;
import net.reactory.workflow.archfixture.application.port.in.InboundPortUsingDrivenPort;
import net.reactory.workflow.archfixture.application.service.ServiceCallingCurrentTimeMillis;
import net.reactory.workflow.archfixture.application.service.ServiceUsingGuice;
import net.reactory.workflow.archfixture.application.service.ServiceUsingMicrometer;
import net.reactory.workflow.archfixture.application.service.run.RoomBuildingARunner;
import net.reactory.workflow.archfixture.application.service.run.RoomCallingTheFacade;
import net.reactory.workflow.archfixture.bootstrap.cli.CliUsingDrivenPort;
import net.reactory.workflow.archfixture.bootstrap.definitions.DefinitionsUsingService;
import net.reactory.workflow.archfixture.bootstrap.http.HttpUsingService;
import net.reactory.workflow.archfixture.definitions.ReaderUsingAdapter;
import net.reactory.workflow.archfixture.definitions.ReaderUsingBootstrap;
import net.reactory.workflow.archfixture.definitions.ReaderUsingGuice;
import net.reactory.workflow.archfixture.definitions.ReaderUsingService;
import net.reactory.workflow.archfixture.domain.DomainCallingInstantNow;
import net.reactory.workflow.archfixture.domain.DomainUsingAFilePath;
import net.reactory.workflow.archfixture.domain.DomainUsingJackson;
import net.reactory.workflow.archfixture.tracing.TracingUsingService;

/** Every rule holds on the production code, fails on the fixtures made to break it, and spares the clean ones. */
class DependencyRuleTest {

    private static final String PRODUCTION = "net.reactory.workflow";
    private static final String FIXTURES = "net.reactory.workflow.archfixture";

    /** Main code of every module; the fixtures and the test-jar's contract suites live in the same packages, so both stay out. */
    private static final JavaClasses PRODUCTION_CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/archfixture/"))
            .importPackages(PRODUCTION);

    private static final JavaClasses FIXTURE_CLASSES = new ClassFileImporter().importPackages(FIXTURES);

    /** Each module's root package (and the packages a rule singles out), with the fewest top-level classes it must bring. */
    private static final Map<String, Integer> IMPORTED_AT_LEAST = Map.ofEntries(
            entry("domain", 15),
            entry("application", 25),
            entry("application.port.in", 5),
            entry("application.port.out", 5),
            entry("adapter.memory", 3),
            entry("adapter.mongo", 5),
            entry("adapter.amqp", 5),
            entry("bootstrap", 20),
            entry("bootstrap.http", 2),
            entry("bootstrap.cli", 2),
            entry("bootstrap.definitions", 1),
            entry("definitions", 5),
            entry("tracing", 2));

    /** Rule name, and the fixture classes each of which breaks it. */
    static Stream<Arguments> violations() {
        return Stream.of(
                violated("domain depends only on java.lang, java.util and java.time", DomainUsingJackson.class, DomainUsingAFilePath.class),
                violated("application depends only on itself, the domain, the JDK, slf4j, failsafe and cron-utils",
                        ApplicationUsingMongoAdapter.class, ServiceUsingMicrometer.class, ServiceUsingGuice.class),
                violated("ports depend on no service", PortUsingService.class),
                violated("inbound ports depend on no driven port", InboundPortUsingDrivenPort.class),
                violated("the rooms below the runner's facade never call back into it", RoomCallingTheFacade.class, RoomBuildingARunner.class),
                violated("adapters depend on no service nor bootstrap", AdapterUsingService.class),
                violated("adapters depend on no other adapter", AdapterUsingOtherAdapter.class),
                violated("only bootstrap touches Guice", ServiceUsingGuice.class),
                violated("bootstrap's HTTP, CLI and definitions reach the application only through port.in",
                        HttpUsingService.class, CliUsingDrivenPort.class, DefinitionsUsingService.class),
                violated("definitions depend only on themselves, the domain, port.in, Jackson, the JDK and slf4j",
                        ReaderUsingService.class, ReaderUsingBootstrap.class, ReaderUsingGuice.class, ReaderUsingAdapter.class),
                violated("tracing depends only on itself, port.in, the domain, the OpenTelemetry API, the JDK and slf4j",
                        TracingUsingService.class),
                violated("domain, application and adapters read the time only from the injected InstantSource",
                        DomainCallingInstantNow.class, ServiceCallingCurrentTimeMillis.class, AdapterConstructingDate.class,
                        AdapterReadingTheSystemClockOtherwise.ReferencesInstantNow.class,
                        AdapterReadingTheSystemClockOtherwise.CallsLocalDateTimeNow.class,
                        AdapterReadingTheSystemClockOtherwise.CallsZonedDateTimeNowInAZone.class,
                        AdapterReadingTheSystemClockOtherwise.CallsClockSystemUtc.class,
                        AdapterReadingTheSystemClockOtherwise.ConstructsDateOfNow.class));
    }

    static Stream<String> ruleNames() {
        return ArchitectureRules.forRoot(PRODUCTION).keySet().stream();
    }

    @Test
    void givenProductionImport_whenCountedPerModule_thenEveryModuleBroughtItsClasses() {
        SoftAssertions softly = new SoftAssertions();
        IMPORTED_AT_LEAST.forEach((root, minimum) -> softly.assertThat(topLevelClassesUnder(PRODUCTION + "." + root))
                .as("top-level classes imported under %s.%s", PRODUCTION, root).isGreaterThanOrEqualTo(minimum));
        softly.assertAll();
    }

    @Test
    void givenProductionImport_whenSearchedForFixturesAndTests_thenNoneIsIn() {
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getName)).noneMatch(name -> name.startsWith(FIXTURES + "."));
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getSimpleName))
                .doesNotContain(DependencyRuleTest.class.getSimpleName(), "InstanceStoreContract")
                .noneMatch(name -> name.endsWith("Test"));
        // workflow-testing ships a SettableClock of its own as main code; the application test-jar's must stay out.
        assertThat(PRODUCTION_CLASSES.stream().map(JavaClass::getName))
                .doesNotContain("net.reactory.workflow.application.service.SettableClock");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("ruleNames")
    void givenProductionCode_whenRuleChecked_thenItHolds(String ruleName) {
        ArchitectureRules.forRoot(PRODUCTION).get(ruleName).check(PRODUCTION_CLASSES);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("violations")
    void givenFixturesBreakingARule_whenThatRuleChecked_thenItFailsNamingEachFixture(String ruleName, List<Class<?>> violators) {
        ArchRule rule = ArchitectureRules.forRoot(FIXTURES).get(ruleName);
        assertThat(rule).as("rule '%s' exists", ruleName).isNotNull();
        assertThat(violators).allSatisfy(violator -> assertThat(FIXTURE_CLASSES.contain(violator))
                .as("fixture %s imported", violator.getName()).isTrue());

        assertThatThrownBy(() -> rule.check(FIXTURE_CLASSES)).isInstanceOf(AssertionError.class)
                .hasMessageContainingAll(violators.stream().map(violator -> "<" + violator.getName() + ".").toArray(String[]::new));
    }

    @Test
    void givenOnlyTheCleanFixtures_whenEveryRuleChecked_thenAllHold() {
        JavaClasses clean = FIXTURE_CLASSES.that(simpleNameStartingWith("Clean"));
        assertThat(clean.stream().map(JavaClass::getSimpleName)).contains("CleanDomain", "CleanService", "CleanInboundPort",
                "CleanDrivenPort", "CleanMongoAdapter", "CleanAdapterUsingInjectedClock", "CleanHttpUsingInboundPort", "CleanWiringUsingService",
                "CleanDefinitionsReader");

        ArchitectureRules.forRoot(FIXTURES).values().forEach(rule -> rule.allowEmptyShould(true).check(clean));
    }

    @Test
    void givenEveryRule_whenListed_thenEachHasAViolatingFixture() {
        assertThat(violations().map(a -> (String) a.get()[0]).toList())
                .containsExactlyInAnyOrderElementsOf(ArchitectureRules.forRoot(FIXTURES).keySet());
    }

    private static long topLevelClassesUnder(String packageName) {
        return PRODUCTION_CLASSES.stream().filter(JavaClass::isTopLevelClass)
                .filter(c -> c.getPackageName().equals(packageName) || c.getPackageName().startsWith(packageName + "."))
                .count();
    }

    private static Arguments violated(String ruleName, Class<?>... violators) {
        return Arguments.of(ruleName, Arrays.asList(violators));
    }
}
