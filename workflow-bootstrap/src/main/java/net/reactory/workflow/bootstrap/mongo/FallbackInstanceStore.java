package net.reactory.workflow.bootstrap.mongo;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.bootstrap.http.Readiness;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** The instance store of a {@link MemoryFallback}: memory, then MongoDB once the move is done. */
public final class FallbackInstanceStore implements InstanceStore, Readiness.NamedStore {

    private final MemoryFallback fallback;

    FallbackInstanceStore(MemoryFallback fallback) {
        this.fallback = fallback;
    }

    /** What readiness shows: {@code memory-fallback} until the move, then the MongoDB store's name. */
    @Override
    public String readinessName() {
        return fallback.moved() ? "MongoInstanceStore" : MEMORY_FALLBACK;
    }

    /** Instances held only in this process's memory (0 once moved). */
    public int instancesOnlyInMemory() {
        return fallback.instancesOnlyInMemory();
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        return fallback.onInstances(s -> s.create(instance, changes));
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return fallback.onInstances(s -> s.load(instanceId));
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return fallback.onInstances(s -> s.findByReference(workflow, reference));
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        return fallback.onInstances(s -> s.save(instance, expectedRevision, changes));
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return fallback.onInstances(s -> s.claimDue(owner, now, leaseUntil, limit));
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        return fallback.onInstances(s -> s.claim(instanceId, owner, now, leaseUntil));
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return fallback.onInstances(s -> s.renewLease(instanceId, owner, revision, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return fallback.onInstances(s -> s.releaseLease(instanceId, owner, revision));
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        return fallback.onInstances(s -> s.query(query));
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return fallback.onInstances(s -> s.purgeFinishedBefore(cutoff));
    }

    @Override
    public java.util.Map<net.reactory.workflow.domain.instance.WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        return fallback.onInstances(s -> s.countByStatus(query));
    }

    @Override
    public Optional<net.reactory.workflow.application.port.out.HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return fallback.onInstances(s -> s.history(instanceId, afterRevision, limit));
    }
}
