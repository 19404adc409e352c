package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.execution.Deadlines;
import net.reactory.workflow.domain.step.ExecutionResult;
import net.reactory.workflow.domain.step.StepBody;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.definition.WorkflowOptions;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/** The workflow deadline as a pure transition: whether it has passed, and how the instance ends. */
class DeadlineExpiryTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final ExecutionResult SLEEP_RESULT = ExecutionResult.sleep(Duration.ofHours(1), "slept");
    private static final StepBody SLEEP = ctx -> SLEEP_RESULT;

    private static WorkflowDefinition definition(Map<String, Object> props) {
        return WorkflowDefinition.compile(Workflow.of("t", "D", "1.0.0", steps -> steps.startWith("A", SLEEP).then("B", SLEEP))
                .withProps(props));
    }

    private final WorkflowDefinition oneMinute = definition(Map.of("deadline", 60_000));

    /** An instance created at T0, asleep in step A, leased by a node. */
    private WorkflowInstance sleeping(WorkflowDefinition d) {
        WorkflowInstance started = WorkflowTransitions.start("i1", d, Map.of(), null, T0).instance();
        return WorkflowTransitions.stepSucceeded(started, d, 0, SLEEP_RESULT, T0.plusSeconds(1)).instance()
                .leasedBy("node-a", T0.plusSeconds(31));
    }

    @Test
    void givenDeadlineNotYetPassed_whenChecked_thenNothingChanges() {
        WorkflowInstance i = sleeping(oneMinute);

        Transition t = WorkflowTransitions.expireIfPastDeadline(i, oneMinute, T0.plusSeconds(59));

        assertThat(t.instance()).isSameAs(i);
        assertThat(t.changes()).isEmpty();
    }

    @Test
    void givenDefaultBehaviour_whenDeadlinePassed_thenTerminatedWithTheErrorKeptAndTheLeaseLetGo() {
        WorkflowInstance i = sleeping(oneMinute);
        Instant now = T0.plusSeconds(60);

        Transition t = WorkflowTransitions.expireIfPastDeadline(i, oneMinute, now);

        WorkflowInstance ended = t.instance();
        assertThat(ended.status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(ended.revision()).isEqualTo(i.revision() + 1);
        assertThat(ended.completedAt()).isEqualTo(now);
        assertThat(ended.updatedAt()).isEqualTo(now);
        assertThat(ended.nextExecution()).isNull();
        assertThat(ended.lease()).isNull();
        assertThat(ended.lastError().type()).isEqualTo(Deadlines.ERROR_TYPE);
        assertThat(ended.lastError().step()).isEqualTo(Deadlines.STEP);
        assertThat(ended.lastError().message()).contains("PT1M").contains("2026-03-01T10:01:00Z");
        assertThat(t.changes()).singleElement().isInstanceOfSatisfying(WorkflowEvent.WorkflowTerminated.class,
                e -> assertThat(e.revision()).isEqualTo(ended.revision()));
    }

    @Test
    void givenOnDeadlineSuspend_whenDeadlinePassed_thenSuspendedAndStillDueWhenItWasOnResume() {
        WorkflowDefinition d = definition(Map.of("deadline", 60_000, "onDeadline", "suspend"));
        WorkflowInstance i = sleeping(d);

        Transition t = WorkflowTransitions.expireIfPastDeadline(i, d, T0.plusSeconds(61));

        assertThat(t.instance().status()).isEqualTo(WorkflowStatus.SUSPENDED);
        assertThat(t.instance().nextExecution()).isEqualTo(i.nextExecution());
        assertThat(t.instance().completedAt()).isNull();
        assertThat(t.changes()).singleElement().isInstanceOf(WorkflowEvent.WorkflowSuspended.class);
    }

    @Test
    void givenOnDeadlineFailOrCompensate_whenDeadlinePassed_thenFailed() {
        for (String behaviour : new String[] {"fail", "compensate"}) {
            WorkflowDefinition d = definition(Map.of("deadline", 60_000, "onDeadline", behaviour));

            Transition t = WorkflowTransitions.expireIfPastDeadline(sleeping(d), d, T0.plusSeconds(61));

            assertThat(t.instance().status()).as(behaviour).isEqualTo(WorkflowStatus.FAILED);
            assertThat(t.changes()).singleElement().isInstanceOf(WorkflowEvent.WorkflowFailed.class);
        }
    }

    @Test
    void givenSuspendedOrFinishedInstance_whenDeadlinePassed_thenNothingChanges() {
        WorkflowInstance suspended = WorkflowTransitions.suspend(sleeping(oneMinute), "ops", T0.plusSeconds(2)).instance();
        WorkflowInstance terminated = WorkflowTransitions.terminate(sleeping(oneMinute), "ops", T0.plusSeconds(2)).instance();

        assertThat(WorkflowTransitions.expireIfPastDeadline(suspended, oneMinute, T0.plusSeconds(3600)).changes()).isEmpty();
        assertThat(WorkflowTransitions.expireIfPastDeadline(terminated, oneMinute, T0.plusSeconds(3600)).instance()).isSameAs(terminated);
    }

    @Test
    void givenWorkflowWithoutDeadline_whenLongPastItsCreation_thenNothingChanges() {
        WorkflowDefinition none = definition(Map.of());

        assertThat(WorkflowTransitions.expireIfPastDeadline(sleeping(none), none, T0.plus(Duration.ofDays(365))).changes()).isEmpty();
    }

    @Test
    void givenAnotherDefinition_whenChecked_thenRefusedNamingBoth() {
        WorkflowDefinition other = WorkflowDefinition.compile(Workflow.of("t", "Other", "1.0.0", steps -> steps.startWith("A", SLEEP))
                .withProps(Map.of("deadline", 1)));

        assertThatThrownBy(() -> WorkflowTransitions.expireIfPastDeadline(sleeping(oneMinute), other, T0.plusSeconds(61)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("t.D@1.0.0").hasMessageContaining("t.Other@1.0.0");
    }

    @Test
    void givenOldEntryPoint_whenExpired_thenSameTransitionAsTheNewOne() {
        WorkflowInstance i = sleeping(oneMinute);
        Instant now = T0.plusSeconds(61);

        Transition old = Deadlines.expire(i, WorkflowOptions.of(oneMinute), now);

        assertThat(old).isEqualTo(WorkflowTransitions.expireIfPastDeadline(i, oneMinute, now));
    }

    @Test
    void givenRegisteredDefinition_whenOptionsRead_thenParsedOnceAndTheSameAsParsingProps() {
        WorkflowDefinition d = definition(Map.of("deadline", 60_000, "onDeadline", "suspend", "maxConcurrent", 3));

        assertThat(d.options()).isEqualTo(WorkflowOptions.of(d.workflow()));
        assertThat(WorkflowOptions.of(d)).isSameAs(d.options());
        assertThat(d.options().maxConcurrent()).isEqualTo(3);
        assertThat(definition(Map.of()).options()).isSameAs(WorkflowOptions.NONE);
    }
}
