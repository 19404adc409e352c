package net.reactory.workflow.bootstrap.metrics;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.domain.WorkflowEvent;
import net.reactory.workflow.domain.WorkflowId;
import net.reactory.workflow.domain.WorkflowInstance;

/** Measures every store call's latency and counts its errors, without allocating; the calls themselves pass through unchanged. */
public final class TimedInstanceStore implements InstanceStore {

    private final InstanceStore delegate;
    private final Call create;
    private final Call load;
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
    public CreateResult create(WorkflowInstance instance) {
        long started = System.nanoTime();
        try {
            return delegate.create(instance);
        } catch (RuntimeException e) {
            create.failed();
            throw e;
        } finally {
            create.record(started);
        }
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        long started = System.nanoTime();
        try {
            return delegate.findByReference(workflow, reference);
        } catch (RuntimeException e) {
            load.failed();
            throw e;
        } finally {
            load.record(started);
        }
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        long started = System.nanoTime();
        try {
            return delegate.load(instanceId);
        } catch (RuntimeException e) {
            load.failed();
            throw e;
        } finally {
            load.record(started);
        }
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        long started = System.nanoTime();
        try {
            return delegate.save(instance, expectedRevision, changes);
        } catch (RuntimeException e) {
            save.failed();
            throw e;
        } finally {
            save.record(started);
        }
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        long started = System.nanoTime();
        try {
            return delegate.claimDue(owner, now, leaseUntil, limit);
        } catch (RuntimeException e) {
            claimDue.failed();
            throw e;
        } finally {
            claimDue.record(started);
        }
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        long started = System.nanoTime();
        try {
            return delegate.claim(instanceId, owner, now, leaseUntil);
        } catch (RuntimeException e) {
            claim.failed();
            throw e;
        } finally {
            claim.record(started);
        }
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        long started = System.nanoTime();
        try {
            return delegate.renewLease(instanceId, owner, revision, leaseUntil);
        } catch (RuntimeException e) {
            renewLease.failed();
            throw e;
        } finally {
            renewLease.record(started);
        }
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        long started = System.nanoTime();
        try {
            return delegate.releaseLease(instanceId, owner, revision);
        } catch (RuntimeException e) {
            releaseLease.failed();
            throw e;
        } finally {
            releaseLease.record(started);
        }
    }

    @Override
    public List<WorkflowInstance> query(InstanceQuery q) {
        long started = System.nanoTime();
        try {
            return delegate.query(q);
        } catch (RuntimeException e) {
            query.failed();
            throw e;
        } finally {
            query.record(started);
        }
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        long started = System.nanoTime();
        try {
            return delegate.purgeFinishedBefore(cutoff);
        } catch (RuntimeException e) {
            purge.failed();
            throw e;
        } finally {
            purge.record(started);
        }
    }

    /** One operation's timer and error counter, resolved once. */
    static final class Call {
        private final Timer timer;
        private final Counter errors;

        Call(MeterRegistry registry, String prefix, String operation) {
            timer = Timer.builder(prefix + ".calls").description("latency of calls").tag("operation", operation).register(registry);
            errors = Counter.builder(prefix + ".errors").description("calls that threw").tag("operation", operation).register(registry);
        }

        void failed() {
            errors.increment();
        }

        void record(long startedNanos) {
            timer.record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }
    }
}
