package net.reactory.workflow.bootstrap.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.LinkedHashMap;
import java.util.Map;

import com.tngtech.archunit.lang.ArchRule;

/**
 * The dependency rule of DESIGN.md §1, one rule a line, for any root package: the production code
 * lives under {@code net.reactory.workflow}, the deliberately violating fixtures under
 * {@code net.reactory.workflow.archfixture}.
 */
final class ArchitectureRules {

    private ArchitectureRules() {
    }

    static Map<String, ArchRule> forRoot(String root) {
        Map<String, ArchRule> rules = new LinkedHashMap<>();
        rules.put("domain depends only on the JDK", classes().that().resideInAPackage(root + ".domain..")
                .should().onlyDependOnClassesThat().resideInAnyPackage(root + ".domain..", "java.."));
        rules.put("application depends on no adapter, bootstrap or driver", noClasses().that().resideInAPackage(root + ".application..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".adapter..", root + ".bootstrap..",
                        "com.mongodb..", "org.bson..", "com.rabbitmq..", "com.fasterxml..", "com.google.inject.."));
        rules.put("ports depend on no service", noClasses().that().resideInAPackage(root + ".application.port..")
                .should().dependOnClassesThat().resideInAPackage(root + ".application.service.."));
        rules.put("adapters depend on no service nor bootstrap", noClasses().that().resideInAPackage(root + ".adapter..")
                .should().dependOnClassesThat().resideInAnyPackage(root + ".application.service..", root + ".bootstrap.."));
        rules.put("adapters depend on no other adapter", slices().matching(root + ".adapter.(*)..")
                .should().notDependOnEachOther());
        rules.put("only bootstrap touches Guice", noClasses().that().resideInAPackage(root + "..")
                .and().resideOutsideOfPackage(root + ".bootstrap..")
                .should().dependOnClassesThat().resideInAnyPackage("com.google.inject..", "jakarta.inject..", "javax.inject.."));
        return rules;
    }
}
