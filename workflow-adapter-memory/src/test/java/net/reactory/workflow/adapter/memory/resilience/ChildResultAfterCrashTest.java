package net.reactory.workflow.adapter.memory.resilience;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;

/** A child that finishes tells its parent even when its node dies between the child's final save and the telling. */
class ChildResultAfterCrashTest extends ResilienceFixture {

    private final Workflow child = Workflow.of("res", "Child", "1.0.0",
            steps -> steps.startWith("Hold", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                    : ExecutionResult.waitForEvent("go", ctx.instanceId(), null)));
    private final Workflow parent = Workflow.of("res", "Parent", "1.0.0",
            steps -> steps.startWith("Call", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                    : ExecutionResult.startChild("res.Child", null, Map.of())));
    private final MemoryEventStore events = new MemoryEventStore();

    private WorkflowRunnerService node(InstanceStore on) {
        return initialized(WorkflowRunnerService.builder().config(config()).store(on).eventStore(events).clock(clock).auditLog(audit)
                .workflows(List.of(parent, child)));
    }

    @Test
    void givenChildFinishedByANodeThatDiesRightAfterTheSave_whenAnotherNodePolls_thenTheParentHearsAndCompletes() {
        DiesAfterFinishingSave dying = new DiesAfterFinishingSave(store);
        WorkflowRunnerService doomed = node(dying);
        String parentId = start(doomed, "res.Parent");
        awaitInstance(parentId, i -> i.lease() == null && !i.pointers().isEmpty() && i.pointers().getFirst().isWaiting());
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
        String parentId = start(runner, "res.Parent");
        awaitInstance(parentId, i -> i.lease() == null && !i.pointers().isEmpty() && i.pointers().getFirst().isWaiting());
        WorkflowInstance waiting = awaitChild();

        runner.publishEvent("go", waiting.id(), null, null).join();

        awaitStatus(parentId, WorkflowStatus.COMPLETE);
        Awaitility.await().atMost(WAIT).until(() -> events.pendingEvents(ChildWorkflows.RESULT_EVENT, "pending", null).isEmpty());
    }

    private WorkflowInstance awaitChild() {
        Awaitility.await().atMost(WAIT).until(() -> childInstances().size() == 1
                && childInstances().getFirst().lease() == null && childInstances().getFirst().pointers().getFirst().isWaiting());
        return childInstances().getFirst();
    }

    private List<WorkflowInstance> childInstances() {
        return store.query(new InstanceQuery(null, WorkflowId.parse("res.Child"), null, null, 0, 10));
    }
}
