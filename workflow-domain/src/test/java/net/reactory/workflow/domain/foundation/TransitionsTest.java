package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/** The state machine, without threads or clocks: time is an argument. */
class TransitionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final StepBody NOOP = ctx -> ExecutionResult.next();

    private final WorkflowDefinition sequential = WorkflowDefinition.compile(Workflow.of("t", "Seq", "1.0.0", steps -> steps
            .startWith("A", NOOP).then("B", NOOP).then("C", NOOP)));

    private final WorkflowDefinition branching = WorkflowDefinition.compile(Workflow.of("t", "Branch", "1.0.0", steps -> steps
            .startWith("Decide", NOOP).onOutcome("left", "Left").onOutcome("right", "Right")
            .then("Default", NOOP).end()
            .step("Left", NOOP).end()
            .step("Right", NOOP)));

    @Test
    void givenDefinition_whenStarted_thenOnePointerAtFirstStepRunnableNowAtRevisionOne() {
        Transition t = WorkflowTransitions.start("i1", sequential, Map.of("k", 1), "ref", T0);

        WorkflowInstance i = t.instance();
        assertThat(i.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(i.revision()).isEqualTo(1);
        assertThat(i.pointers()).singleElement().satisfies(p -> assertThat(p.stepId()).isZero());
        assertThat(i.nextExecution()).isEqualTo(T0);
        assertThat(i.reference()).isEqualTo("ref");
        assertThat(t.changes()).singleElement().isInstanceOf(WorkflowEvent.WorkflowStarted.class);
    }

    @Test
    void givenLease_whenStarted_thenTheNewInstanceIsHeldUnderItAndOtherwiseAsStartedUnheld() {
        Lease lease = new Lease("node-a", T0.plusSeconds(30));

        Transition held = WorkflowTransitions.start("i1", sequential, Map.of("k", 1), "ref", lease, T0);
        Transition unheld = WorkflowTransitions.start("i1", sequential, Map.of("k", 1), "ref", T0);

        assertThat(held.instance().lease()).isEqualTo(lease);
        assertThat(held.instance()).isEqualTo(unheld.instance().withLease(lease));
        assertThat(held.changes()).isEqualTo(unheld.changes());
    }

    @Test
    void givenSequentialWorkflow_whenEachStepSucceeds_thenStepsRunInOrderAndWorkflowCompletes() {
        WorkflowInstance i = WorkflowTransitions.start("i1", sequential, Map.of(), null, T0).instance();
        StringBuilder visited = new StringBuilder();
        int transitions = 0;
        while (i.status() == WorkflowStatus.RUNNABLE) {
            var pointer = WorkflowTransitions.duePointers(i, T0).get(0);
            visited.append(sequential.step(pointer.stepId()).name());
            Transition t = WorkflowTransitions.stepSucceeded(i, sequential, pointer.id(), ExecutionResult.next(), T0.plusSeconds(++transitions));
            assertThat(t.instance().revision()).isEqualTo(i.revision() + 1);
            i = t.instance();
        }

        assertThat(visited.toString()).isEqualTo("ABC");
        assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE);
        assertThat(i.completedAt()).isEqualTo(T0.plusSeconds(3));
        assertThat(i.pointers()).isEmpty();
        assertThat(i.nextExecution()).isNull();
    }

    @Test
    void givenLastStep_whenItSucceeds_thenChangesAreStepCompletedThenWorkflowCompleted() {
        WorkflowDefinition one = WorkflowDefinition.compile(Workflow.of("t", "One", "1.0.0", steps -> steps.startWith("Only", NOOP)));
        WorkflowInstance i = WorkflowTransitions.start("i1", one, Map.of(), null, T0).instance();

        Transition t = WorkflowTransitions.stepSucceeded(i, one, 0, ExecutionResult.next(), T0);

        assertThat(t.changes()).extracting(WorkflowEvent::getClass).containsExactly(
                (Class) WorkflowEvent.StepCompleted.class, (Class) WorkflowEvent.WorkflowCompleted.class);
        assertThat(t.changes()).allSatisfy(e -> assertThat(e.revision()).isEqualTo(2));
    }

    @Test
    void givenOutcomeStep_whenOutcomeMatchesABranch_thenThatBranchRunsElseTheDefault() {
        assertThat(stepAfterDecide(ExecutionResult.outcome("left"))).isEqualTo("Left");
        assertThat(stepAfterDecide(ExecutionResult.outcome("right"))).isEqualTo("Right");
        assertThat(stepAfterDecide(ExecutionResult.outcome("other"))).isEqualTo("Default");
        assertThat(stepAfterDecide(ExecutionResult.next())).isEqualTo("Default");
    }

    private String stepAfterDecide(ExecutionResult result) {
        WorkflowInstance i = WorkflowTransitions.start("i1", branching, Map.of(), null, T0).instance();
        WorkflowInstance after = WorkflowTransitions.stepSucceeded(i, branching, 0, result, T0).instance();
        return branching.step(after.pointers().get(0).stepId()).name();
    }

    @Test
    void givenStepReturningNewData_whenApplied_thenInstanceCarriesItAndOldInstanceIsUnchanged() {
        WorkflowInstance before = WorkflowTransitions.start("i1", sequential, Map.of("n", 1), null, T0).instance();

        WorkflowInstance after = WorkflowTransitions.stepSucceeded(before, sequential, 0, ExecutionResult.next(Map.of("n", 2)), T0).instance();

        assertThat(after.data()).isEqualTo(Map.of("n", 2));
        assertThat(before.data()).isEqualTo(Map.of("n", 1));
        assertThat(before.revision()).isEqualTo(1);
    }

    @Test
    void givenSleepResult_whenApplied_thenPointerNotDueUntilTheSleepEnds() {
        WorkflowInstance i = WorkflowTransitions.start("i1", sequential, Map.of(), null, T0).instance();

        WorkflowInstance sleeping = WorkflowTransitions.stepSucceeded(i, sequential, 0, ExecutionResult.sleep(Duration.ofMinutes(5), "state"), T0).instance();

        assertThat(sleeping.nextExecution()).isEqualTo(T0.plus(Duration.ofMinutes(5)));
        assertThat(WorkflowTransitions.duePointers(sleeping, T0.plusSeconds(299))).isEmpty();
        assertThat(WorkflowTransitions.duePointers(sleeping, T0.plusSeconds(300))).singleElement()
                .satisfies(p -> assertThat(p.persistedState()).isEqualTo("state"));
    }

    @Test
    void givenAttemptsLeft_whenStepFails_thenErrorKeptAndRetryScheduledAfterTheDelay() {
        WorkflowDefinition retrying = WorkflowDefinition.compile(Workflow.of("t", "R", "1.0.0", steps -> steps.startWith("A", NOOP).maxAttempts(2)));
        WorkflowInstance i = WorkflowTransitions.start("i1", retrying, Map.of(), null, T0).instance();
        StepError error = new StepError("A", "java.io.IOException", "down", 1, T0);

        Transition t = WorkflowTransitions.stepFailed(i, retrying, 0, error, Duration.ofSeconds(4), T0);

        assertThat(t.instance().status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(t.instance().errors()).containsExactly(error);
        assertThat(t.instance().pointers()).singleElement().satisfies(p -> {
            assertThat(p.attempt()).isEqualTo(2);
            assertThat(p.sleepUntil()).isEqualTo(T0.plusSeconds(4));
        });
        assertThat(t.changes()).hasAtLeastOneElementOfType(WorkflowEvent.RetryScheduled.class);
    }

    @Test
    void givenNoAttemptsLeft_whenStepFails_thenErrorBehaviourDecides() {
        assertThat(failOnce(ErrorBehaviour.FAIL).status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(failOnce(ErrorBehaviour.TERMINATE).status()).isEqualTo(WorkflowStatus.TERMINATED);
        WorkflowInstance suspended = failOnce(ErrorBehaviour.SUSPEND);
        assertThat(suspended.status()).isEqualTo(WorkflowStatus.SUSPENDED);
        assertThat(suspended.lastError().message()).isEqualTo("boom");
        WorkflowInstance resumed = WorkflowTransitions.resume(suspended, T0.plusSeconds(1)).instance();
        assertThat(WorkflowTransitions.duePointers(resumed, T0.plusSeconds(1))).singleElement()
                .satisfies(p -> assertThat(p.attempt()).isEqualTo(2));
    }

    private WorkflowInstance failOnce(ErrorBehaviour behaviour) {
        WorkflowDefinition d = WorkflowDefinition.compile(Workflow.of("t", "F", "1.0.0", steps -> steps.startWith("A", NOOP).onError(behaviour)));
        WorkflowInstance i = WorkflowTransitions.start("i1", d, Map.of(), null, T0).instance();
        return WorkflowTransitions.stepFailed(i, d, 0, new StepError("A", "X", "boom", 1, T0), Duration.ofSeconds(1), T0).instance();
    }

    @Test
    void givenSuspendedInstance_whenSuspendedAgain_thenNothingChanges() {
        WorkflowInstance i = WorkflowTransitions.start("i1", sequential, Map.of(), null, T0).instance();
        WorkflowInstance suspended = WorkflowTransitions.suspend(i, "ops", T0).instance();

        Transition again = WorkflowTransitions.suspend(suspended, "ops", T0.plusSeconds(1));

        assertThat(again.instance()).isSameAs(suspended);
        assertThat(again.changes()).isEmpty();
        assertThat(WorkflowTransitions.duePointers(suspended, T0)).isEmpty();
    }

    @Test
    void givenFinishedInstance_whenSuspendedResumedOrTerminated_thenClearErrorAndNoChange() {
        WorkflowDefinition one = WorkflowDefinition.compile(Workflow.of("t", "One", "1.0.0", steps -> steps.startWith("Only", NOOP)));
        WorkflowInstance done = WorkflowTransitions.stepSucceeded(
                WorkflowTransitions.start("i1", one, Map.of(), null, T0).instance(), one, 0, ExecutionResult.next(), T0).instance();

        assertThatThrownBy(() -> WorkflowTransitions.suspend(done, "x", T0)).isInstanceOf(InstanceFinishedException.class)
                .hasMessageContaining("i1").hasMessageContaining("COMPLETE");
        assertThatThrownBy(() -> WorkflowTransitions.resume(done, T0)).isInstanceOf(InstanceFinishedException.class);
        assertThatThrownBy(() -> WorkflowTransitions.terminate(done, "x", T0)).isInstanceOf(InstanceFinishedException.class);
    }

    @Test
    void givenRunningInstance_whenTerminatedTwice_thenTerminatedOnceWithOneEvent() {
        WorkflowInstance i = WorkflowTransitions.start("i1", sequential, Map.of(), null, T0).instance();

        Transition first = WorkflowTransitions.terminate(i, "ops", T0);
        Transition second = WorkflowTransitions.terminate(first.instance(), "ops", T0);

        assertThat(first.instance().status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(first.changes()).hasSize(1);
        assertThat(second.changes()).isEmpty();
    }
}
