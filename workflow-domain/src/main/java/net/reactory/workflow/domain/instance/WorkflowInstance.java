package net.reactory.workflow.domain.instance;

import net.reactory.workflow.domain.definition.DefinitionKey;


import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * One run of a workflow, immutable. Every transition yields a new instance with a higher
 * {@code revision}; stores save conditionally on the revision they read (fencing).
 *
 * <p>The domain changes an instance only through the withers below, each named for what the change means
 * ({@link #nextRevision}, {@link #withPointers}, {@link #runnable}, {@link #suspended}, {@link #completed},
 * {@link #leasedBy}, {@link #released}...). The canonical constructor is for adapters that rebuild an
 * instance from storage and for a brand-new instance ({@link #created}).
 *
 * @param nextPointerId  id for the next pointer created
 * @param nextExecution  when the instance is next runnable; null when nothing is due (finished, or only waiting)
 * @param reference      the caller's idempotency key, unique per workflow id; may be null. A plain auto-started
 *                       instance's changes as it finishes ({@link AutoStartReference})
 * @param lease          the node that holds the instance now, or null
 * @param errors         failed attempts, oldest first, at most {@link #MAX_ERRORS}
 * @param traceContext   the W3C trace context the instance continues ({@code traceparent}, {@code tracestate}), as
 *                       header name to value; empty when nobody traces it. Stored with the instance so that a step
 *                       run on another node, days later, continues the same trace. Never null.
 */
public record WorkflowInstance(String id, DefinitionKey definition, WorkflowStatus status, Object data,
                               List<ExecutionPointer> pointers, int nextPointerId, Instant nextExecution,
                               long revision, String reference, Instant createdAt, Instant updatedAt,
                               Instant completedAt, Lease lease, List<StepError> errors,
                               Map<String, String> traceContext) {

    public static final int MAX_ERRORS = 20;

    public WorkflowInstance {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(definition, "definition");
        Objects.requireNonNull(status, "status");
        pointers = List.copyOf(pointers);
        errors = List.copyOf(errors);
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        traceContext = traceContext == null || traceContext.isEmpty() ? Map.of() : Map.copyOf(traceContext);
    }

    /** An instance without a trace context: as stored before tracing existed. */
    public WorkflowInstance(String id, DefinitionKey definition, WorkflowStatus status, Object data,
                            List<ExecutionPointer> pointers, int nextPointerId, Instant nextExecution,
                            long revision, String reference, Instant createdAt, Instant updatedAt,
                            Instant completedAt, Lease lease, List<StepError> errors) {
        this(id, definition, status, data, pointers, nextPointerId, nextExecution, revision, reference, createdAt, updatedAt,
                completedAt, lease, errors, Map.of());
    }

    /**
     * A new instance at revision 1 with no pointers yet, so nothing is due: give it its first pointers with
     * {@link #withPointers}, then make it {@link #runnable}, which works out when it is due.
     */
    public static WorkflowInstance created(String id, DefinitionKey definition, Object data, String reference, Instant now) {
        return new WorkflowInstance(id, definition, WorkflowStatus.RUNNABLE, data, List.of(), 0, null, 1,
                reference, now, now, null, null, List.of());
    }

    /**
     * A new instance at revision 1 at its first {@code pointers}, runnable and due when its earliest one is, held
     * under {@code lease} (null: by no node) from the start: what {@code created(..).withPointers(..).runnable(now)
     * .withLease(lease)} gives, in one allocation, for the start of every instance.
     */
    public static WorkflowInstance started(String id, DefinitionKey definition, Object data, String reference,
                                           List<ExecutionPointer> pointers, int nextPointerId, Lease lease, Instant now) {
        return new WorkflowInstance(id, definition, WorkflowStatus.RUNNABLE, data, pointers, nextPointerId, dueTime(pointers, now), 1,
                reference, now, now, null, lease, List.of());
    }

    public boolean isFinished() {
        return status.isFinished();
    }

    public boolean isRunnableAt(Instant now) {
        return status == WorkflowStatus.RUNNABLE && nextExecution != null && !nextExecution.isAfter(now);
    }

    public StepError lastError() {
        return errors.isEmpty() ? null : errors.get(errors.size() - 1);
    }

    /**
     * The time an instance with these pointers is next due at {@code now}: its earliest live pointer's, or
     * null when every pointer waits (for an event, or for its branches). The one place the due time is worked out.
     */
    private static Instant dueTime(List<ExecutionPointer> pointers, Instant now) {
        Instant earliest = null;
        for (ExecutionPointer p : pointers) {
            Instant due = p.dueAt(now);
            if (due != null && (earliest == null || due.isBefore(earliest))) earliest = due;
        }
        return earliest;
    }

    // ------------------------------------------------------------------ one revision on

    /** The next revision, changed at {@code now}: every transition that changes something starts here. */
    public WorkflowInstance nextRevision(Instant now) {
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, revision + 1,
                reference, createdAt, now, completedAt, lease, errors, traceContext);
    }

    /**
     * The next revision after its pointers moved on (a step completed, a wait received its event), changed at
     * {@code now}, carrying {@code newData} and these pointers, settled: complete at {@code now} when no pointer is
     * left (as {@link #completed}), else runnable, due when its earliest pointer is (as {@link #runnable}). One
     * allocation for the per-step hot path, where
     * {@code nextRevision(now).withData(..).withPointers(..).runnable(now)} would build four instances and drop three.
     */
    public WorkflowInstance steppedTo(Instant now, Object newData, List<ExecutionPointer> newPointers, int newNextPointerId) {
        if (newPointers.isEmpty()) {
            return new WorkflowInstance(id, definition, WorkflowStatus.COMPLETE, newData, newPointers, newNextPointerId, null, revision + 1,
                    AutoStartReference.onFinish(reference, definition, id), createdAt, now, now, lease, errors, traceContext);
        }
        return new WorkflowInstance(id, definition, WorkflowStatus.RUNNABLE, newData, newPointers, newNextPointerId, dueTime(newPointers, now),
                revision + 1, reference, createdAt, now, null, lease, errors, traceContext);
    }

    /** The same instance carrying {@code newData}; this instance itself when {@code newData} is the data it carries. */
    public WorkflowInstance withData(Object newData) {
        if (newData == data) return this;
        return new WorkflowInstance(id, definition, status, newData, pointers, nextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, lease, errors, traceContext);
    }

    /** The same instance with these live pointers; the due time is not recomputed (see {@link #runnable}). */
    public WorkflowInstance withPointers(List<ExecutionPointer> newPointers) {
        return withPointers(newPointers, nextPointerId);
    }

    /** As {@link #withPointers(List)}, for a change that created pointers: {@code newNextPointerId} numbers the next one. */
    public WorkflowInstance withPointers(List<ExecutionPointer> newPointers, int newNextPointerId) {
        return new WorkflowInstance(id, definition, status, data, newPointers, newNextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, lease, errors, traceContext);
    }

    /** The same instance with {@code error} kept as its newest; beyond {@link #MAX_ERRORS} the oldest is dropped. */
    public WorkflowInstance withErrorRecorded(StepError error) {
        Objects.requireNonNull(error, "error");
        List<StepError> kept = new ArrayList<>(Math.min(errors.size() + 1, MAX_ERRORS));
        int skip = Math.max(0, errors.size() + 1 - MAX_ERRORS);
        for (int i = skip; i < errors.size(); i++) kept.add(errors.get(i));
        kept.add(error);
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, lease, kept, traceContext);
    }

    // ------------------------------------------------------------------ status

    /** Runnable, due when its earliest live pointer is ({@link #dueTime}); null when every pointer waits. */
    public WorkflowInstance runnable(Instant now) {
        return withStatus(WorkflowStatus.RUNNABLE, dueTime(pointers, now), null);
    }

    /**
     * Suspended: nothing runs until it is resumed. The due time is kept as it was, for operators to see;
     * {@link #runnable} works it out afresh on resume.
     */
    public WorkflowInstance suspended() {
        return withStatus(WorkflowStatus.SUSPENDED, nextExecution, null);
    }

    /** Complete at {@code now}: every branch ended. */
    public WorkflowInstance completed(Instant now) {
        return withStatus(WorkflowStatus.COMPLETE, null, now);
    }

    /** Failed at {@code now}. */
    public WorkflowInstance failed(Instant now) {
        return withStatus(WorkflowStatus.FAILED, null, now);
    }

    /** Terminated at {@code now}. */
    public WorkflowInstance terminated(Instant now) {
        return withStatus(WorkflowStatus.TERMINATED, null, now);
    }

    /** A finishing change also gives up a live auto-start reference ({@link AutoStartReference}), in the same write. */
    private WorkflowInstance withStatus(WorkflowStatus newStatus, Instant newNextExecution, Instant newCompletedAt) {
        String newReference = newStatus.isFinished() ? AutoStartReference.onFinish(reference, definition, id) : reference;
        return new WorkflowInstance(id, definition, newStatus, data, pointers, nextPointerId, newNextExecution, revision,
                newReference, createdAt, updatedAt, newCompletedAt, lease, errors, traceContext);
    }

    /**
     * The same instance continuing the trace {@code newContext} (W3C header name to value): set once, when it is started.
     * This instance itself when the context is the one it carries.
     */
    public WorkflowInstance withTraceContext(Map<String, String> newContext) {
        if (Objects.equals(newContext, traceContext) || (newContext == null && traceContext.isEmpty())) return this;
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, lease, errors, newContext);
    }

    // ------------------------------------------------------------------ lease and storage

    /** Held by node {@code owner} until {@code until}. */
    public WorkflowInstance leasedBy(String owner, Instant until) {
        return withLease(new Lease(owner, until));
    }

    /** Held by no node: any node may claim it once it is due. Always a new instance, as {@code withLease(null)} was. */
    public WorkflowInstance released() {
        return withLease(null);
    }

    /** Held under {@code newLease}, or by no node when it is null. */
    public WorkflowInstance withLease(Lease newLease) {
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, revision,
                reference, createdAt, updatedAt, completedAt, newLease, errors, traceContext);
    }

    /** At revision {@code newRevision}, nothing else changed: for stores that bump the revision on a claim. */
    public WorkflowInstance withRevision(long newRevision) {
        return new WorkflowInstance(id, definition, status, data, pointers, nextPointerId, nextExecution, newRevision,
                reference, createdAt, updatedAt, completedAt, lease, errors, traceContext);
    }
}
