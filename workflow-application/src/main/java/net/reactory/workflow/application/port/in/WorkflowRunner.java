package net.reactory.workflow.application.port.in;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The runner's API, with the words of the original Reactory {@code WorkflowRunner}.
 *
 * <p>Preconditions (not initialized, unknown workflow, invalid input) are thrown at once as
 * typed exceptions; what needs the store completes the returned future, exceptionally when it fails.
 */
public interface WorkflowRunner {

    /** Registers the given workflows, starts polling and the auto-start workflows. Calling it again returns the same future. */
    CompletableFuture<Void> initialize();

    boolean isInitialized();

    /**
     * Starts an instance of workflow {@code id} ({@code nameSpace.name}, or {@code nameSpace.name@version})
     * at {@code version}, or the newest version when {@code version} is null. Completes with the instance id
     * once the instance is stored; its steps run at once, asynchronously.
     *
     * @throws RunnerNotInitializedException before {@link #initialize()}
     * @throws WorkflowNotFoundException     for an unknown id or version
     */
    CompletableFuture<String> startWorkflow(String id, String version, Object data);

    /** Starts with the full set of options; with a reference already used for this workflow, completes with that instance's id. */
    CompletableFuture<String> startWorkflow(StartRequest request);

    /**
     * Validates and registers a workflow.
     *
     * @throws net.reactory.workflow.domain.definition.InvalidWorkflowException listing every problem
     * @throws DuplicateWorkflowException when the same id and version is registered already
     * @throws RunnerNotInitializedException before {@link #initialize()}
     */
    void registerWorkflow(Workflow workflow);

    /** Stops claiming work, lets running steps finish up to a deadline, hands back the rest and ends every runner thread. */
    CompletableFuture<Void> stop();

    /** An immutable snapshot. */
    RunnerState getState();

    Optional<WorkflowInstance> getInstance(String instanceId);

    /** The instances that match, in the store's order (by creation time). */
    List<WorkflowInstance> queryInstances(InstanceFilter filter);

    /** Every registered definition (compiled), in registration order. */
    List<WorkflowDefinition> definitions();

    /** Every circuit breaker of this node (each named dependency's, the store's, the work signal's), by name. */
    List<BreakerState> circuitBreakers();

    /** The newest commands of the audit log first, at most {@code limit}. */
    List<AuditRecord> recentCommands(int limit);

    /**
     * Records in the audit log a command an edge refused before it reached the runner (malformed input), so that
     * the log shows every refusal and not only the runner's own; may throw when the audit log fails.
     */
    void auditRefusal(CommandOrigin origin, String command, String target, String reason);

    /** Completes when the instance has finished (complete, failed or terminated), on this node or another. */
    CompletableFuture<WorkflowInstance> awaitFinished(String instanceId);

    CompletableFuture<WorkflowInstance> suspend(String instanceId, String reason);

    CompletableFuture<WorkflowInstance> resume(String instanceId);

    CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason);

    /** As {@link #registerWorkflow(Workflow)}, audited as coming from {@code origin}. */
    default void registerWorkflow(Workflow workflow, CommandOrigin origin) {
        registerWorkflow(workflow);
    }

    /** As {@link #suspend(String, String)}, audited as coming from {@code origin}. Idempotent; refused on a finished instance. */
    default CompletableFuture<WorkflowInstance> suspend(String instanceId, String reason, CommandOrigin origin) {
        return suspend(instanceId, reason);
    }

    /** As {@link #resume(String)}, audited as coming from {@code origin}. Idempotent; refused on a finished instance. */
    default CompletableFuture<WorkflowInstance> resume(String instanceId, CommandOrigin origin) {
        return resume(instanceId);
    }

    /** As {@link #terminate(String, String)}, audited as coming from {@code origin}. Idempotent; refused on a completed or failed instance. */
    default CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason, CommandOrigin origin) {
        return terminate(instanceId, reason);
    }

    /**
     * Publishes an external event: every step waiting for {@code name} with {@code key} (and an effective date not
     * after {@code effectiveAt}) resumes, given {@code data}; with none waiting, the event is kept and delivered to the
     * next step that waits for it. Completes with the event's id once it is stored.
     *
     * @param effectiveAt when the event happened; null for now
     * @throws RunnerNotInitializedException before {@link #initialize()}
     * @throws IllegalArgumentException      without a name or a key
     */
    CompletableFuture<String> publishEvent(String name, String key, Object data, Instant effectiveAt);

    /**
     * As {@link #publishEvent(String, String, Object, Instant)} with the caller's event id: publishing one id twice resumes once
     * (delivered event ids are remembered for a day, or less where the store's own retention is shorter, such as the
     * in-memory daemon's {@code WORKFLOW_FINISHED_RETENTION}; then purged).
     */
    CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt);

    /**
     * As {@link #publishEvent(String, String, String, Object, Instant)}, audited as coming from {@code origin}; an
     * implementation that keeps no audit log may ignore the origin, as this default does.
     */
    default CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt,
                                                   CommandOrigin origin) {
        return publishEvent(eventId, name, key, data, effectiveAt);
    }

    /**
     * As {@link #publishEvent(String, String, String, Object, Instant, CommandOrigin)}, the event carrying its publisher's
     * W3C trace context ({@link TraceHeaders}) to the steps it resumes, for a tracer to link them to the publisher's span.
     * An implementation that does not trace may ignore the context, as this default does.
     */
    default CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt,
                                                   CommandOrigin origin, java.util.Map<String, String> traceContext) {
        return publishEvent(eventId, name, key, data, effectiveAt, origin);
    }

    // ---------------------------------------------------------------- waiting with a bound, and the test hooks (issue 15, point 12)

    /**
     * As {@link #awaitFinished(String)}, but fails with a {@link FinishTimeoutException} naming the instance when it has
     * not finished within {@code timeout}. Each call has its own future: one caller's timeout fails no other waiter.
     *
     * @throws IllegalArgumentException when {@code timeout} is null, zero or negative
     */
    default CompletableFuture<WorkflowInstance> awaitFinished(String instanceId, Duration timeout) {
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("awaitFinished needs a positive timeout, was " + timeout);
        }
        CompletableFuture<WorkflowInstance> mine = new CompletableFuture<>();
        awaitFinished(instanceId).whenComplete((finished, error) -> {
            if (error != null) mine.completeExceptionally(error);
            else mine.complete(finished);
        });
        CompletableFuture.delayedExecutor(timeout.toNanos(), TimeUnit.NANOSECONDS)
                .execute(() -> mine.completeExceptionally(new FinishTimeoutException(instanceId, timeout)));
        return mine;
    }

    /**
     * Runs the safety-net poll now instead of at its next tick: claims the instances due at the clock's time that this
     * node has room for, and looks after waits of instances run elsewhere. Returns how many instances it claimed. For
     * tests that move a settable clock; the runner's own timer calls it too.
     */
    int pollNow();

    /** Extends now the leases of long-running instances that would end within half their duration; returns how many. */
    int renewLeasesNow();
    /**
     * A page of the instance's history as the store keeps it, oldest first: the events after revision
     * {@code afterRevision} (0: from the start), up to {@code limit} and the rest of the last one's revision.
     * Empty for an unknown instance.
     */
    default Optional<InstanceHistory> history(String instanceId, long afterRevision, int limit) {
        throw new UnsupportedOperationException("this runner keeps no history");
    }

    /** How many instances match the filter at each status (every status present, 0 when none); its status, paging and cursor are ignored. */
    default Map<WorkflowStatus, Long> countInstances(InstanceFilter filter) {
        throw new UnsupportedOperationException("this runner does not count instances");
    }
}
