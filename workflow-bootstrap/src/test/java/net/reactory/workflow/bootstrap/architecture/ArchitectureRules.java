package net.reactory.workflow.bootstrap.architecture;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.AccessTarget;
import com.tngtech.archunit.core.domain.AccessTarget.CodeUnitAccessTarget;
import com.tngtech.archunit.core.domain.JavaAccess;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rule of DESIGN.md §1 and issue 12, one rule a line, for any root package: the production code
 * lives under {@code net.reactory.workflow}, the deliberately violating fixtures under
 * {@code net.reactory.workflow.archfixture}. Layers are allow-listed where the design names what they may use,
 * and deny-listed where it names what they must not.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    static Map<String, ArchRule> forRoot(String root) {
        String domain = root + ".domain..";
        String application = root + ".application..";
        String portIn = root + ".application.port.in..";
        String portOut = root + ".application.port.out..";
        String service = root + ".application.service..";
        String adapters = root + ".adapter..";
        String bootstrap = root + ".bootstrap..";
        String definitions = root + ".definitions..";
        String tracing = root + ".tracing..";

        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("domain depends only on java.lang, java.util and java.time",
                only(domain).mayDependOn(domain, "java.lang..", "java.util..", "java.time.."));
        rules.put("application depends only on itself, the domain, the JDK, slf4j, failsafe and cron-utils",
                only(application).mayDependOn(application, domain, "java..", "org.slf4j..", "dev.failsafe..", "com.cronutils.."));
        rules.put("ports depend on no service",
                no(root + ".application.port..").mayDependOn(service));
        rules.put("inbound ports depend on no driven port",
                no(portIn).mayDependOn(portOut));
        rules.put("the rooms below the runner's facade never call back into it",
                noClasses().that().resideInAPackage(root + ".application.service.*..").should().dependOnClassesThat(
                        name(root + ".application.service.WorkflowRunnerService")
                                .or(name(root + ".application.service.WorkflowRunnerBuilder"))));
        rules.put("adapters depend on no service nor bootstrap",
                no(adapters).mayDependOn(service, bootstrap));
        rules.put("adapters depend on no other adapter",
                slices().matching(root + ".adapter.(*)..").should().notDependOnEachOther());
        rules.put("only bootstrap touches Guice",
                noClasses().that().resideInAPackage(root + "..").and().resideOutsideOfPackage(bootstrap)
                        .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..", "javax.inject.."));
        rules.put("bootstrap's HTTP, CLI and definitions reach the application only through port.in",
                noClasses().that().resideInAnyPackage(root + ".bootstrap.http..", root + ".bootstrap.cli..", root + ".bootstrap.definitions..")
                        .should().dependOnClassesThat(resideInAPackage(application).and(resideOutsideOfPackage(portIn))));
        rules.put("definitions depend only on themselves, the domain, port.in, Jackson, the JDK and slf4j",
                only(definitions).mayDependOn(definitions, domain, portIn, "com.fasterxml.jackson..", "java..", "org.slf4j.."));
        rules.put("tracing depends only on itself, port.in, the domain, the OpenTelemetry API, the JDK and slf4j",
                only(tracing).mayDependOn(tracing, portIn, domain, "java..", "io.opentelemetry.api..", "io.opentelemetry.context..", "org.slf4j.."));
        rules.put("domain, application and adapters read the time only from the injected InstantSource",
                noClasses().that().resideInAnyPackage(domain, application, adapters).should().accessTargetWhere(READS_THE_SYSTEM_CLOCK));
        return rules;
    }

    /**
     * The wall clock read behind the injected {@code InstantSource}'s back: {@code Instant.now()} and every other
     * java.time {@code now()} that takes no {@code Clock}, {@code System.currentTimeMillis()}, {@code new Date()}
     * ({@code new Date(clock.millis())} and {@code Date.from(instant)} convert what the injected clock said), and {@code Clock.system…()}.
     * Calls and method references ({@code Instant::now}) alike. Not listed: {@code System.nanoTime()}, which measures
     * elapsed time and cannot be confused with "now"; and {@code InstantSource.system()}, the named default a
     * composition root (the builder, the Guice module) injects.
     */
    static final DescribedPredicate<JavaAccess<?>> READS_THE_SYSTEM_CLOCK = DescribedPredicate.describe(
            "reads the system clock (java.time now() without a Clock, System.currentTimeMillis(), new Date(), Clock.system…())",
            access -> readsTheSystemClock(access.getTarget()));

    private static boolean readsTheSystemClock(AccessTarget target) {
        String owner = target.getOwner().getName();
        String name = target.getName();
        List<String> parameters = target instanceof CodeUnitAccessTarget codeUnit
                ? codeUnit.getRawParameterTypes().stream().map(JavaClass::getName).toList()
                : List.of();
        return owner.equals("java.lang.System") && name.equals("currentTimeMillis")
                || owner.equals("java.util.Date") && name.equals("<init>") && parameters.isEmpty()
                || owner.equals("java.time.Clock") && name.startsWith("system")
                || target.getOwner().getPackageName().equals("java.time") && name.equals("now")
                        && !parameters.equals(List.of("java.time.Clock"));
    }

    private static LayerRule only(String layer) {
        return allowed -> classes().that().resideInAPackage(layer).should().onlyDependOnClassesThat().resideInAnyPackage(allowed);
    }

    private static LayerRule no(String layer) {
        return forbidden -> noClasses().that().resideInAPackage(layer).should().dependOnClassesThat().resideInAnyPackage(forbidden);
    }

    /** Reads as {@code only(layer).mayDependOn(…)} and {@code no(layer).mayDependOn(…)}. */
    @FunctionalInterface
    private interface LayerRule {
        ArchRule mayDependOn(String... packages);
    }
}
