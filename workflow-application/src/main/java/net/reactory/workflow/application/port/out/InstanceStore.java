package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Where instances live. Every write is conditional: a save succeeds only on the revision
 * it read (fencing), and claims are atomic compare-and-sets, so several runner nodes can
 * share one store. Calls block; the runner makes them from virtual threads.
 * A store that cannot be reached throws {@link StoreUnavailableException}.
 */
public interface InstanceStore {

    /**
     * Stores a new instance. Refused with {@link CreateResult.ReferenceTaken} when another instance
     * of the same workflow id already carries the instance's non-null reference.
     */
    CreateResult create(WorkflowInstance instance);

    Optional<WorkflowInstance> load(String instanceId);

    /** The instance of {@code workflow} that carries {@code reference}, while the store holds it. */
    Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference);

    /**
     * Replaces the stored instance if its revision is still {@code expectedRevision}.
     * {@code changes} are the events of the transition, for stores that keep an outbox in the same write. A save may
     * change the instance's reference (an auto-started instance gives up its live one as it finishes): the old
     * reference is free for a new instance from that write on, and the new one finds this instance.
     *
     * @return false when the stored revision differs (a stale write) or the instance is unknown
     */
    boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes);

    /**
     * Claims up to {@code limit} instances that are runnable at {@code now} and not leased by a
     * live lease: each gets the lease {@code owner}/{@code leaseUntil} and its revision raised by one.
     */
    List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit);

    /** Claims one instance on the conditions of {@link #claimDue}. */
    Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil);

    /**
     * Extends a lease the owner still holds on {@code revision}, without raising the revision.
     *
     * @return false when the lease was lost: another node claimed the instance or it changed
     */
    boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil);

    /** Drops a lease the owner holds on {@code revision}, so any node may claim the instance at once. */
    boolean releaseLease(String instanceId, String owner, long revision);

    /** Instances matching the query, oldest first. */
    List<WorkflowInstance> query(InstanceQuery query);

    /** Removes finished instances that finished before {@code cutoff}; returns how many. */
    long purgeFinishedBefore(Instant cutoff);
}
