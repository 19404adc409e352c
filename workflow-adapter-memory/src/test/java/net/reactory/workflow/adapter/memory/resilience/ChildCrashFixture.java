package net.reactory.workflow.adapter.memory.resilience;

import java.util.List;
import java.util.Map;

import org.awaitility.Awaitility;

import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.step.ExecutionResult;

/**
 * A parent that starts one child and a child that waits for {@code go} keyed by its own id, on nodes sharing one
 * instance store (or a dying view of it) and one event store: what the children's crash tests have in common.
 */
abstract class ChildCrashFixture extends ResilienceFixture {

    private final Workflow child = Workflow.of("res", "Child", "1.0.0",
            steps -> steps.startWith("Hold", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                    : ExecutionResult.waitForEvent("go", ctx.instanceId(), null)));
    private final Workflow parent = Workflow.of("res", "Parent", "1.0.0",
            steps -> steps.startWith("Call", ctx -> ctx.receivedEvent() != null ? ExecutionResult.next()
                    : ExecutionResult.startChild("res.Child", null, Map.of())));
    final MemoryEventStore events = new MemoryEventStore();

    WorkflowRunnerService node(InstanceStore on) {
        return initialized(WorkflowRunnerService.builder().config(config()).store(on).eventStore(events).clock(clock).auditLog(audit)
                .workflows(List.of(parent, child)));
    }

    /** Starts the parent and returns it once it waits, with its child started and waiting too. */
    String startParentWithWaitingChild(WorkflowRunnerService on) {
        String parentId = start(on, "res.Parent");
        awaitInstance(parentId, i -> i.lease() == null && !i.pointers().isEmpty() && i.pointers().getFirst().isWaiting());
        awaitChild();
        return parentId;
    }

    WorkflowInstance awaitChild() {
        Awaitility.await().atMost(WAIT).until(() -> childInstances().size() == 1
                && childInstances().getFirst().lease() == null && childInstances().getFirst().pointers().getFirst().isWaiting());
        return childInstances().getFirst();
    }

    private List<WorkflowInstance> childInstances() {
        return store.query(new InstanceFilter(null, WorkflowId.parse("res.Child"), null, null, 0, 10));
    }
}
