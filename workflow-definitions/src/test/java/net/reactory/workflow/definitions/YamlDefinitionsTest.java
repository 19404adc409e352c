package net.reactory.workflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.testing.WorkflowTestHarness;

/** YAML definitions: the JSON document written as YAML, the same workflow, and the same errors (file, path, problem). */
class YamlDefinitionsTest {

    private static final String JSON = """
            {"nameSpace": "yaml", "name": "Order", "version": "1.0.0",
             "steps": [
               {"name": "hello", "type": "log", "params": {"message": "order ${orderId}"}},
               {"name": "big?", "type": "if", "condition": {"field": "total", "greaterThan": 100},
                "steps": [{"name": "review", "type": "set-data", "values": {"review": true}}]},
               {"name": "paid", "type": "wait-for-event", "event": "order.paid", "key": "${orderId}", "into": "payment",
                "timeout": "PT1M", "maxAttempts": 2},
               {"name": "done", "type": "set-data", "values": {"status": "paid"}}]}
            """;

    private static final String YAML = """
            # the same definition as JSON above
            nameSpace: yaml
            name: Order
            version: 1.0.0
            steps:
              - name: hello
                type: log
                params: {message: "order ${orderId}"}
              - name: big?
                type: if
                condition: {field: total, greaterThan: 100}
                steps:
                  - {name: review, type: set-data, values: {review: true}}
              - name: paid
                type: wait-for-event
                event: order.paid
                key: ${orderId}
                into: payment
                timeout: PT1M
                maxAttempts: 2
              - name: done
                type: set-data
                values:
                  status: paid
            """;

    private final DefinitionReader reader = new DefinitionReader(StepTypes.builtIn(), (id, n, k, d) -> { });

    @Test
    void givenTheSameDefinitionInJsonAndYaml_whenRead_thenTheyCompileToTheSameSteps() {
        WorkflowDefinition json = WorkflowDefinition.compile(reader.read("order.json", JSON));
        WorkflowDefinition yaml = WorkflowDefinition.compile(reader.readYaml("order.yaml", YAML));

        assertThat(yaml.key()).isEqualTo(json.key());
        assertThat(yaml.steps()).extracting(StepDefinition::name, StepDefinition::maxAttempts, s -> s.policy().timeout())
                .isEqualTo(json.steps().stream().map(s -> org.assertj.core.groups.Tuple.tuple(s.name(), s.maxAttempts(), s.policy().timeout())).toList());
        assertThat(yaml.steps()).extracting(StepDefinition::name).contains("hello", "big?", "review", "paid", "done");
    }

    @Test
    void givenYamlDefinition_whenRun_thenItBehavesAsWritten() {
        try (WorkflowTestHarness harness = WorkflowTestHarness.of(reader.readYaml("order.yaml", YAML))) {
            String id = harness.start("yaml.Order", Map.of("orderId", "o-1", "total", 150));
            harness.awaitIdle(id);
            harness.publishEvent("order.paid", "o-1", "card");

            WorkflowInstance done = harness.awaitFinished(id);

            assertThat(done.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(done.data()).isEqualTo(Map.of("orderId", "o-1", "total", 150, "review", true, "payment", "card", "status", "paid"));
        }
    }

    @Test
    void givenBrokenYaml_whenRead_thenTheErrorNamesTheFileTheLineAndColumnOrThePathAndTheProblem() {
        assertThat(problems("syntax.yaml", "nameSpace: yaml\nname: [Order\nversion: 1.0.0\n")).containsExactly(
                "line 3, column 8: not valid YAML: while parsing a flow sequence (line 2, column 7); expected ',' or ']', but got :");
        assertThat(problems("indent.yaml", "nameSpace: yaml\n  name: Order\n"))
                .containsExactly("line 2, column 7: not valid YAML: mapping values are not allowed here");
        assertThat(problems("tab.yaml", "nameSpace: yaml\n\tname: Order\n")).singleElement().asString()
                .startsWith("line 2, column 1: not valid YAML: ").contains("Do not use \\t(TAB) for indentation");
        assertThat(problems("dup.yaml", "nameSpace: yaml\nname: A\nname: B\nversion: 1.0.0\nsteps: []\n"))
                .singleElement().asString().contains("not valid YAML: Duplicate field 'name'");
        assertThat(problems("empty.yaml", "# nothing but a comment\n")).containsExactly("$: the document is empty");
        assertThat(problems("list.yaml", "- a\n- b\n"))
                .containsExactly("$: expected an object with nameSpace, name, version and steps, found array");
        assertThat(problems("bad.yaml", YAML.replace("timeout: PT1M", "timeout: soon").replace("greaterThan: 100", "greaterThan: lots")))
                .containsExactly("$.steps[1].condition.greaterThan: expected a number, found string",
                        "$.steps[2].timeout: \"soon\" is not a duration (ISO-8601 such as PT5M, or milliseconds, not negative)");
        // YAML reads 1.0 as a number, so an unquoted short version is caught as JSON's would be.
        assertThat(problems("version.yaml", YAML.replace("version: 1.0.0", "version: 1.0")))
                .containsExactly("$.version: expected a text, found number");
    }

    @Test
    void givenFolderWithJsonYamlAndYmlFiles_whenRead_thenEachIsReadInItsFormatAndTheBadOneNamesItsFile(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a.json"), JSON.replace("\"Order\"", "\"FromJson\""));
        Files.writeString(dir.resolve("b.yaml"), YAML.replace("name: Order", "name: FromYaml"));
        Files.writeString(dir.resolve("c.yml"), YAML.replace("name: Order", "name: FromYml"));
        Files.writeString(dir.resolve("d.yml"), YAML.replace("type: log", "type: nope"));
        Files.writeString(dir.resolve("notes.txt"), "not a definition");

        DefinitionReader.Loaded loaded = reader.readDirectory(dir);

        assertThat(loaded.workflows()).extracting(Workflow::name).containsExactly("FromJson", "FromYaml", "FromYml");
        assertThat(loaded.failures()).singleElement().satisfies(f -> {
            assertThat(f.source()).isEqualTo(dir.resolve("d.yml").toString());
            assertThat(f.problems()).singleElement().asString().startsWith("$.steps[0].type: unknown step type 'nope'");
            assertThat(f.getMessage()).startsWith(dir.resolve("d.yml") + ": $.steps[0].type:");
        });
    }

    private List<String> problems(String source, String yaml) {
        try {
            reader.readYaml(source, yaml);
        } catch (DefinitionException e) {
            assertThat(e.source()).isEqualTo(source);
            assertThat(e.getMessage()).startsWith(source + ": ");
            return e.problems();
        }
        throw new AssertionError(source + " was read, though broken");
    }
}
