package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.function.UnaryOperator;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.RetrySpec;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 15, point 7: retry, maxAttempts, timeout, dependsOn and onError on every kind of step of the typed builder. */
class StepOptionsTest {

    record Doc(int n, List<String> items) {
    }

    private static final RetrySpec SPEC = RetrySpec.backoff(Duration.ofSeconds(2), Duration.ofSeconds(8));

    /** Every kind of step, each followed by the same five options. */
    private static WorkflowBuilder<Doc> everyKind(UnaryOperator<WorkflowBuilder<Doc>> options) {
        WorkflowBuilder<Doc> b = WorkflowBuilder.define("opt", "Every", "1.0.0", Doc.class);
        options.apply(b.then("task", d -> d));
        options.apply(b.step("untyped", ctx -> ExecutionResult.next()));
        options.apply(b.decide("decide", Doc::n, x -> x.when(1, f -> f.then("one", d -> d))));
        options.apply(b.ifThen("if", d -> d.n() > 0, f -> f.then("positive", d -> d)));
        options.apply(b.whileDo("while", d -> false, f -> f.then("loop", d -> d)));
        options.apply(b.forEach("foreach", Doc::items, 2, f -> f.then("item", d -> d)));
        options.apply(b.parallel("parallel", a -> a.then("left", d -> d), c -> c.then("right", d -> d)));
        options.apply(b.delay("delay", Duration.ofSeconds(1)));
        options.apply(b.schedule("schedule", d -> Duration.ofSeconds(1), f -> f.then("later", d -> d)));
        options.apply(b.recur("recur", d -> Duration.ofSeconds(1), d -> true, f -> f.then("tick", d -> d)));
        options.apply(b.waitFor("wait", "go", d -> "k", (d, e) -> d));
        options.apply(b.saga("saga", s -> s.then("booked", d -> d)));
        options.apply(b.child("child", "opt.Child", d -> d, (d, out) -> d));
        return b;
    }

    private static final List<String> KINDS = List.of("task", "untyped", "decide", "if", "while", "foreach", "parallel", "delay",
            "schedule", "recur", "wait", "saga", "child");

    @Test
    void givenEveryKindOfStep_whenEachDeclaresRetryAttemptsTimeoutDependenciesAndErrorBehaviour_thenTheStepDefinitionHasThem() {
        WorkflowDefinition definition = WorkflowDefinition.compile(everyKind(b -> b
                .retry(SPEC).maxAttempts(4).timeout(Duration.ofSeconds(30)).dependsOn("billing", "mail").onError(ErrorBehaviour.SUSPEND))
                .build());

        for (String kind : KINDS) {
            StepDefinition step = step(definition, kind);
            assertThat(step.policy().retry()).as(kind).isEqualTo(SPEC);
            assertThat(step.maxAttempts()).as(kind).isEqualTo(4);
            assertThat(step.policy().timeout()).as(kind).isEqualTo(Duration.ofSeconds(30));
            assertThat(step.policy().dependencies()).as(kind).containsExactly("billing", "mail");
            assertThat(step.onError()).as(kind).isEqualTo(ErrorBehaviour.SUSPEND);
        }
        // The blocks' own steps keep their defaults: an option belongs to the step it follows.
        assertThat(step(definition, "item").policy().timeout()).isNull();
        assertThat(step(definition, "item").maxAttempts()).isEqualTo(1);
    }

    @Test
    void givenDependsOnCalledTwice_whenCompiled_thenTheDependenciesAddUpWithoutDuplicates() {
        WorkflowDefinition definition = WorkflowDefinition.compile(WorkflowBuilder.define("opt", "Deps", "1.0.0", Doc.class)
                .then("call", d -> d).dependsOn("billing").dependsOn("billing", "mail").build());

        assertThat(step(definition, "call").policy().dependencies()).containsExactly("billing", "mail");
    }

    @Test
    void givenBadOptions_whenRegistered_thenEveryProblemIsReportedWithItsStep() {
        var bad = WorkflowBuilder.define("opt", "Bad", "1.0.0", Doc.class)
                .then("zero", d -> d).timeout(Duration.ZERO)
                .waitFor("wait", "go", d -> "k", (d, e) -> d).retry(null).maxAttempts(0)
                .forEach("each", Doc::items, f -> f.then("x", d -> d)).dependsOn(" ")
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(bad))
                .isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'zero' asks for timeout PT0S: it must be positive")
                .hasMessageContaining("step 'wait' has a null retry spec")
                .hasMessageContaining("step 'wait' asks for 0 attempts: at least 1 is needed")
                .hasMessageContaining("step 'each' names a blank dependency");
    }

    @Test
    void givenAnOptionBeforeAnyStep_whenRegistered_thenItIsRefusedByName() {
        var bad = WorkflowBuilder.define("opt", "First", "1.0.0", Doc.class).timeout(Duration.ofSeconds(1)).then("a", d -> d).build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(bad)).hasMessageContaining("timeout has no step before it");
    }

    @Test
    void givenATypedStepWithThreeAttempts_whenItFailsTwice_thenTheThirdAttemptCompletesTheWorkflow() {
        int[] calls = {0};
        Drive d = Drive.start(WorkflowBuilder.define("opt", "Retry", "1.0.0", Doc.class)
                .then("flaky", (doc, ctx) -> ++calls[0] < 3 ? ExecutionResult.fail("Busy", "try again") : ExecutionResult.next())
                .maxAttempts(3).retry(SPEC)
                .build(), new Doc(0, List.of())).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(calls[0]).isEqualTo(3);
    }

    static StepDefinition step(WorkflowDefinition definition, String name) {
        return definition.steps().stream().filter(s -> s.name().equals(name)).findFirst().orElseThrow(() -> new AssertionError("no step " + name));
    }
}
