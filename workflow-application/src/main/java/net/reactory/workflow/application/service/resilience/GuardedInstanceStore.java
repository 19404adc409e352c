package net.reactory.workflow.application.service.resilience;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.HistoryPage;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.StoreUnavailableException;
import net.reactory.workflow.application.service.BreakerStatus;
import net.reactory.workflow.application.service.ResilienceConfig;
import net.reactory.workflow.application.service.run.RunnerPhase;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * The store behind a circuit breaker; while the store answers, a call costs one volatile read more. After repeated failures the breaker opens and every call fails at
 * once with {@link StoreUnavailableException}, without reaching the store: the poller claims nothing new,
 * commands are refused with that reason, and a running instance keeps its state in memory and waits in
 * {@link #saveHolding} until the store answers again. A trial call after the breaker's delay closes it.
 */
public final class GuardedInstanceStore implements InstanceStore {

    private static final Logger log = LoggerFactory.getLogger(GuardedInstanceStore.class);

    private final InstanceStore delegate;
    private final CallGuard guard;
    private final RunnerMetrics metrics;
    private final RunnerPhase phase;

    /** @param phase a save is held through an outage while the runner runs, and given up once it stops */
    public GuardedInstanceStore(InstanceStore delegate, ResilienceConfig config, RunnerMetrics metrics, RunnerPhase phase) {
        this.delegate = delegate;
        this.guard = new CallGuard("store", config.storeFailureThreshold(), config.storeOpenDelay());
        this.metrics = metrics;
        this.phase = phase;
    }

    private void before(String operation) {
        if (!guard.allows()) {
            throw new StoreUnavailableException("the store's circuit breaker is open after repeated failures: " + operation
                    + " not attempted, next trial in " + guard.remainingDelay().toMillis() + " ms", null);
        }
    }

    /**
     * A call failed: an outage counts on the breaker and is reported as {@link StoreUnavailableException}; a refusal of
     * the arguments ({@link IllegalArgumentException}, {@link UnsupportedOperationException}) says nothing about the
     * store's health and is rethrown as it is.
     */
    private RuntimeException failed(String operation, RuntimeException e) {
        if (e instanceof IllegalArgumentException || e instanceof UnsupportedOperationException) {
            guard.succeeded();
            return e;
        }
        guard.failed();
        metrics.storeError();
        return e instanceof StoreUnavailableException s ? s : new StoreUnavailableException(operation + " failed: " + e, e);
    }

    /** The store answered: a breaker that was troubled counts the success. */
    private <T> T succeeded(T result) {
        guard.succeeded();
        return result;
    }

    private boolean succeeded(boolean result) {
        guard.succeeded();
        return result;
    }

    /** True while the breaker is open: nothing reaches the store. */
    public boolean isOpen() {
        return guard.isOpen();
    }

    public BreakerStatus status() {
        return guard.status();
    }

    /**
     * Saves an instance this node holds, waiting out a store outage instead of dropping the work: the call is
     * tried again, after the breaker's delay, for as long as the runner runs. Runs on a virtual thread.
     *
     * @throws StoreUnavailableException when the runner stopped before the store answered
     */
    public boolean saveHolding(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) throws InterruptedException {
        long waitMillis = 10;
        boolean warned = false;
        while (true) {
            try {
                boolean saved = save(instance, expectedRevision, changes);
                if (warned) log.info("store answers again: instance {} ({}) saved at revision {}", instance.id(), instance.definition(), instance.revision());
                return saved;
            } catch (StoreUnavailableException e) {
                if (!phase.isRunning()) throw e;
                if (!warned) {
                    log.warn("store unavailable while saving instance {} ({}): holding it in memory until the store answers ({})",
                            instance.id(), instance.definition(), e.getMessage());
                    warned = true;
                }
                // A wall-clock back-off on this instance's own virtual thread, not a timer of the workflow: the clock
                // port decides when steps are due, not how long to wait for a database to come back.
                long remaining = guard.remainingDelay().toMillis();
                Thread.sleep(Math.max(waitMillis, remaining));
                waitMillis = Math.min(waitMillis * 2, 1000);
            }
        }
    }

    @Override
    public CreateResult create(WorkflowInstance instance, List<WorkflowEvent> changes) {
        before("create");
        try {
            return succeeded(delegate.create(instance, changes));
        } catch (RuntimeException e) {
            throw failed("create", e);
        }
    }

    @Override
    public Optional<WorkflowInstance> load(String instanceId) {
        before("load");
        try {
            return succeeded(delegate.load(instanceId));
        } catch (RuntimeException e) {
            throw failed("load", e);
        }
    }

    @Override
    public Optional<WorkflowInstance> findByReference(WorkflowId workflow, String reference) {
        return call("findByReference", () -> delegate.findByReference(workflow, reference));
    }

    @Override
    public boolean save(WorkflowInstance instance, long expectedRevision, List<WorkflowEvent> changes) {
        before("save");
        try {
            return succeeded(delegate.save(instance, expectedRevision, changes));
        } catch (RuntimeException e) {
            throw failed("save", e);
        }
    }

    @Override
    public List<WorkflowInstance> claimDue(String owner, Instant now, Instant leaseUntil, int limit) {
        return call("claimDue", () -> delegate.claimDue(owner, now, leaseUntil, limit));
    }

    @Override
    public Optional<WorkflowInstance> claim(String instanceId, String owner, Instant now, Instant leaseUntil) {
        return call("claim", () -> delegate.claim(instanceId, owner, now, leaseUntil));
    }

    @Override
    public boolean renewLease(String instanceId, String owner, long revision, Instant leaseUntil) {
        return call("renewLease", () -> delegate.renewLease(instanceId, owner, revision, leaseUntil));
    }

    @Override
    public boolean releaseLease(String instanceId, String owner, long revision) {
        return call("releaseLease", () -> delegate.releaseLease(instanceId, owner, revision));
    }

    @Override
    public List<WorkflowInstance> query(InstanceFilter query) {
        return call("query", () -> delegate.query(query));
    }

    @Override
    public Map<WorkflowStatus, Long> countByStatus(InstanceFilter query) {
        return call("countByStatus", () -> delegate.countByStatus(query));
    }

    @Override
    public Optional<HistoryPage> history(String instanceId, long afterRevision, int limit) {
        return call("history", () -> delegate.history(instanceId, afterRevision, limit));
    }

    @Override
    public long purgeFinishedBefore(Instant cutoff) {
        return call("purgeFinishedBefore", () -> delegate.purgeFinishedBefore(cutoff));
    }

    /**
     * Every call: refused while the breaker is open, counted on it when the store fails, cleared when it answers. The
     * calls of every run (create, load, save) are written out as {@code before / succeeded / failed} instead: a lambda
     * capturing their arguments would be an allocation per call.
     */
    private <T> T call(String operation, Supplier<T> call) {
        before(operation);
        try {
            T result = call.get();
            guard.succeeded();
            return result;
        } catch (RuntimeException e) {
            throw failed(operation, e);
        }
    }
}
