package net.reactory.workflow.application.service;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.RunnerState;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.InstanceQuery;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.domain.ExecutionPointer;
import net.reactory.workflow.domain.Lease;
import net.reactory.workflow.domain.Transition;
import net.reactory.workflow.domain.Workflow;
import net.reactory.workflow.domain.WorkflowDefinition;
import net.reactory.workflow.domain.WorkflowEvent;
import net.reactory.workflow.domain.WorkflowInstance;
import net.reactory.workflow.domain.WorkflowRef;
import net.reactory.workflow.domain.WorkflowStatus;
import net.reactory.workflow.domain.WorkflowTransitions;

/**
 * The runner. A started instance is executed at once by the node that started it, its steps back
 * to back on one virtual thread; the poller only picks up timers, crashed nodes' work and lost signals.
 */
public final class WorkflowRunnerService implements WorkflowRunner {

    private static final Logger log = LoggerFactory.getLogger(WorkflowRunnerService.class);

    private enum Phase { NEW, RUNNING, STOPPING, STOPPED }

    private final RunnerConfig config;
    private final InstanceStore store;
    private final WorkSignal workSignal;
    private final LifecycleEventPublisher publisher;
    private final AuditLog audit;
    private final RunnerMetrics metrics;
    private final InstantSource clock;
    private final Ids ids = new Ids();
    private final DefinitionRegistry registry = new DefinitionRegistry();
    private final StepExecutor stepExecutor;
    private final GuardedInstanceStore guardedStore;
    private final BrokerGuards brokerGuards;
    private final RecurringStarts recurring;
    private final DeadlineSweep deadlines;
    private final WorkflowLanguage language;

    /** The instances this node runs now, with what it holds of each, so that long steps keep their lease. */
    private final Map<String, HeldLease> inFlight = new ConcurrentHashMap<>();
    private final Map<String, CompletableFuture<WorkflowInstance>> finishWaiters = new ConcurrentHashMap<>();
    private final AtomicReference<CompletableFuture<Void>> initialization = new AtomicReference<>();
    private volatile Phase phase = Phase.NEW;
    private volatile ExecutorService executor;
    private volatile ScheduledExecutorService timer;
    private volatile AutoCloseable signalSubscription;

    WorkflowRunnerService(RunnerConfig config, InstanceStore store, WorkSignal workSignal, LifecycleEventPublisher publisher,
                          AuditLog audit, RunnerMetrics metrics, InstantSource clock, List<Workflow> workflows, EventStore events) {
        this.config = config;
        this.guardedStore = new GuardedInstanceStore(store, config.resilience(), metrics);
        this.store = guardedStore;
        this.brokerGuards = new BrokerGuards(config.resilience());
        this.workSignal = brokerGuards.guard(workSignal);
        this.publisher = publisher;
        this.audit = audit;
        this.metrics = metrics;
        this.clock = clock;
        this.stepExecutor = new StepExecutor(clock, config, metrics);
        this.recurring = new RecurringStarts(clock, this::start);
        this.deadlines = new DeadlineSweep(this.store, config.claimBatch());
        this.language = new WorkflowLanguage(events, this.store, registry, clock, ids, audit, () -> executor, () -> timer,
                new Runs(), this::publish, this::startWorkflow, this::terminateChild);
        for (Workflow workflow : workflows) {
            registry.register(RecurringStarts.checkCron(workflow));
        }
    }

    public static WorkflowRunnerBuilder builder() {
        return new WorkflowRunnerBuilder();
    }

    // ---------------------------------------------------------------- lifecycle

    @Override
    public CompletableFuture<Void> initialize() {
        CompletableFuture<Void> mine = new CompletableFuture<>();
        if (!initialization.compareAndSet(null, mine)) {
            return initialization.get();
        }
        try {
            executor = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("workflow-runner").factory());
            timer = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().name("workflow-poller").daemon(true).factory());
            phase = Phase.RUNNING;
            signalSubscription = workSignal.subscribe(this::onSignal);
            List<CompletableFuture<String>> autoStarts = new ArrayList<>();
            for (WorkflowDefinition definition : registry.definitions()) {
                RecurringStarts.Schedule recurs = definition.autoStart() ? RecurringStarts.scheduleOf(definition) : null;
                if (recurs != null) {
                    autoStarts.addAll(recurring.add(definition, recurs));
                } else if (definition.autoStart()) {
                    autoStarts.add(start(definition, new StartRequest(definition.key().toString(), null,
                            Map.of("when", clock.instant().toString()), null, "system", "auto-start")));
                }
            }
            CompletableFuture.allOf(autoStarts.toArray(CompletableFuture[]::new)).whenComplete((ok, error) -> {
                if (error == null) {
                    long pollMillis = config.pollInterval().toMillis();
                    timer.scheduleWithFixedDelay(this::pollSafely, pollMillis, pollMillis, TimeUnit.MILLISECONDS);
                    long renewMillis = Math.max(1, config.leaseDuration().toMillis() / 3);
                    timer.scheduleWithFixedDelay(this::renewLeasesSafely, renewMillis, renewMillis, TimeUnit.MILLISECONDS);
                    recurring.startTimer(timer);
                    log.info("workflow runner {} initialized with {} workflows", config.nodeId(), registry.workflows().size());
                    mine.complete(null);
                } else {
                    log.error("workflow runner failed to initialize: {}", unwrap(error).toString());
                    shutdown(Duration.ZERO);
                    initialization.set(null);
                    mine.completeExceptionally(unwrap(error));
                }
            });
        } catch (RuntimeException e) {
            shutdown(Duration.ZERO);
            initialization.set(null);
            mine.completeExceptionally(e);
        }
        return mine;
    }

    @Override
    public boolean isInitialized() {
        CompletableFuture<Void> init = initialization.get();
        return phase == Phase.RUNNING && init != null && init.isDone() && !init.isCompletedExceptionally();
    }

    @Override
    public CompletableFuture<Void> stop() {
        return CompletableFuture.runAsync(() -> {
            if (phase == Phase.RUNNING) {
                shutdown(config.stopTimeout());
            }
            initialization.set(null);
            log.info("workflow runner {} stopped", config.nodeId());
        }, command -> Thread.ofPlatform().name("workflow-stop").start(command));
    }

    private void shutdown(Duration grace) {
        phase = Phase.STOPPING;
        closeQuietly(signalSubscription);
        ScheduledExecutorService t = timer;
        if (t != null) t.shutdownNow();
        ExecutorService e = executor;
        if (e != null) {
            e.shutdown();
            try {
                if (!e.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} instances still running after {}: interrupting them; their leases will expire", inFlight.size(), grace);
                    e.shutdownNow();
                    e.awaitTermination(5, TimeUnit.SECONDS);
                }
            } catch (InterruptedException ie) {
                e.shutdownNow();
                Thread.currentThread().interrupt();
            }
        }
        if (t != null) {
            try {
                t.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
        stepExecutor.close();
        phase = Phase.STOPPED;
    }

    @Override
    public RunnerState getState() {
        return new RunnerState(isInitialized(), config.nodeId(), registry.workflows(), inFlight.size());
    }

    // ---------------------------------------------------------------- commands

    @Override
    public void registerWorkflow(Workflow workflow) {
        registerWorkflow(workflow, CommandOrigin.API);
    }

    @Override
    public void registerWorkflow(Workflow workflow, CommandOrigin origin) {
        String target = workflow == null ? "null" : workflow.key();
        try {
            requireRunning("registerWorkflow");
            registry.register(RecurringStarts.checkCron(workflow));
            audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), "register", target, "accepted", null));
        } catch (RuntimeException e) {
            audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), "register", target, "refused", e.getMessage()));
            throw e;
        }
    }

    @Override
    public CompletableFuture<String> startWorkflow(String id, String version, Object data) {
        return startWorkflow(StartRequest.of(id, version, data));
    }

    @Override
    public CompletableFuture<String> startWorkflow(StartRequest request) {
        WorkflowDefinition definition;
        try {
            requireRunning("startWorkflow");
            definition = registry.resolve(request.workflowId(), request.version());
            InputValidation.check(definition, request.data(), config.resilience().maxInputBytes());
        } catch (RuntimeException e) {
            audit(new AuditEntry(clock.instant(), request.caller(), request.entryPoint(), "start", request.workflowId(), "refused", e.getMessage()));
            throw e;
        }
        return start(definition, request);
    }

    private CompletableFuture<String> start(WorkflowDefinition definition, StartRequest request) {
        Instant now = clock.instant();
        String instanceId = ids.next();
        Transition started = WorkflowTransitions.start(instanceId, definition, request.data(), request.reference(), now);
        WorkflowInstance leased = started.instance().withLease(new Lease(config.nodeId(), now.plus(config.leaseDuration())));
        CompletableFuture<String> result = new CompletableFuture<>();
        inFlight.put(instanceId, new HeldLease());
        try {
            executor.execute(() -> {
                CreateResult created;
                try {
                    created = store.create(leased, started.changes());
                } catch (RuntimeException e) {
                    inFlight.remove(instanceId);
                    metrics.storeError();
                    audit(new AuditEntry(now, request.caller(), request.entryPoint(), "start", definition.key().toString(), "refused", e.toString()));
                    result.completeExceptionally(e);
                    return;
                }
                switch (created) {
                    case CreateResult.ReferenceTaken taken -> {
                        inFlight.remove(instanceId);
                        audit(new AuditEntry(now, request.caller(), request.entryPoint(), "start", definition.key().toString(), "accepted",
                                "reference " + request.reference() + " already started " + taken.existingInstanceId()));
                        result.complete(taken.existingInstanceId());
                    }
                    case CreateResult.Created ok -> {
                        metrics.instanceStarted(definition.key());
                        audit(new AuditEntry(now, request.caller(), request.entryPoint(), "start", definition.key().toString(), "accepted", instanceId));
                        result.complete(instanceId);
                        publish(started.changes());
                        run(leased, definition);
                    }
                }
            });
        } catch (RejectedExecutionException e) {
            inFlight.remove(instanceId);
            result.completeExceptionally(new RunnerNotInitializedException("startWorkflow"));
        }
        return result;
    }

    @Override
    public CompletableFuture<WorkflowInstance> suspend(String instanceId, String reason) {
        return suspend(instanceId, reason, CommandOrigin.API);
    }

    @Override
    public CompletableFuture<WorkflowInstance> resume(String instanceId) {
        return resume(instanceId, CommandOrigin.API);
    }

    @Override
    public CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason) {
        return terminate(instanceId, reason, CommandOrigin.API);
    }

    @Override
    public CompletableFuture<WorkflowInstance> suspend(String instanceId, String reason, CommandOrigin origin) {
        return command("suspend", instanceId, origin, i -> WorkflowTransitions.suspend(i, reason, clock.instant()));
    }

    @Override
    public CompletableFuture<WorkflowInstance> resume(String instanceId, CommandOrigin origin) {
        return command("resume", instanceId, origin, i -> WorkflowTransitions.resume(i, clock.instant()));
    }

    @Override
    public CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason, CommandOrigin origin) {
        return command("terminate", instanceId, origin, i -> WorkflowTransitions.terminate(i, reason, clock.instant()));
    }

    @Override
    public CompletableFuture<String> publishEvent(String name, String key, Object data, Instant effectiveAt) {
        return publishEvent(null, name, key, data, effectiveAt);
    }

    @Override
    public CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt) {
        return publishEvent(eventId, name, key, data, effectiveAt, CommandOrigin.API);
    }

    @Override
    public CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt,
                                                  CommandOrigin origin) {
        String target = name + "/" + key;
        try {
            requireRunning("publishEvent");
            return language.publishEvent(eventId, name, key, data, effectiveAt, origin).whenComplete((id, error) -> {
                if (error != null) {
                    audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), "publishEvent", target, "refused",
                            unwrap(error).toString()));
                }
            });
        } catch (RuntimeException e) {
            audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), "publishEvent", target, "refused", e.getMessage()));
            throw e;
        }
    }

    /** A lifecycle command: applied with compare-and-set, retried on a concurrent change, and never losing a step in flight. */
    private CompletableFuture<WorkflowInstance> command(String name, String instanceId, CommandOrigin origin,
                                                        Function<WorkflowInstance, Transition> transition) {
        try {
            requireRunning(name);
        } catch (RunnerNotInitializedException e) {
            audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), name, instanceId, "refused", e.getMessage()));
            throw e;
        }
        return CompletableFuture.supplyAsync(() -> {
            try {
                while (true) {
                    WorkflowInstance current = store.load(instanceId).orElseThrow(() -> new InstanceNotFoundException(instanceId));
                    Transition t = CommandOrigins.stamped(transition.apply(current), origin);
                    if (t.changes().isEmpty()) {
                        audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), name, instanceId, "accepted", "no change"));
                        return current;
                    }
                    // A command releases no lease: the holder's next save fails on the revision and it lets go.
                    WorkflowInstance next = t.instance().withLease(null);
                    if (store.save(next, current.revision(), t.changes())) {
                        audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), name, instanceId, "accepted", String.valueOf(next.status())));
                        publish(t.changes());
                        afterSave(next);
                        if (next.isRunnableAt(clock.instant())) workSignal.signal(instanceId);
                        return next;
                    }
                    metrics.staleWrite();
                }
            } catch (RuntimeException e) {
                audit(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), name, instanceId, "refused", e.getMessage()));
                throw e;
            }
        }, executor);
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<WorkflowInstance> getInstance(String instanceId) {
        return store.load(instanceId);
    }

    public List<WorkflowInstance> queryInstances(InstanceQuery query) {
        return store.query(query);
    }

    @Override
    public CompletableFuture<WorkflowInstance> awaitFinished(String instanceId) {
        CompletableFuture<WorkflowInstance> waiter = finishWaiters.computeIfAbsent(instanceId, id -> new CompletableFuture<>());
        // Registered first, then checked: an instance finishing in between is seen by one or the other.
        store.load(instanceId).ifPresentOrElse(i -> {
            if (i.isFinished()) completeWaiter(i);
        }, () -> {
            finishWaiters.remove(instanceId);
            waiter.completeExceptionally(new InstanceNotFoundException(instanceId));
        });
        return waiter;
    }

    public List<WorkflowDefinition> definitions() {
        return registry.definitions();
    }

    public RunnerConfig config() {
        return config;
    }

    // ---------------------------------------------------------------- execution

    /** Runs the instance's due steps back to back while this node holds its lease. Called on a virtual thread. */
    private void run(WorkflowInstance leased, WorkflowDefinition definition) {
        String id = leased.id();
        WorkflowInstance saved = leased;
        boolean dropped = false;
        HeldLease held = inFlight.get(id);
        if (held != null) held.hold(leased);
        try {
            WorkflowInstance current = leased;
            // Usually one transition between two saves: its own immutable change list is used as it is.
            List<WorkflowEvent> unsaved = List.of();
            long lastWrite = System.nanoTime();
            // The clock is read once per step: each transition's time (updatedAt) is the next step's start.
            Instant now = clock.instant();
            while (true) {
                List<ExecutionPointer> due = WorkflowTransitions.duePointers(current, now);
                if (due.isEmpty() || phase != Phase.RUNNING) break;
                for (ExecutionPointer pointer : due) {
                    // An earlier step of this round may have ended the branch or the instance (saga, join).
                    if (due.size() > 1 && !WorkflowTransitions.isStillDue(current, pointer)) continue;
                    Transition t = stepExecutor.execute(current, definition, pointer, now);
                    current = t.instance();
                    unsaved = unsaved.isEmpty() ? t.changes() : concat(unsaved, t.changes());
                    language.beforeSave(t.changes());
                }
                if (current.updatedAt().isAfter(now)) now = current.updatedAt();
                boolean moreNow = phase == Phase.RUNNING && !WorkflowTransitions.duePointers(current, now).isEmpty();
                boolean burstDue = config.durability() == RunnerConfig.Durability.BURST
                        && System.nanoTime() - lastWrite < config.burstMaxDelay().toNanos();
                if (moreNow && burstDue) continue;
                // The last write of a run hands the lease back in the same round trip; the writes before it keep the
                // lease as it is (renewLeasesNow extends it for long runs), which spares a copy of the instance per step.
                WorkflowInstance toSave = moreNow ? current : current.withLease(null);
                if (!guardedStore.saveHolding(toSave, saved.revision(), unsaved, this::isRunning)) {
                    metrics.staleWrite();
                    log.info("instance {} ({}) changed under this node (stale revision {}): dropping its run", id, current.definition(), saved.revision());
                    dropped = true;
                    return;
                }
                publish(unsaved);
                unsaved = List.of();
                lastWrite = System.nanoTime();
                saved = toSave;
                current = toSave;
                if (held != null) held.hold(toSave);
                afterSave(toSave);
                if (!moreNow) return;
            }
            if (saved != current || saved.lease() != null) {
                WorkflowInstance toSave = current.withLease(null);
                if (guardedStore.saveHolding(toSave, saved.revision(), unsaved, this::isRunning)) {
                    publish(unsaved);
                    afterSave(toSave);
                } else {
                    metrics.staleWrite();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            log.warn("instance {} interrupted while the runner stops: its lease is handed back and another node continues it", id);
            releaseQuietly(saved);
        } catch (RuntimeException | Error e) {
            metrics.storeError();
            log.error("instance {} ({}) could not be advanced: {}; its lease expires and it is retried", id, leased.definition(), e.toString(), e);
        } finally {
            inFlight.remove(id);
            // A stale run may have lost to this node's own poller (its lease ran out mid-run), which then handed the
            // claim back: look once more, so the instance does not wait for the next poll. A claim that fails is cheap.
            if (dropped) onSignal(id);
        }
    }

    private static List<WorkflowEvent> concat(List<WorkflowEvent> first, List<WorkflowEvent> second) {
        List<WorkflowEvent> all = new ArrayList<>(first.size() + second.size());
        all.addAll(first);
        all.addAll(second);
        return all;
    }

    private boolean isRunning() {
        return phase == Phase.RUNNING;
    }

    /** Hands back the lease held on {@code held}, so that another node (or the next start) continues at once. */
    private void releaseQuietly(WorkflowInstance held) {
        if (held.lease() == null) return;
        try {
            if (store.releaseLease(held.id(), config.nodeId(), held.revision())) workSignal.signal(held.id());
        } catch (RuntimeException e) {
            log.warn("could not hand back the lease of instance {}; it expires at {}: {}", held.id(), held.lease().until(), e.toString());
        }
    }

    /**
     * Keeps the leases of instances whose step runs long: a lease that would end within half its
     * duration is extended, without raising the revision, so the run's next save still matches.
     * A renewal that fails means another node took the instance over; the run's save then fails too.
     */
    public int renewLeasesNow() {
        if (phase != Phase.RUNNING) return 0;
        Instant now = clock.instant();
        Instant soon = now.plus(config.leaseDuration().dividedBy(2));
        int renewed = 0;
        for (Map.Entry<String, HeldLease> entry : inFlight.entrySet()) {
            HeldLease held = entry.getValue();
            Instant until = held.until;
            if (until == null || until.isAfter(soon)) continue;
            Instant newUntil = now.plus(config.leaseDuration());
            try {
                if (store.renewLease(entry.getKey(), config.nodeId(), held.revision, newUntil)) {
                    held.until = newUntil;
                    renewed++;
                } else {
                    log.info("lease of instance {} could not be renewed: another node has taken it over or it changed", entry.getKey());
                    held.until = null;
                }
            } catch (RuntimeException e) {
                // One failed renewal must not cost the others theirs; this one is tried again next time.
                metrics.storeError();
                log.warn("lease of instance {} could not be renewed now (it ends at {}): {}", entry.getKey(), until, e.toString());
            }
        }
        return renewed;
    }

    private void renewLeasesSafely() {
        try {
            renewLeasesNow();
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("lease renewal failed, trying again later: {}", e.toString());
        }
    }

    /** What this node holds of an instance it runs: the revision it saved last and the end of its lease. */
    private static final class HeldLease {
        volatile long revision;
        volatile Instant until;

        void hold(WorkflowInstance saved) {
            revision = saved.revision();
            until = saved.lease() == null ? null : saved.lease().until();
        }
    }

    private void afterSave(WorkflowInstance instance) {
        language.saved(instance);
        if (instance.isFinished()) {
            metrics.instanceFinished(instance.definition(), instance.status().name());
            completeWaiter(instance);
        } else if (instance.status() == WorkflowStatus.RUNNABLE && instance.nextExecution() != null) {
            scheduleWakeUp(instance);
        }
    }

    /** A sleeping instance due soon gets a local timer, so short sleeps and retries do not wait for a poll. */
    private void scheduleWakeUp(WorkflowInstance instance) {
        // Due at its own transition's time: the run that saved it goes on with it, no timer (and no clock read) needed.
        if (!instance.nextExecution().isAfter(instance.updatedAt())) return;
        long delay = Duration.between(clock.instant(), instance.nextExecution()).toMillis();
        ScheduledExecutorService t = timer;
        if (delay > 0 && delay < config.pollInterval().toMillis() * 10 && t != null && !t.isShutdown()) {
            try {
                t.schedule(() -> onSignal(instance.id()), delay, TimeUnit.MILLISECONDS);
            } catch (RejectedExecutionException ignored) {
                // Stopping: the poller of the next start picks it up.
            }
        }
    }

    private void completeWaiter(WorkflowInstance finished) {
        CompletableFuture<WorkflowInstance> waiter = finishWaiters.remove(finished.id());
        if (waiter != null) waiter.complete(finished);
    }

    private void onSignal(String instanceId) {
        if (phase != Phase.RUNNING || inFlight.containsKey(instanceId)) return;
        try {
            executor.execute(() -> {
                if (inFlight.putIfAbsent(instanceId, new HeldLease()) != null) return;
                try {
                    Instant now = clock.instant();
                    Optional<WorkflowInstance> claimed = store.claim(instanceId, config.nodeId(), now, now.plus(config.leaseDuration()));
                    if (claimed.isPresent()) {
                        metrics.leaseClaimed(1);
                        runClaimed(claimed.get());
                    } else {
                        inFlight.remove(instanceId);
                    }
                } catch (RuntimeException e) {
                    inFlight.remove(instanceId);
                    metrics.storeError();
                    log.warn("could not claim signalled instance {}: {}", instanceId, e.toString());
                }
            });
        } catch (RejectedExecutionException ignored) {
            // Stopping.
        }
    }

    /** A parent finished while its child ran: the child is terminated, audited as the parent's doing. */
    private void terminateChild(String childId, String parentId) {
        try {
            terminate(childId, "its parent " + parentId + " finished", new CommandOrigin("workflow:" + parentId, "child"))
                    .whenComplete((child, error) -> {
                        if (error != null) log.debug("child {} of {} was not terminated: {}", childId, parentId, unwrap(error).toString());
                        else log.info("child {} ({}) terminated: its parent {} finished", childId, child.definition(), parentId);
                    });
        } catch (RuntimeException stopping) {
            log.info("child {} of {} left running: {}", childId, parentId, stopping.toString());
        }
    }

    /** This node's runs as event delivery sees them. */
    private final class Runs implements LocalRuns {
        @Override
        public boolean busy(String instanceId) {
            return inFlight.containsKey(instanceId);
        }

        @Override
        public void claimAndRun(String instanceId) {
            onSignal(instanceId);
        }

        @Override
        public Lease reserve(String instanceId, Instant now) {
            if (phase != Phase.RUNNING || inFlight.putIfAbsent(instanceId, new HeldLease()) != null) return null;
            return new Lease(config.nodeId(), now.plus(config.leaseDuration()));
        }

        @Override
        public void cancel(String instanceId) {
            inFlight.remove(instanceId);
        }

        @Override
        public void giveBack(WorkflowInstance leased) {
            releaseQuietly(leased);
            inFlight.remove(leased.id());
        }

        @Override
        public void runLeased(WorkflowInstance leased) {
            try {
                executor.execute(() -> runClaimed(leased));
            } catch (RejectedExecutionException stopping) {
                giveBack(leased);
            }
        }
    }

    /** Runs an instance this node claimed and already put in flight. */
    private void runClaimed(WorkflowInstance claimed) {
        WorkflowDefinition definition = registry.find(claimed.definition());
        if (definition == null) {
            log.warn("instance {} runs on {}, which this node does not know: handing it back", claimed.id(), claimed.definition());
            store.releaseLease(claimed.id(), config.nodeId(), claimed.revision());
            inFlight.remove(claimed.id());
            return;
        }
        run(claimed, definition);
    }

    /** One poll: claims due instances this node has room for, and looks after waiters of instances run elsewhere. */
    public int pollNow() {
        if (phase != Phase.RUNNING || guardedStore.isOpen()) return 0;
        Instant now = clock.instant();
        resilienceChores(now);
        int room = Math.min(config.claimBatch(), Math.max(0, config.maxConcurrent() * 4 - inFlight.size()));
        int claimedCount = 0;
        if (room > 0) {
            List<WorkflowInstance> claimed = store.claimDue(config.nodeId(), now, now.plus(config.leaseDuration()), room);
            claimedCount = claimed.size();
            if (claimedCount > 0) metrics.leaseClaimed(claimedCount);
            for (WorkflowInstance instance : claimed) {
                if (inFlight.putIfAbsent(instance.id(), new HeldLease()) != null) {
                    // A signal's run got there first and will fail its own claim: hand this lease back at once rather
                    // than leave the instance unclaimable until the lease expires.
                    releaseQuietly(instance);
                    continue;
                }
                try {
                    executor.execute(() -> runClaimed(instance));
                } catch (RejectedExecutionException e) {
                    inFlight.remove(instance.id());
                }
            }
        }
        for (String waiting : List.copyOf(finishWaiters.keySet())) {
            if (!inFlight.containsKey(waiting)) {
                store.load(waiting).filter(WorkflowInstance::isFinished).ifPresent(this::completeWaiter);
            }
        }
        return claimedCount;
    }

    /** Recurring auto-starts and workflow deadlines, with the poller. */
    private void resilienceChores(Instant now) {
        try {
            recurring.fireDue(now);
        } catch (RuntimeException e) {
            log.warn("recurring auto-starts failed: {}", e.toString());
        }
        try {
            deadlines.sweep(registry.definitions(), now, t -> {
                publish(t.changes());
                afterSave(t.instance());
            });
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("workflow deadline sweep failed: {}", e.toString());
        }
    }

    /** Every circuit breaker of this node: each named dependency's, the store's and the work signal's. */
    public Map<String, BreakerStatus> breakerStates() {
        Map<String, BreakerStatus> out = new java.util.TreeMap<>(stepExecutor.breakers().states());
        out.put("store", guardedStore.status());
        out.put("work-signal", brokerGuards.signalGuard.status());
        return out;
    }

    private void pollSafely() {
        try {
            pollNow();
        } catch (RuntimeException e) {
            metrics.storeError();
            log.warn("poll failed, trying again in {}: {}", config.pollInterval(), e.toString());
        }
    }

    // ---------------------------------------------------------------- helpers

    private void publish(List<WorkflowEvent> events) {
        if (events.isEmpty()) return;
        language.changed(events);
        try {
            publisher.publish(events);
        } catch (RuntimeException | StackOverflowError | LinkageError | AssertionError e) {
            // A throwing listener or publisher is logged with the instance and never stops the runner.
            log.warn("lifecycle event publisher failed for instance {}: {}", events.get(0).instanceId(), e.toString());
        }
    }

    private void audit(AuditEntry entry) {
        try {
            audit.record(entry);
        } catch (RuntimeException e) {
            log.warn("audit log failed to record {} of {}: {}", entry.command(), entry.target(), e.toString());
        }
    }

    private void requireRunning(String call) {
        if (phase != Phase.RUNNING) throw new RunnerNotInitializedException(call);
    }

    private static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) return;
        try {
            closeable.close();
        } catch (Exception e) {
            log.debug("closing {} failed: {}", closeable, e.toString());
        }
    }

    // ---------------------------------------------------------------- port.in for the edges: delegations only
    // (port.in types written out in full, so that this block is the whole change to the class)

    @Override
    public List<WorkflowInstance> queryInstances(net.reactory.workflow.application.port.in.InstanceFilter f) {
        return queryInstances(RunnerQueries.query(f));
    }

    @Override
    public List<net.reactory.workflow.application.port.in.BreakerState> circuitBreakers() {
        return breakerStates().values().stream().map(b -> new net.reactory.workflow.application.port.in.BreakerState(b.name(), b.state(), b.remainingDelay())).toList();
    }

    @Override
    public List<net.reactory.workflow.application.port.in.AuditRecord> recentCommands(int limit) {
        return audit.recent(limit).stream().map(a -> new net.reactory.workflow.application.port.in.AuditRecord(a.at(), a.actor(), a.entryPoint(), a.command(), a.target(), a.outcome(), a.detail())).toList();
    }

    @Override
    public void auditRefusal(CommandOrigin origin, String command, String target, String reason) {
        audit.record(new AuditEntry(clock.instant(), origin.actor(), origin.entryPoint(), command, target, "refused", reason));
    }

    @Override
    public Optional<net.reactory.workflow.application.port.in.InstanceHistory> history(String instanceId, long afterRevision, int limit) {
        return new RunnerQueries(store).history(instanceId, afterRevision, limit);
    }

    @Override
    public Map<WorkflowStatus, Long> countInstances(net.reactory.workflow.application.port.in.InstanceFilter filter) {
        return new RunnerQueries(store).count(filter);
    }
}
