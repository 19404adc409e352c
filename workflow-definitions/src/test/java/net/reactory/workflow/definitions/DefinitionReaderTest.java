package net.reactory.workflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

/** Reading JSON definitions: good ones load, each bad one says where and what, and does not stop the others. */
class DefinitionReaderTest {

    private static final String GOOD = """
            {"nameSpace": "json", "name": "Good", "version": "1.0.0",
             "steps": [
               {"name": "hello", "type": "log", "params": {"message": "order ${orderId}"}},
               {"name": "mark", "type": "set-data", "values": {"status": "seen", "copy": "${orderId}"}},
               {"name": "paid", "type": "wait-for-event", "event": "order.paid", "key": "${orderId}", "into": "payment"},
               {"name": "cool", "type": "delay", "duration": "PT5M"},
               {"name": "charge", "type": "charge", "params": {"amount": 5}, "maxAttempts": 3, "onError": "compensate",
                "compensateWith": [{"name": "refund", "type": "log", "params": {"message": "refund"}}]},
               {"name": "each", "type": "foreach", "items": "lines", "parallelism": 2,
                "steps": [{"name": "ship", "type": "log", "params": {"message": "ship"}}]},
               {"name": "route", "type": "decide", "on": "status",
                "branches": {"seen": [{"name": "tell", "type": "publish-event", "event": "order.seen", "key": "${orderId}"}]}},
               {"name": "stop", "type": "end"}]}
            """;

    /** Ten (and more) broken files, each with the one problem it must be reported with. */
    private static final Map<String, String> BROKEN = new LinkedHashMap<>();

    static {
        BROKEN.put("""
                {"nameSpace": "json", "name": "Syntax", "version": "1.0.0", "steps": [ }
                """, "line 1, column 72: not valid JSON: Unexpected close marker '}': expected ']' (for Array starting at [line: 1, column: 70])");
        BROKEN.put("", "$: the document is empty");
        BROKEN.put("[1, 2]", "$: expected an object with nameSpace, name, version and steps, found array");
        BROKEN.put("""
                {"nameSpace": "json", "version": "1.0.0", "steps": [{"name": "a", "type": "log", "params": {"message": "x"}}]}
                """, "$.name: missing");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadVersion", "version": "1.0", "steps": [{"name": "a", "type": "end"}]}
                """, "$.version: '1.0' is not a semantic version");
        BROKEN.put("""
                {"nameSpace": "json", "name": "StepsObject", "version": "1.0.0", "steps": {"name": "a"}}
                """, "$.steps: expected an array of steps, found object");
        BROKEN.put("""
                {"nameSpace": "json", "name": "NoType", "version": "1.0.0", "steps": [{"name": "a", "type": "end"}, {"name": "b"}]}
                """, "$.steps[1].type: missing");
        BROKEN.put("""
                {"nameSpace": "json", "name": "UnknownType", "version": "1.0.0", "steps": [{"name": "a", "type": "frobnicate"}]}
                """, "$.steps[0].type: unknown step type 'frobnicate' (known: ");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadDelay", "version": "1.0.0", "steps": [{"name": "a", "type": "delay", "duration": "soon"}]}
                """, "$.steps[0].duration: \"soon\" is not a duration");
        BROKEN.put("""
                {"nameSpace": "json", "name": "NoEvent", "version": "1.0.0", "steps": [{"name": "a", "type": "wait-for-event", "key": "k"}]}
                """, "$.steps[0].event: missing");
        BROKEN.put("""
                {"nameSpace": "json", "name": "Colour", "version": "1.0.0", "steps": [{"name": "a", "type": "end", "colour": "red"}]}
                """, "$.steps[0].colour: unknown field");
        BROKEN.put("""
                {"nameSpace": "json", "name": "Twice", "version": "1.0.0",
                 "steps": [{"name": "a", "type": "end"}, {"name": "x", "type": "saga", "steps": [{"name": "a", "type": "end"}]}]}
                """, "$.steps[1].steps[0].name: step name 'a' is used twice (first at $.steps[0].name)");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadParams", "version": "1.0.0", "steps": [{"name": "a", "type": "charge", "params": {"amount": "lots"}}]}
                """, "$.steps[0].params: amount must be a number");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadOnError", "version": "1.0.0", "steps": [{"name": "a", "type": "end", "onError": "explode"}]}
                """, "$.steps[0].onError: 'explode' is not one of fail, suspend, terminate, compensate");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadCondition", "version": "1.0.0",
                 "steps": [{"name": "a", "type": "if", "condition": {"field": "n", "lessThan": "three"}, "steps": [{"name": "b", "type": "end"}]}]}
                """, "$.steps[0].condition.lessThan: expected a number, found string");
        BROKEN.put("""
                {"nameSpace": "json", "name": "TwoOps", "version": "1.0.0",
                 "steps": [{"name": "a", "type": "while", "condition": {"field": "n", "lessThan": 3, "equals": 1}, "steps": [{"name": "b", "type": "end"}]}]}
                """, "$.steps[0].condition: expected exactly one of atLeast, atMost, equals, exists, greaterThan, lessThan, notEquals, "
                + "found [lessThan, equals]");
        BROKEN.put("""
                {"nameSpace": "json", "name": "NoUntil", "version": "1.0.0",
                 "steps": [{"name": "a", "type": "recur", "interval": "PT1H", "steps": [{"name": "b", "type": "end"}]}]}
                """, "$.steps[0].until: missing: a field name, or an object such as");
        BROKEN.put("""
                {"nameSpace": "json", "name": "NoBlock", "version": "1.0.0", "steps": [{"name": "a", "type": "schedule", "after": "PT1H"}]}
                """, "$.steps[0].steps: missing");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadRetry", "version": "1.0.0",
                 "steps": [{"name": "a", "type": "end", "retry": {"initialDelay": "PT1S", "multiplier": 0.5}}]}
                """, "$.steps[0].retry: multiplier must be at least 1: 0.5");
        BROKEN.put("""
                {"nameSpace": "json", "name": "RetryField", "version": "1.0.0", "steps": [{"name": "a", "type": "end", "retry": {"backoff": 2}}]}
                """, "$.steps[0].retry.backoff: unknown field (allowed here: abortOn, initialDelay, jitter, maxDelay, multiplier, retryOn)");
        BROKEN.put("""
                {"nameSpace": "json", "name": "ZeroTimeout", "version": "1.0.0", "steps": [{"name": "a", "type": "end", "timeout": "PT0S"}]}
                """, "$.steps[0].timeout: must be longer than zero");
        BROKEN.put("""
                {"nameSpace": "json", "name": "BadDepends", "version": "1.0.0", "steps": [{"name": "a", "type": "end", "dependsOn": "crm"}]}
                """, "$.steps[0].dependsOn: expected an array of texts, found string");
        BROKEN.put("""
                {"nameSpace": "json", "name": "Dup", "name": "Dup2", "version": "1.0.0", "steps": []}
                """, "not valid JSON: Duplicate field 'name'");
    }

    private final List<String> published = new ArrayList<>();

    private DefinitionReader reader() {
        StepTypes types = StepTypes.builtIn().register("charge", params -> {
            if (!(params.get("amount") instanceof Number)) throw new IllegalArgumentException("amount must be a number");
            return ctx -> ExecutionResult.next();
        });
        return new DefinitionReader(types, (id, name, key, data) -> published.add(name + "/" + key));
    }

    @Test
    void givenGoodDefinition_whenRead_thenItCompilesWithEveryStep() {
        Workflow workflow = reader().read("good.json", GOOD);

        WorkflowDefinition definition = WorkflowDefinition.compile(workflow);
        assertThat(definition.key().toString()).isEqualTo("json.Good@1.0.0");
        assertThat(definition.steps()).extracting(s -> s.name())
                .contains("hello", "mark", "paid", "cool", "charge", "refund", "each", "ship", "route", "tell", "stop");
        assertThat(definition.steps().stream().filter(s -> s.name().equals("charge")).findFirst().orElseThrow().maxAttempts()).isEqualTo(3);
    }

    @Test
    void givenFolderWithTwoGoodAndManyBrokenFiles_whenRead_thenGoodOnesLoadAndEachBrokenOneHasItsPreciseError(@TempDir Path dir) throws IOException {
        Files.writeString(dir.resolve("a-good.json"), GOOD);
        Files.writeString(dir.resolve("z-good.json"), GOOD.replace("\"Good\"", "\"AlsoGood\""));
        Files.writeString(dir.resolve("notes.txt"), "not a definition");
        int i = 0;
        Map<String, String> expected = new LinkedHashMap<>();
        for (var e : BROKEN.entrySet()) {
            String file = "broken-" + (i < 10 ? "0" : "") + i++ + ".json";
            Files.writeString(dir.resolve(file), e.getKey());
            expected.put(dir.resolve(file).toString(), e.getValue());
        }

        DefinitionReader.Loaded loaded = reader().readDirectory(dir);

        assertThat(loaded.workflows()).extracting(Workflow::name).containsExactly("Good", "AlsoGood");
        assertThat(BROKEN).hasSizeGreaterThanOrEqualTo(10);
        assertThat(loaded.failures()).hasSize(BROKEN.size());
        for (DefinitionException failure : loaded.failures()) {
            String want = expected.get(failure.source());
            assertThat(failure.problems()).as(failure.source()).anySatisfy(p -> assertThat(p).contains(want));
            assertThat(failure.getMessage()).startsWith(failure.source() + ": ");
        }
    }

    @Test
    void givenSeveralMistakesInOneFile_whenRead_thenAllAreReported() {
        String json = """
                {"nameSpace": "json", "name": "Many", "version": "x",
                 "steps": [{"name": "a", "type": "delay"}, {"name": "b", "type": "nope"}, {"type": "end"}]}
                """;

        assertThatThrownBy(() -> reader().read("many.json", json)).isInstanceOfSatisfying(DefinitionException.class, e ->
                assertThat(e.problems()).containsExactly(
                        "$.version: 'x' is not a semantic version (expected MAJOR.MINOR.PATCH such as 1.0.0)",
                        "$.steps[0].duration: missing: ISO-8601 such as PT5M, or milliseconds",
                        "$.steps[1].type: unknown step type 'nope' (known: charge, child, decide, delay, end, foreach, if, log, parallel, "
                                + "publish-event, recur, saga, schedule, set-data, wait-for-event, while)",
                        "$.steps[2].name: missing"));
    }

    @Test
    void givenStepTypeNameTaken_whenRegisteredAgain_thenRefused() {
        assertThatThrownBy(() -> StepTypes.builtIn().register("log", p -> c -> ExecutionResult.next()))
                .hasMessageContaining("'log' is registered already");
        assertThatThrownBy(() -> StepTypes.builtIn().register("delay", p -> c -> ExecutionResult.next()))
                .hasMessageContaining("'delay' is registered already");
    }
}
