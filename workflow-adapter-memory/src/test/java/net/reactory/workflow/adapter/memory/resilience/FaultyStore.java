package net.reactory.workflow.adapter.memory.resilience;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/** A store that throws on every call while {@link #down} is set, counting the calls that reached it meanwhile. */
final class FaultyStore implements InstanceStore {

    final AtomicBoolean down = new AtomicBoolean();
    final AtomicInteger callsWhileDown = new AtomicInteger();
    final AtomicInteger claimsWhileUp = new AtomicInteger();
    private final InstanceStore delegate;

    FaultyStore(InstanceStore delegate) {
        this.delegate = delegate;
    }

    private <T> T call(Supplier<T> call) {
        if (down.get()) {
            callsWhileDown.incrementAndGet();
            throw new StoreUnavailableException("simulated outage", null);
        }
        return call.get();
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        return call(() -> delegate.create(instance, changes));
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return call(() -> delegate.findByReference(workflow, reference));
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return call(() -> delegate.load(instanceId));
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        return call(() -> delegate.save(instance, expectedRevision, changes));
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return call(() -> {
            List<WorkflowInstance> claimed = delegate.claimDue(owner, now, leaseUntil, limit);
            claimsWhileUp.addAndGet(claimed.size());
            return claimed;
        });
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        return call(() -> delegate.claim(instanceId, owner, now, leaseUntil));
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return call(() -> delegate.renewLease(instanceId, owner, revision, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return call(() -> delegate.releaseLease(instanceId, owner, revision));
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        return call(() -> delegate.query(query));
    }

    @Override
    public java.util.Map<net.reactory.workflow.domain.instance.WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        return call(() -> delegate.countByStatus(query));
    }

    @Override
    public Optional<net.reactory.workflow.application.port.out.HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return call(() -> delegate.history(instanceId, afterRevision, limit));
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return call(() -> delegate.purgeFinishedBefore(cutoff));
    }
}
