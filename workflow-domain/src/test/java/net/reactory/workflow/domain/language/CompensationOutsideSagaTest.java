package net.reactory.workflow.domain.language;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.InvalidWorkflowException;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * Issue 15, defect 6: a compensation that no failure could ever run (outside any saga, under the default FAIL) is
 * refused at registration, naming the step; one that a compensating error behaviour can reach still runs.
 */
class CompensationOutsideSagaTest {

    record Log(List<String> lines) {
        Log note(String line) {
            List<String> more = new java.util.ArrayList<>(lines);
            more.add(line);
            return new Log(more);
        }
    }

    private static WorkflowBuilder<Log> flow(String name) {
        return WorkflowBuilder.define("outside", name, "1.0.0", Log.class);
    }

    @Test
    void givenCompensationOnATopLevelStepUnderFail_whenRegistered_thenRefusedNamingTheStep() {
        Workflow wf = flow("TopLevel")
                .startWith("charge", l -> l.note("charged")).compensateWith("refund", l -> l.note("refunded"))
                .then("ship", (l, ctx) -> ExecutionResult.fail("NoStock", "none left"))
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf)).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'charge' has a compensation that would never run")
                .hasMessageContaining("put it in a saga");
    }

    @Test
    void givenCompensationInAForeachOutsideAnySaga_whenRegistered_thenRefusedNamingTheStep() {
        Workflow wf = flow("Foreach")
                .forEach("each", l -> List.of(1, 2), f -> f.then("pack", l -> l).compensateWith("unpack", l -> l))
                .build();

        assertThatThrownBy(() -> WorkflowDefinition.compile(wf)).isInstanceOf(InvalidWorkflowException.class)
                .hasMessageContaining("step 'pack' has a compensation that would never run");
    }

    @Test
    void givenCompensationOnATopLevelStepAndALaterStepThatCompensates_whenItFails_thenTheCompensationRuns() {
        Workflow wf = flow("Compensating")
                .startWith("charge", l -> l.note("charged")).compensateWith("refund", l -> l.note("refunded"))
                .then("ship", (l, ctx) -> ExecutionResult.fail("NoStock", "none left")).onError(ErrorBehaviour.COMPENSATE)
                .build();

        Drive d = Drive.start(wf, new Log(List.of())).runToEnd();

        assertThat(d.instance.status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(((Log) d.instance.data()).lines()).containsExactly("charged", "refunded");
    }

    @Test
    void givenCompensationsInSagasAndOnASagaItself_whenRegistered_thenAccepted() {
        Workflow wf = flow("Sagas")
                .saga("tx", s -> s
                        .startWith("a", l -> l).compensateWith("undo a", l -> l)
                        .forEach("each", l -> List.of(1), f -> f.then("pack", l -> l).compensateWith("unpack", l -> l)))
                .compensateWith("undo tx", l -> l)
                .build();

        assertThatCode(() -> WorkflowDefinition.compile(wf)).doesNotThrowAnyException();
    }
}
