package net.reactory.workflow.application.port.out;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Where instances live. Every write is conditional: a save succeeds only on the revision
 * it read (fencing), and claims are atomic compare-and-sets, so several runner nodes can
 * share one store. Calls block; the runner makes them from virtual threads.
 * A store that cannot be reached throws {@link StoreUnavailableException}.
 *
 * <p>Each instance keeps its history: the change events of its transitions ({@link HistoryEntry}), written with the
 * transition itself (the create's events with the create, a save's with the save), never apart from it. A store keeps
 * at most its cap of the newest entries per instance and summarises the older ones it drops
 * ({@link HistoryPage.Dropped}); the history goes when the instance is purged.
 */
public interface InstanceStore {

    /**
     * Stores a new instance. Refused with {@link CreateResult.ReferenceTaken} when another instance
     * of the same workflow id already carries the instance's non-null reference.
     */
    default CreateResult create(WorkflowInstance instance) {
        return create(instance, List.of());
    }

    /** As {@link #create(WorkflowInstance)}, with the events of the start, which open the instance's history. */
    CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes);

    Optional<WorkflowInstance> load(String instanceId);

    /** The instance of {@code workflow} that carries {@code reference}, while the store holds it. */
    Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference);

    /**
     * Replaces the stored instance if its revision is still {@code expectedRevision}.
     * {@code changes} are the events of the transition: they are added to the instance's history in the same write (and
     * to its outbox, for stores that keep one). A save may change the instance's reference (an auto-started instance
     * gives up its live one as it finishes): the old reference is free for a new instance from that write on, and the
     * new one finds this instance.
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

    /** Instances matching the query, in its order (oldest first unless it asks for the newest). */
    List<WorkflowInstance> query(InstanceFilter query);

    /** How many instances match the query at each status; the query's own status, paging and cursor are ignored. */
    Map<WorkflowStatus, Long> countByStatus(InstanceFilter query);

    /**
     * The instance's history after revision {@code afterRevision} (0: from the start), oldest first: up to
     * {@code limit} entries, and any more of the last entry's revision, so that a page never splits a revision.
     * Empty for an unknown instance.
     */
    Optional<HistoryPage> history(String instanceId, long afterRevision, int limit);

    /** Removes finished instances that finished before {@code cutoff}; returns how many. */
    long purgeFinishedBefore(Instant cutoff);
}
