package net.reactory.workflow.bootstrap.metrics;

import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import java.util.Map;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * Measures every store call's latency and counts its errors; the calls themselves pass through unchanged. Each
 * method hands its call to {@link Call#time} as a lambda, which the JIT inlines and does not allocate once hot.
 */
public final class TimedInstanceStore implements InstanceStore {

    private final InstanceStore delegate;
    private final Call create;
    private final Call load;
    private final Call findByReference;
    private final Call save;
    private final Call claimDue;
    private final Call claim;
    private final Call renewLease;
    private final Call releaseLease;
    private final Call query;
    private final Call purge;

    public TimedInstanceStore(InstanceStore delegate, MeterRegistry registry) {
        this.delegate = delegate;
        this.create = new Call(registry, "workflow.store", "create");
        this.load = new Call(registry, "workflow.store", "load");
        this.findByReference = new Call(registry, "workflow.store", "findByReference");
        this.save = new Call(registry, "workflow.store", "save");
        this.claimDue = new Call(registry, "workflow.store", "claimDue");
        this.claim = new Call(registry, "workflow.store", "claim");
        this.renewLease = new Call(registry, "workflow.store", "renewLease");
        this.releaseLease = new Call(registry, "workflow.store", "releaseLease");
        this.query = new Call(registry, "workflow.store", "query");
        this.purge = new Call(registry, "workflow.store", "purge");
    }

    public InstanceStore delegate() {
        return delegate;
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        return create.time(() -> delegate.create(instance, changes));
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return findByReference.time(() -> delegate.findByReference(workflow, reference));
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        return load.time(() -> delegate.load(instanceId));
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        return save.time(() -> delegate.save(instance, expectedRevision, changes));
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return claimDue.time(() -> delegate.claimDue(owner, now, leaseUntil, limit));
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        return claim.time(() -> delegate.claim(instanceId, owner, now, leaseUntil));
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return renewLease.time(() -> delegate.renewLease(instanceId, owner, revision, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return releaseLease.time(() -> delegate.releaseLease(instanceId, owner, revision));
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter q) {
        return query.time(() -> delegate.query(q));
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(InstanceFilter q) {
        return query.time(() -> delegate.countByStatus(q));
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return load.time(() -> delegate.history(instanceId, afterRevision, limit));
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return purge.time(() -> delegate.purgeFinishedBefore(cutoff));
    }

    /** One operation's timer and error counter, resolved once. */
    static final class Call {
        private final Timer timer;
        private final Counter errors;

        Call(MeterRegistry registry, String prefix, String operation) {
            timer = Timer.builder(prefix + ".calls").description("latency of calls").tag("operation", operation).register(registry);
            errors = Counter.builder(prefix + ".errors").description("calls that threw").tag("operation", operation).register(registry);
        }

        <T> T time(Supplier<T> call) {
            long started = System.nanoTime();
            try {
                return call.get();
            } catch (RuntimeException e) {
                errors.increment();
                throw e;
            } finally {
                timer.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
        }
    }
}
