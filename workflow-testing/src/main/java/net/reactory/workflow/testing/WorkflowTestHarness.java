package net.reactory.workflow.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

import net.reactory.workflow.adapter.memory.InProcessWorkSignal;
import net.reactory.workflow.adapter.memory.MemoryAuditLog;
import net.reactory.workflow.adapter.memory.MemoryEventStore;
import net.reactory.workflow.adapter.memory.MemoryInstanceStore;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.WorkflowRunnerService;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * A runner for tests: the memory stores, a {@link SettableClock}, and a poller that never fires on its own,
 * so that time moves only when the test calls {@link #advance} and due work runs only then (db-scheduler's
 * {@code ManualScheduler} is the model). Everything that needs no time to pass (a start, the steps that follow
 * one another, an event that resumes a waiting step) runs at once on the runner's threads, as in production.
 *
 * <pre>{@code
 * try (WorkflowTestHarness harness = WorkflowTestHarness.of(orderWorkflow)) {
 *     String id = harness.start("shop.Order", Map.of("order", "o-1"));
 *     harness.awaitIdle(id);                        // waiting for "paid"
 *     harness.publishEvent("paid", "o-1", Map.of("amount", 3));
 *     harness.awaitIdle(id);                        // sleeping five minutes
 *     harness.advance(Duration.ofMinutes(5));
 *     assertThat(harness.awaitFinished(id).status()).isEqualTo(WorkflowStatus.COMPLETE);
 * }
 * }</pre>
 *
 * Every wait has a timeout ({@link #DEFAULT_TIMEOUT} unless the builder says otherwise) and ends in an
 * {@link AwaitTimeoutError} naming the state the instance was left in.
 */
public final class WorkflowTestHarness implements AutoCloseable {

    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

    /** The safety-net poller's interval: long enough that it never fires during a test, so only the test moves time. */
    private static final Duration PARKED_POLLER = Duration.ofDays(1);
    private static final long CHECK_EVERY_NANOS = TimeUnit.MICROSECONDS.toNanos(500);

    private final SettableClock clock;
    private final MemoryInstanceStore store = new MemoryInstanceStore();
    private final MemoryEventStore eventStore = new MemoryEventStore();
    private final MemoryAuditLog audit = new MemoryAuditLog();
    private final ConcurrentLinkedQueue<WorkflowEvent> events = new ConcurrentLinkedQueue<>();
    private final WorkflowRunnerService runner;
    private final Duration timeout;

    private WorkflowTestHarness(Builder b) {
        this.clock = new SettableClock(b.start);
        this.timeout = b.timeout;
        this.runner = WorkflowRunnerService.builder()
                .config(b.config.withPollInterval(PARKED_POLLER))
                .store(store)
                .eventStore(eventStore)
                // In-process wake-ups: a lease handed back is picked up again at once instead of waiting for a poll.
                .workSignal(new InProcessWorkSignal())
                .auditLog(audit)
                .clock(clock)
                .listener(events::add)
                .workflows(b.workflows)
                .build();
        join(runner.initialize(), "the runner to initialize");
    }

    /** A started harness holding {@code workflows}, the clock at {@link SettableClock#DEFAULT_START}. */
    public static WorkflowTestHarness of(Workflow... workflows) {
        return builder().workflows(List.of(workflows)).build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** What the harness is made of; {@link #build()} starts it. */
    public static final class Builder {
        private final List<Workflow> workflows = new ArrayList<>();
        private Instant start = SettableClock.DEFAULT_START;
        private Duration timeout = DEFAULT_TIMEOUT;
        private RunnerConfig config = RunnerConfig.defaults();

        private Builder() {
        }

        public Builder workflow(Workflow workflow) {
            workflows.add(Objects.requireNonNull(workflow, "workflow"));
            return this;
        }

        public Builder workflows(List<Workflow> more) {
            more.forEach(this::workflow);
            return this;
        }

        /** Where the clock starts. */
        public Builder startingAt(Instant instant) {
            this.start = Objects.requireNonNull(instant, "instant");
            return this;
        }

        /** How long each wait of the harness lasts before it fails the test. */
        public Builder timeout(Duration timeout) {
            Objects.requireNonNull(timeout, "timeout");
            if (timeout.isNegative() || timeout.isZero()) throw new IllegalArgumentException("timeout must be positive, not " + timeout);
            this.timeout = timeout;
            return this;
        }

        /** The runner's settings (retry delays, durability, limits); its poll interval is replaced, the harness polls. */
        public Builder config(RunnerConfig config) {
            this.config = Objects.requireNonNull(config, "config");
            return this;
        }

        /**
         * Builds and initializes the runner: auto-start workflows start now.
         *
         * @throws net.reactory.workflow.domain.definition.InvalidWorkflowException when a workflow is invalid
         */
        public WorkflowTestHarness build() {
            return new WorkflowTestHarness(this);
        }
    }

    // ---------------------------------------------------------------- what the test drives

    /** Starts the newest version of {@code workflowId} ({@code nameSpace.name}) and returns the instance id once stored. */
    public String start(String workflowId, Object data) {
        return start(workflowId, null, data);
    }

    public String start(String workflowId, String version, Object data) {
        return join(runner.startWorkflow(workflowId, version, data), "the start of " + workflowId);
    }

    /** Publishes an event effective now (on the harness clock); returns its id once delivered or kept pending. */
    public String publishEvent(String name, String key, Object data) {
        return join(runner.publishEvent(name, key, data, clock.instant()), "the event " + name + "/" + key);
    }

    /** Publishes an event with the given id: the same id published twice resumes once. */
    public String publishEvent(String eventId, String name, String key, Object data) {
        return join(runner.publishEvent(eventId, name, key, data, clock.instant()), "the event " + name + "/" + key);
    }

    /**
     * Moves the clock forward by {@code by}, then runs what became due (timers, retries, deadlines).
     * Waits first until no step runs, so that a run still under way cannot miss the new time.
     *
     * @return how many instances were picked up to run
     */
    public int advance(Duration by) {
        awaitQuiet();
        clock.advance(by);
        return runner.pollNow();
    }

    /** Moves the clock to {@code instant} (forward or back) and runs what is due then; see {@link #advance}. */
    public int advanceTo(Instant instant) {
        awaitQuiet();
        clock.set(instant);
        return runner.pollNow();
    }

    /** Runs what is due at the current time, without moving the clock; see {@link #advance}. */
    public int runDueWork() {
        awaitQuiet();
        return runner.pollNow();
    }

    // ---------------------------------------------------------------- waiting

    /** Waits for the instance to complete, fail or be terminated, and returns it as stored. */
    public WorkflowInstance awaitFinished(String instanceId) {
        return awaitFinished(instanceId, timeout);
    }

    public WorkflowInstance awaitFinished(String instanceId, Duration within) {
        CompletableFuture<WorkflowInstance> finished = runner.awaitFinished(instanceId);
        try {
            return finished.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AwaitTimeoutError("instance " + instanceId + " did not finish within " + within + ": " + describe(instanceId)
                    + " (does it wait for an event, or for time to pass? publishEvent(...) or advance(...) first)");
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwaitTimeoutError("interrupted while waiting for instance " + instanceId);
        }
    }

    /**
     * Waits until the instance has nothing to do at the current time: it waits for an event, sleeps until later,
     * is suspended, or finished; and no step of it runs. The moment to publish an event or to advance the clock.
     */
    public WorkflowInstance awaitIdle(String instanceId) {
        return awaitInstance(instanceId, i -> true);
    }

    /**
     * Waits until the instance is idle (see {@link #awaitIdle}) and {@code condition} holds for it.
     * The instance is checked as stored, so the test sees what another node would see.
     */
    public WorkflowInstance awaitInstance(String instanceId, Predicate<WorkflowInstance> condition) {
        return awaitInstance(instanceId, condition, timeout);
    }

    public WorkflowInstance awaitInstance(String instanceId, Predicate<WorkflowInstance> condition, Duration within) {
        Objects.requireNonNull(condition, "condition");
        instance(instanceId); // an unknown id fails at once, not after the timeout
        until(() -> store.load(instanceId).filter(this::idle).filter(condition).isPresent(), within,
                () -> "instance " + instanceId + " did not reach the expected state within " + within + ": " + describe(instanceId));
        return instance(instanceId);
    }

    /** Waits until no step of any instance runs on the runner. */
    public void awaitQuiet() {
        until(() -> runner.getState().running() == 0, timeout,
                () -> runner.getState().running() + " instances still running after " + timeout);
    }

    private boolean idle(WorkflowInstance instance) {
        // Stored at rest is not enough: the run that saved it may still be telling the listeners (events()).
        if (runner.runsHere(instance.id())) return false;
        if (instance.isFinished()) return true;
        return instance.lease() == null && !instance.isRunnableAt(clock.instant());
    }

    /** Checks the condition until it holds or the deadline passes; a short park between checks keeps the CPU free. */
    private static void until(BooleanSupplier condition, Duration within, Supplier<String> failure) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) throw new AwaitTimeoutError(failure.get());
            LockSupport.parkNanos(CHECK_EVERY_NANOS);
            if (Thread.currentThread().isInterrupted()) throw new AwaitTimeoutError("interrupted: " + failure.get());
        }
    }

    // ---------------------------------------------------------------- what the test reads

    /**
     * The instance as stored now.
     *
     * @throws IllegalArgumentException when there is no instance with that id
     */
    public WorkflowInstance instance(String instanceId) {
        return store.load(instanceId).orElseThrow(() -> new IllegalArgumentException("no instance " + instanceId));
    }

    public Optional<WorkflowInstance> findInstance(String instanceId) {
        return store.load(instanceId);
    }

    /** Every lifecycle event the runner published so far, oldest first. */
    public List<WorkflowEvent> events() {
        return List.copyOf(events);
    }

    /** The lifecycle events of one instance, oldest first. */
    public List<WorkflowEvent> events(String instanceId) {
        return events.stream().filter(e -> instanceId.equals(e.instanceId())).toList();
    }

    public SettableClock clock() {
        return clock;
    }

    /** The runner itself, for what the harness does not wrap (suspend, resume, terminate, queries). */
    public WorkflowRunnerService runner() {
        return runner;
    }

    public MemoryInstanceStore store() {
        return store;
    }

    public MemoryAuditLog auditLog() {
        return audit;
    }

    /** Stops the runner: running steps finish (a few seconds at most), every runner thread ends. */
    @Override
    public void close() {
        runner.stop().join();
    }

    // ---------------------------------------------------------------- helpers

    private String describe(String instanceId) {
        return store.load(instanceId).map(i -> i.status() + (i.lease() != null ? ", leased" : "")
                + (i.nextExecution() != null ? ", next step due at " + i.nextExecution() : ", nothing due (waits for an event?)")
                + " at clock " + clock.instant() + (i.errors().isEmpty() ? "" : ", errors " + i.errors())).orElse("no such instance");
    }

    private <T> T join(CompletableFuture<T> future, String what) {
        try {
            return future.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            throw new AwaitTimeoutError("waited " + timeout + " for " + what);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AwaitTimeoutError("interrupted while waiting for " + what);
        }
    }

    /** The runner's own exception (WorkflowNotFoundException, InvalidInputException, ...), not a wrapper. */
    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof CompletionException c && c.getCause() != null) cause = c.getCause();
        if (cause instanceof RuntimeException r) throw r;
        if (cause instanceof Error e) throw e;
        throw new CompletionException(cause);
    }
}
