package net.reactory.workflow.application.service.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The commit sequence calls every effect on the commits that may concern it, and only the willing ones on quiet commits. */
class CommitEffectsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
    private static final DefinitionKey KEY = DefinitionKey.of("t", "W", "1.0.0");

    /** Notes every call it gets, as "name.beforeSave" or "name.afterCommit". */
    private record Recording(String name, boolean onQuiet, List<String> calls) implements TransitionEffects {
        @Override
        public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
            calls.add(name + ".beforeSave");
        }

        @Override
        public void afterCommit(WorkflowInstance committed, List<WorkflowEvent> changes) {
            calls.add(name + ".afterCommit");
        }

        @Override
        public boolean actsOnQuietCommits() {
            return onQuiet;
        }
    }

    /** Acts on every commit after it is saved, and on none before: like the lifecycle publishing. */
    private record AfterOnly(List<String> calls) implements TransitionEffects {
        @Override
        public void afterCommit(WorkflowInstance committed, List<WorkflowEvent> changes) {
            calls.add("after-only.afterCommit");
        }
    }

    private final List<String> calls = new ArrayList<>();
    private final CommitEffects effects = new CommitEffects();
    private final WorkflowInstance running = WorkflowInstance.started("i1", KEY, Map.of(), null, List.of(ExecutionPointer.first(1, 1)), 2,
            null, T0);

    CommitEffectsTest() {
        effects.install(List.of(new Recording("waits", false, calls), new Recording("publish", true, calls)));
    }

    @Test
    void givenQuietCommit_whenCommitted_thenNoBeforeSaveAndOnlyTheEffectsActingOnQuietCommitsHearOfIt() {
        List<WorkflowEvent> changes = List.of(new WorkflowEvent.StepCompleted("i1", KEY, 2, T0, "A", 0));

        effects.beforeSave(running, changes);
        effects.afterCommit(running, changes);

        assertThat(calls).containsExactly("publish.afterCommit");
    }

    @Test
    void givenChangeReachingBeyondTheInstance_whenCommitted_thenEveryEffectIsCalledInOrder() {
        List<WorkflowEvent> changes = List.of(new WorkflowEvent.StepCompleted("i1", KEY, 2, T0, "A", 0),
                new WorkflowEvent.EventAwaited("i1", KEY, 2, T0, "B", 1, "paid", "k", null));

        effects.beforeSave(running, changes);
        effects.afterCommit(running, changes);

        assertThat(calls).containsExactly("waits.beforeSave", "publish.beforeSave", "waits.afterCommit", "publish.afterCommit");
    }

    @Test
    void givenCommitThatFinishesTheInstance_whenCommitted_thenEveryEffectIsCalled() {
        WorkflowInstance done = running.steppedTo(T0, Map.of(), List.of(), 2);
        List<WorkflowEvent> changes = List.of(new WorkflowEvent.WorkflowCompleted("i1", KEY, 2, T0));

        effects.beforeSave(done, changes);
        effects.afterCommit(done, changes);

        assertThat(calls).containsExactly("waits.beforeSave", "publish.beforeSave", "waits.afterCommit", "publish.afterCommit");
    }

    @Test
    void givenEffectsWithAndWithoutABeforeSave_whenACommitFinishesTheInstance_thenTheOneDeclaringItIsCalledBeforeTheSaveAndBothAfter() {
        List<String> seen = new ArrayList<>();
        CommitEffects sequence = new CommitEffects();
        sequence.install(List.of(new AfterOnly(seen), new Recording("waits", false, seen)));
        WorkflowInstance done = running.steppedTo(T0, Map.of(), List.of(), 2);
        List<WorkflowEvent> changes = List.of(new WorkflowEvent.WorkflowCompleted("i1", KEY, 2, T0));

        sequence.beforeSave(done, changes);
        sequence.afterCommit(done, changes);

        assertThat(seen).containsExactly("waits.beforeSave", "after-only.afterCommit", "waits.afterCommit");
    }

    @Test
    void givenEveryKindThatReachesBeyondAnInstance_whenAsked_thenEachIsSeenAndAPlainStepIsNot() {
        WorkflowEvent step = new WorkflowEvent.StepCompleted("i1", KEY, 2, T0, "A", 0);

        assertThat(WorkflowEvent.anyReachesBeyondInstance(List.of(step, new WorkflowEvent.EventAwaited("i1", KEY, 2, T0, "B", 1, "e", "k", null))))
                .isTrue();
        assertThat(WorkflowEvent.anyReachesBeyondInstance(List.of(new WorkflowEvent.ChildWorkflowRequested("i1", KEY, 2, T0, "B", 1, "c",
                null, null, "ref")))).isTrue();
        assertThat(WorkflowEvent.anyReachesBeyondInstance(List.of(new WorkflowEvent.StepCancelled("i1", KEY, 2, T0, "B", 1, null)))).isTrue();
        assertThat(WorkflowEvent.anyReachesBeyondInstance(List.of(step, new WorkflowEvent.WorkflowStarted("i1", KEY, 1, T0, null)))).isFalse();
    }
}
