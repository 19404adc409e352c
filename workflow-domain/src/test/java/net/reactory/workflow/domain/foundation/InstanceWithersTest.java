package net.reactory.workflow.domain.foundation;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.AutoStartReference;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** The withers of {@link WorkflowInstance}: each changes what its name says, and nothing else. */
class InstanceWithersTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final DefinitionKey KEY = DefinitionKey.of("t", "W", "1.0.0");

    private final WorkflowInstance base = WorkflowInstance.created("i1", KEY, Map.of("n", 1), "ref", T0)
            .withPointers(List.of(ExecutionPointer.first(0, 0)), 1)
            .runnable(T0)
            .leasedBy("node-a", T0.plusSeconds(30));

    @Test
    void givenNewInstance_whenCreated_thenRevisionOneAndNothingDueUntilItIsMadeRunnableWithPointers() {
        WorkflowInstance created = WorkflowInstance.created("i1", KEY, "data", "ref", T0);

        assertThat(created.revision()).isEqualTo(1);
        assertThat(created.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(created.createdAt()).isEqualTo(T0);
        assertThat(created.updatedAt()).isEqualTo(T0);
        assertThat(created.pointers()).isEmpty();
        assertThat(created.nextExecution()).isNull();
        assertThat(created.lease()).isNull();
        assertThat(base.nextExecution()).isEqualTo(T0);
        assertThat(base.nextPointerId()).isEqualTo(1);
    }

    @Test
    void givenInstance_whenNextRevision_thenRevisionUpByOneAndUpdatedAtIsNowAndTheRestKept() {
        WorkflowInstance next = base.nextRevision(T0.plusSeconds(5));

        assertThat(next.revision()).isEqualTo(base.revision() + 1);
        assertThat(next.updatedAt()).isEqualTo(T0.plusSeconds(5));
        assertThat(next.createdAt()).isEqualTo(T0);
        assertThat(next.lease()).isEqualTo(base.lease());
        assertThat(next.pointers()).isEqualTo(base.pointers());
        assertThat(next.data()).isEqualTo(base.data());
        assertThat(base.revision()).as("the old instance is untouched").isEqualTo(1);
    }

    @Test
    void givenInstance_whenDataOrPointersChange_thenRevisionStatusAndLeaseAreKept() {
        ExecutionPointer second = ExecutionPointer.first(1, 1);
        WorkflowInstance changed = base.withData(Map.of("n", 2)).withPointers(List.of(second), 2);

        assertThat(changed.data()).isEqualTo(Map.of("n", 2));
        assertThat(changed.pointers()).containsExactly(second);
        assertThat(changed.nextPointerId()).isEqualTo(2);
        assertThat(changed.revision()).isEqualTo(base.revision());
        assertThat(changed.status()).isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(changed.lease()).isEqualTo(base.lease());
        assertThat(changed.nextExecution()).as("withPointers does not work out the due time").isEqualTo(base.nextExecution());
    }

    @Test
    void givenPointers_whenMadeRunnable_thenDueAtTheEarliestLivePointerOrNeverWhenAllWait() {
        ExecutionPointer sleepsLong = new ExecutionPointer(0, 0, 1, T0.plusSeconds(60), null, null);
        ExecutionPointer sleepsShort = new ExecutionPointer(1, 0, 1, T0.plusSeconds(10), null, null);
        ExecutionPointer waits = new ExecutionPointer(2, 0, 1, null, null, new ExecutionPointer.EventWait("paid", "k", null));

        assertThat(base.withPointers(List.of(sleepsLong, sleepsShort, waits)).runnable(T0).nextExecution()).isEqualTo(T0.plusSeconds(10));
        assertThat(base.withPointers(List.of(waits)).runnable(T0).nextExecution()).isNull();
        assertThat(base.withPointers(List.of(sleepsLong, ExecutionPointer.first(3, 0))).runnable(T0.plusSeconds(1)).nextExecution())
                .as("a pointer not sleeping is due now").isEqualTo(T0.plusSeconds(1));
    }

    @Test
    void givenSleepingInstance_whenSuspended_thenItKeepsItsDueTimeAndIsNotRunnable() {
        WorkflowInstance sleeping = base.withPointers(List.of(new ExecutionPointer(0, 0, 1, T0.plusSeconds(60), null, null))).runnable(T0);

        WorkflowInstance suspended = sleeping.suspended();

        assertThat(suspended.status()).isEqualTo(WorkflowStatus.SUSPENDED);
        assertThat(suspended.nextExecution()).isEqualTo(T0.plusSeconds(60));
        assertThat(suspended.isRunnableAt(T0.plusSeconds(120))).isFalse();
        assertThat(suspended.completedAt()).isNull();
    }

    @Test
    void givenInstance_whenItEnds_thenNothingIsDueAndCompletedAtIsNowWithTheStatusNamed() {
        Instant end = T0.plusSeconds(9);

        assertThat(base.completed(end)).satisfies(i -> {
            assertThat(i.status()).isEqualTo(WorkflowStatus.COMPLETE);
            assertThat(i.nextExecution()).isNull();
            assertThat(i.completedAt()).isEqualTo(end);
        });
        assertThat(base.failed(end).status()).isEqualTo(WorkflowStatus.FAILED);
        assertThat(base.failed(end).completedAt()).isEqualTo(end);
        assertThat(base.terminated(end).status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(base.terminated(end).nextExecution()).isNull();
    }

    @Test
    void givenTwentyErrors_whenOneMoreIsRecorded_thenTheOldestIsDroppedAndTheNewestIsLast() {
        WorkflowInstance i = base;
        for (int n = 1; n <= WorkflowInstance.MAX_ERRORS; n++) i = i.withErrorRecorded(error(n));
        assertThat(i.errors()).hasSize(WorkflowInstance.MAX_ERRORS);

        WorkflowInstance more = i.withErrorRecorded(error(21));

        assertThat(more.errors()).hasSize(WorkflowInstance.MAX_ERRORS);
        assertThat(more.errors().get(0).message()).isEqualTo("2");
        assertThat(more.lastError().message()).isEqualTo("21");
        assertThat(i.errors().get(0).message()).as("the old instance is untouched").isEqualTo("1");
    }

    @Test
    void givenLeasedInstance_whenReleasedOrLeasedAgain_thenOnlyTheLeaseChanges() {
        WorkflowInstance released = base.released();
        WorkflowInstance other = base.leasedBy("node-b", T0.plusSeconds(60));

        assertThat(released.lease()).isNull();
        assertThat(released.revision()).isEqualTo(base.revision());
        assertThat(released.updatedAt()).isEqualTo(base.updatedAt());
        assertThat(other.lease()).isEqualTo(new Lease("node-b", T0.plusSeconds(60)));
        assertThat(released.released()).isEqualTo(released);
    }

    @Test
    void givenRunnableInstance_whenSteppedTo_thenAsTheComposedWithersWouldGiveRunnableWithPointersLeftElseComplete() {
        Instant now = T0.plusSeconds(3);
        List<ExecutionPointer> next = List.of(new ExecutionPointer(1, 1, 1, T0.plusSeconds(20), null, null));

        assertThat(base.steppedTo(now, "d2", next, 2))
                .isEqualTo(base.nextRevision(now).withData("d2").withPointers(next, 2).runnable(now))
                .satisfies(i -> assertThat(i.nextExecution()).isEqualTo(T0.plusSeconds(20)));
        assertThat(base.steppedTo(now, "d2", List.of(), 1))
                .isEqualTo(base.nextRevision(now).withData("d2").withPointers(List.of(), 1).completed(now))
                .satisfies(i -> assertThat(i.completedAt()).isEqualTo(now));
    }

    @Test
    void givenLiveAutoStartReference_whenTheLastStepIsSteppedPast_thenTheReferenceIsFreedAsCompletedWouldFreeIt() {
        WorkflowInstance autoStarted = WorkflowInstance.started("i1", KEY, null, AutoStartReference.live(KEY),
                List.of(ExecutionPointer.first(0, 0)), 1, null, T0);

        WorkflowInstance done = autoStarted.steppedTo(T0, null, List.of(), 1);

        assertThat(done.reference()).isEqualTo(autoStarted.completed(T0).reference()).isNotEqualTo(AutoStartReference.live(KEY));
    }

    @Test
    void givenFirstPointersAndLease_whenStarted_thenAsCreatedWithPointersRunnableAndLeased() {
        List<ExecutionPointer> first = List.of(ExecutionPointer.first(0, 0));
        Lease lease = new Lease("node-a", T0.plusSeconds(30));

        assertThat(WorkflowInstance.started("i1", KEY, Map.of("n", 1), "ref", first, 1, lease, T0)).isEqualTo(base);
        assertThat(WorkflowInstance.started("i1", KEY, Map.of("n", 1), "ref", first, 1, null, T0).lease()).isNull();
    }

    private static StepError error(int n) {
        return new StepError("A", "X", Integer.toString(n), 1, T0.plus(Duration.ofSeconds(n)));
    }
}
