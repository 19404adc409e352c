package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** A child that finishes tells its parent even when its node dies between the child's final save and the telling. */
class ChildResultAfterCrashTest extends ChildCrashFixture {

    @Test
    void givenChildFinishedByANodeThatDiesRightAfterTheSave_whenAnotherNodePolls_thenTheParentHearsAndCompletes() {
        DiesAfterFinishingSave dying = new DiesAfterFinishingSave(store);
        WorkflowRunnerService doomed = node(dying);
        String parentId = startParentWithWaitingChild(doomed);
        WorkflowInstance waiting = awaitChild();

        dying.armed.set(true);
        doomed.publishEvent("go", waiting.id(), null, null).handle((ok, error) -> null).join();
        awaitStatus(waiting.id(), WorkflowStatus.COMPLETE);
        doomed.stop().handle((ok, error) -> null).join();

        assertThat(stored(parentId).status()).as("the node died before telling the parent").isEqualTo(WorkflowStatus.RUNNABLE);
        assertThat(stored(parentId).pointers().getFirst().isWaiting()).isTrue();
        assertThat(events.pendingEvents(ChildWorkflows.RESULT_EVENT, "pending", null)).hasSize(1);

        WorkflowRunnerService survivor = node(store);
        survivor.pollNow();

        WorkflowInstance done = awaitStatus(parentId, WorkflowStatus.COMPLETE);
        Awaitility.await().atMost(WAIT).until(() -> events.pendingEvents(ChildWorkflows.RESULT_EVENT, "pending", null).isEmpty());
        survivor.pollNow();
        assertThat(stored(parentId).revision()).as("a settled result is not told again").isEqualTo(done.revision());
    }

    @Test
    void givenChildFinishedOnALiveNode_whenItsParentHeard_thenNoMarkerIsLeftForThePoller() {
        WorkflowRunnerService runner = node(store);
        String parentId = startParentWithWaitingChild(runner);
        WorkflowInstance waiting = awaitChild();

        runner.publishEvent("go", waiting.id(), null, null).join();

        awaitStatus(parentId, WorkflowStatus.COMPLETE);
        Awaitility.await().atMost(WAIT).until(() -> events.pendingEvents(ChildWorkflows.RESULT_EVENT, "pending", null).isEmpty());
    }
}
