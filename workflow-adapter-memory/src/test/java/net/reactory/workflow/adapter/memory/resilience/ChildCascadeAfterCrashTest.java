package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Issue 14.6b: a parent that ends terminates its running children even when its node dies between the save and the cascade. */
class ChildCascadeAfterCrashTest extends ChildCrashFixture {

    @Test
    void givenParentEndedByANodeThatDiesRightAfterTheSave_whenAnotherNodePolls_thenTheRunningChildIsTerminated() {
        DiesAfterFinishingSave dying = new DiesAfterFinishingSave(store);
        WorkflowRunnerService doomed = node(dying);
        String parentId = startParentWithWaitingChild(doomed);
        WorkflowInstance running = awaitChild();

        dying.armed.set(true);
        doomed.terminate(parentId, "no longer wanted").handle((ok, error) -> null).join();
        doomed.stop().join();

        assertThat(stored(parentId).status()).isEqualTo(WorkflowStatus.TERMINATED);
        assertThat(stored(running.id()).status()).as("the node died before its cascade").isEqualTo(WorkflowStatus.RUNNABLE);

        WorkflowRunnerService survivor = node(store);
        survivor.pollNow();

        WorkflowInstance terminated = awaitStatus(running.id(), WorkflowStatus.TERMINATED);
        assertThat(terminated.reference()).startsWith("child:" + parentId);
        assertThat(events.pendingEvents(ChildWorkflows.CASCADE_EVENT, "pending", null)).as("the cascade is settled").isEmpty();
        assertThat(survivor.pollNow()).isZero();
        assertThat(stored(running.id()).revision()).as("a settled cascade is not done again").isEqualTo(terminated.revision());
    }

    @Test
    void givenParentEndedOnALiveNode_whenItsCascadeIsDone_thenNoMarkerIsLeftForThePoller() {
        WorkflowRunnerService runner = node(store);
        String parentId = startParentWithWaitingChild(runner);
        WorkflowInstance running = awaitChild();

        runner.terminate(parentId, "no longer wanted").join();

        awaitStatus(running.id(), WorkflowStatus.TERMINATED);
        org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> events.pendingEvents(ChildWorkflows.CASCADE_EVENT, "pending", null).isEmpty());
    }
}
