package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;

class DefinitionValidationTest {

    private static final StepBody NOOP = ctx -> ExecutionResult.next();

    @Test
    void givenValidGraph_whenCompiled_thenStepsLinkedInOrderWithOutcomeTargets() {
        WorkflowDefinition definition = WorkflowDefinition.compile(Workflow.of("shop", "Order", "1.2.0", steps -> steps
                .startWith("Check", NOOP).onOutcome("reject", "Reject")
                .then("Ship", NOOP).end()
                .step("Reject", NOOP)));

        assertThat(definition.key().toString()).isEqualTo("shop.Order@1.2.0");
        assertThat(definition.steps()).extracting(StepDefinition::name).containsExactly("Check", "Ship", "Reject");
        assertThat(definition.step(0).next()).isEqualTo(1);
        assertThat(definition.step(0).successorFor("reject")).isEqualTo(2);
        assertThat(definition.step(1).next()).isEqualTo(StepDefinition.NONE);
        assertThat(definition.step(2).next()).isEqualTo(StepDefinition.NONE);
    }

    @Test
    void givenWorkflowWithManyMistakes_whenCompiled_thenEveryProblemReportedAtOnce() {
        Workflow bad = new Workflow("", "Bad.Name", "1.0", steps -> steps
                .startWith("A", NOOP).onOutcome("x", "Nowhere")
                .then("B", NOOP).goTo("Missing")
                .step("Orphan", NOOP)
                .step("A", NOOP),
                "workflow", false, Map.of("retries", -2));

        InvalidWorkflowException error = catchThrowableOfType(InvalidWorkflowException.class, () -> WorkflowDefinition.compile(bad));

        assertThat(error.problems()).anySatisfy(p -> assertThat(p).contains("nameSpace is missing"))
                .anySatisfy(p -> assertThat(p).contains("name 'Bad.Name'"))
                .anySatisfy(p -> assertThat(p).contains("version '1.0'"))
                .anySatisfy(p -> assertThat(p).contains("props.retries"))
                .anySatisfy(p -> assertThat(p).contains("unknown step 'Nowhere'"))
                .anySatisfy(p -> assertThat(p).contains("unknown step 'Missing'"))
                .anySatisfy(p -> assertThat(p).contains("'Orphan' can never be reached"))
                .anySatisfy(p -> assertThat(p).contains("'A' is used twice"));
        assertThat(error.getMessage()).contains("Nowhere").contains("Orphan");
    }

    @Test
    void givenNoSteps_whenCompiled_thenEmptyGraphReported() {
        InvalidWorkflowException error = catchThrowableOfType(InvalidWorkflowException.class,
                () -> WorkflowDefinition.compile(Workflow.of("a", "B", "1.0.0", steps -> { })));

        assertThat(error.problems()).containsExactly("the workflow has no steps");
    }

    @Test
    void givenMissingComponentOrThrowingComponent_whenCompiled_thenReportedNotThrownThrough() {
        assertThat(catchThrowableOfType(InvalidWorkflowException.class,
                () -> WorkflowDefinition.compile(Workflow.of("a", "B", "1.0.0", null))).problems())
                .containsExactly("component is missing: nothing declares the steps");
        assertThat(catchThrowableOfType(InvalidWorkflowException.class,
                () -> WorkflowDefinition.compile(Workflow.of("a", "B", "1.0.0", steps -> { throw new IllegalStateException("boom"); }))).problems())
                .singleElement().satisfies(p -> assertThat(p).contains("boom"));
    }

    @Test
    void givenRetriesProp_whenCompiled_thenStepsGetThatManyExtraAttempts() {
        WorkflowDefinition definition = WorkflowDefinition.compile(Workflow.of("a", "B", "1.0.0", steps -> steps
                .startWith("One", NOOP).then("Two", NOOP).maxAttempts(7)).withProps(Map.of("retries", 3)));

        assertThat(definition.step(0).maxAttempts()).isEqualTo(4);
        assertThat(definition.step(1).maxAttempts()).isEqualTo(7);
    }
}
