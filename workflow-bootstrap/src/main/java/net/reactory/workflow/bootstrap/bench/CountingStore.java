package net.reactory.workflow.bootstrap.bench;

import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.LongAdder;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Counts the runner's store round trips. Loads are counted apart: the benchmark's own
 * completion checks ({@code awaitFinished}) load, the runner's hot path does not.
 */
final class CountingStore implements InstanceStore {

    private final InstanceStore delegate;
    private final LongAdder roundTrips = new LongAdder();
    private final LongAdder loads = new LongAdder();

    CountingStore(InstanceStore delegate) {
        this.delegate = delegate;
    }

    long roundTrips() {
        return roundTrips.sum();
    }

    /** Loads, each one command: the benchmark's own completion checks, not the runner's. */
    long loads() {
        return loads.sum();
    }

    void reset() {
        roundTrips.reset();
        loads.reset();
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        roundTrips.increment();
        return delegate.create(instance, changes);
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        loads.increment();
        return delegate.findByReference(workflow, reference);
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        loads.increment();
        return delegate.load(instanceId);
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        roundTrips.increment();
        return delegate.save(instance, expectedRevision, changes);
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        roundTrips.increment();
        return delegate.claimDue(owner, now, leaseUntil, limit);
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        roundTrips.increment();
        return delegate.claim(instanceId, owner, now, leaseUntil);
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        roundTrips.increment();
        return delegate.renewLease(instanceId, owner, revision, leaseUntil);
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        roundTrips.increment();
        return delegate.releaseLease(instanceId, owner, revision);
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        return delegate.query(query);
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        return delegate.countByStatus(query);
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return delegate.history(instanceId, afterRevision, limit);
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return delegate.purgeFinishedBefore(cutoff);
    }
}
