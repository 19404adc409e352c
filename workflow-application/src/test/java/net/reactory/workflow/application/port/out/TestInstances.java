package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import net.reactory.workflow.domain.definition.DefinitionKey;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** Instances for the store contract suites. */
public final class TestInstances {

    public static final DefinitionKey DEFINITION = DefinitionKey.of("test", "Flow", "1.0.0");
    public static final DefinitionKey OTHER_DEFINITION = DefinitionKey.of("test", "Other", "2.1.0");

    private TestInstances() {
    }

    /** A runnable, unleased instance due at {@code due}, revision 1. */
    public static WorkflowInstance runnable(Instant due) {
        return instance(DEFINITION, WorkflowStatus.RUNNABLE, due, null, null);
    }

    public static WorkflowInstance instance(DefinitionKey definition, WorkflowStatus status, Instant due, String reference, Lease lease) {
        Instant created = due == null ? Instant.parse("2026-01-01T00:00:00Z") : due;
        return new WorkflowInstance(UUID.randomUUID().toString(), definition, status, Map.of("n", 1),
                List.of(ExecutionPointer.first(0, 0)), 1, status == WorkflowStatus.RUNNABLE ? due : null, 1, reference,
                created, created, status.isFinished() ? created : null, lease, List.of());
    }

    public static WorkflowInstance finished(Instant completedAt) {
        return new WorkflowInstance(UUID.randomUUID().toString(), DEFINITION, WorkflowStatus.COMPLETE, Map.of(), List.of(), 1,
                null, 3, null, completedAt, completedAt, completedAt, null, List.of());
    }

    /** The same instance, one revision on, with new data. */
    public static WorkflowInstance advanced(WorkflowInstance i, Object data) {
        return new WorkflowInstance(i.id(), i.definition(), i.status(), data, i.pointers(), i.nextPointerId(), i.nextExecution(),
                i.revision() + 1, i.reference(), i.createdAt(), i.updatedAt(), i.completedAt(), i.lease(), i.errors());
    }
}
