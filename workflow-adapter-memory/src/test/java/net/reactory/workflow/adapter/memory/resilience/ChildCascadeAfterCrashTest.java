package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** Issue 14.6b: a parent that ends terminates its running children even when its node dies between the save and the cascade. */
class ChildCascadeAfterCrashTest extends ResilienceFixture {

    private final Workflow child = Workflow.of("res", "Child", "1.0.0",
            steps -> steps.startWith("Hold", ctx -> ExecutionResult.waitForEvent("never", ctx.instanceId(), null)));
    private final Workflow parent = Workflow.of("res", "Parent", "1.0.0",
            steps -> steps.startWith("Call", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                    : ExecutionResult.startChild("res.Child", null, Map.of())));
    private final MemoryEventStore events = new MemoryEventStore();

    private WorkflowRunnerService node(InstanceStore on) {
        return initialized(WorkflowRunnerService.builder().config(config()).store(on).eventStore(events).clock(clock).auditLog(audit)
                .workflows(List.of(parent, child)));
    }

    @Test
    void givenParentEndedByANodeThatDiesRightAfterTheSave_whenAnotherNodePolls_thenTheRunningChildIsTerminated() {
        DiesAfterFinishingSave dying = new DiesAfterFinishingSave(store);
        WorkflowRunnerService doomed = node(dying);
        String parentId = start(doomed, "res.Parent");
        awaitInstance(parentId, i -> i.lease() == null && !i.pointers().isEmpty() && i.pointers().getFirst().isWaiting());
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
        String parentId = start(runner, "res.Parent");
        awaitInstance(parentId, i -> i.lease() == null && !i.pointers().isEmpty() && i.pointers().getFirst().isWaiting());
        WorkflowInstance running = awaitChild();

        runner.terminate(parentId, "no longer wanted").join();

        awaitStatus(running.id(), WorkflowStatus.TERMINATED);
        org.awaitility.Awaitility.await().atMost(WAIT)
                .until(() -> events.pendingEvents(ChildWorkflows.CASCADE_EVENT, "pending", null).isEmpty());
    }

    private WorkflowInstance awaitChild() {
        org.awaitility.Awaitility.await().atMost(WAIT).until(() -> childInstances().size() == 1
                && childInstances().getFirst().lease() == null && childInstances().getFirst().pointers().getFirst().isWaiting());
        return childInstances().getFirst();
    }

    private List<WorkflowInstance> childInstances() {
        return store.query(new InstanceQuery(null, WorkflowId.parse("res.Child"), null, null, 0, 10));
    }
}
