package net.reactory.workflow.domain.instance;

import net.reactory.workflow.domain.definition.DefinitionKey;


import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One run of a workflow, immutable. Every transition yields a new instance with a higher
 * {@code revision}; stores save conditionally on the revision they read (fencing).
 *
 * @param nextPointerId  id for the next pointer created
 * @param nextExecution  when the instance is next runnable; null when nothing is due (finished, or only waiting)
 * @param reference      the caller's idempotency key, unique per workflow id; may be null
 * @param lease          the node that holds the instance now, or null
 * @param errors         failed attempts, oldest first, at most {@link #MAX_ERRORS}
 */
public record WorkflowInstance(String id, DefinitionKey definition, WorkflowStatus status, Object data,
                               List<ExecutionPointer> pointers, int nextPointerId, Instant nextExecution,
                               long revision, String reference, Instant createdAt, Instant updatedAt,
                               Instant completedAt, Lease lease, List<StepError> errors) {

    public static final int MAX_ERRORS = 20;

    public WorkflowInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        pointers = List.copyOf(pointers);
        errors = List.copyOf(errors);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
    }

    public boolean isFinished() {
        return status.isFinished();
    }

    public boolean isRunnableAt(Instant now) {
        return status == WorkflowStatus.RUNNABLE && nextExecution != null && !nextExecution.isAfter(now);
    }

    public WorkflowInstance withLease(Lease newLease) {
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, newLease, errors);
    }

    public WorkflowInstance withRevision(long newRevision) {
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, newRevision,
                reference, createdAt, updatedAt, completedAt, lease, errors);
    }

    public StepError lastError() {
        return errors.isEmpty() ? null : errors.get(errors.size() - 1);
    }
}
