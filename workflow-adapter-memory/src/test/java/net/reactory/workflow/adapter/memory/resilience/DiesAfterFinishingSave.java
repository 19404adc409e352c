package net.reactory.workflow.adapter.memory.resilience;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/** The node's store, which answers nothing once armed after it saved a finished instance: the node is gone from then on. */
final class DiesAfterFinishingSave implements InstanceStore {
    final AtomicBoolean armed = new AtomicBoolean();
    private final AtomicBoolean dead = new AtomicBoolean();
    private final InstanceStore delegate;

    DiesAfterFinishingSave(InstanceStore delegate) {
        this.delegate = delegate;
    }

    private void alive() {
        if (dead.get()) throw new StoreUnavailableException("this node is dead", null);
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        alive();
        return delegate.create(instance, changes);
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(
            InstanceFilter query) {
        return delegate.countByStatus(query);
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return delegate.history(instanceId, afterRevision, limit);
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        alive();
        return delegate.load(instanceId);
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        alive();
        return delegate.findByReference(workflow, reference);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        alive();
        boolean saved = delegate.save(instance, expectedRevision, changes);
        if (saved && instance.isFinished() && armed.get()) {
            dead.set(true);
            throw new StoreUnavailableException("the node died right after this save", null);
        }
        return saved;
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        alive();
        return delegate.claimDue(owner, now, leaseUntil, limit);
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        alive();
        return delegate.claim(instanceId, owner, now, leaseUntil);
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        alive();
        return delegate.renewLease(instanceId, owner, revision, leaseUntil);
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        alive();
        return delegate.releaseLease(instanceId, owner, revision);
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        alive();
        return delegate.query(query);
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        alive();
        return delegate.purgeFinishedBefore(cutoff);
    }
}
