package net.reactory.workflow.application.service;

import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.RunnerState;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.in.WorkflowInterceptor;
import net.reactory.workflow.application.port.in.WorkflowRunner;
import net.reactory.workflow.application.port.out.AuditEntry;
import net.reactory.workflow.application.port.out.AuditLog;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.in.InstanceFilter;
import net.reactory.workflow.application.service.query.RunnerQueries;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.LifecycleEventPublisher;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.command.Audit;
import net.reactory.workflow.application.service.command.Commands;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.events.ChildWorkflows;
import net.reactory.workflow.application.service.events.EventDelivery;
import net.reactory.workflow.application.service.events.EventWaits;
import net.reactory.workflow.application.service.lifecycle.Poller;
import net.reactory.workflow.application.service.lifecycle.RecurringStarts;
import net.reactory.workflow.application.service.lifecycle.RunnerLifecycle;
import net.reactory.workflow.application.service.resilience.BrokerGuards;
import net.reactory.workflow.application.service.resilience.GuardedInstanceStore;
import net.reactory.workflow.application.service.run.CommitEffects;
import net.reactory.workflow.application.service.run.Ids;
import net.reactory.workflow.application.service.run.InstanceRun;
import net.reactory.workflow.application.service.run.Interceptors;
import net.reactory.workflow.application.service.run.LifecyclePublishing;
import net.reactory.workflow.application.service.run.LocalRuns;
import net.reactory.workflow.application.service.run.RunnerPhase;
import net.reactory.workflow.application.service.run.RunnerThreads;
import net.reactory.workflow.application.service.run.Starts;
import net.reactory.workflow.application.service.run.StepExecutor;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;

/**
 * The runner: a facade over rooms that each own one thing. {@link RunnerLifecycle} initialises and stops;
 * {@link Starts} creates instances leased to this node; {@link LocalRuns} owns what this node holds and is the
 * one entry into an {@link InstanceRun}, which steps an instance and commits through the
 * transition effects;
 * {@link Commands} registers, suspends, resumes, terminates and publishes events; the {@link Poller} is the
 * safety net. A started instance is executed at once by the node that started it, its steps back to back on
 * one virtual thread; the poller only picks up timers, crashed nodes' work and lost signals.
 */
public final class WorkflowRunnerService implements WorkflowRunner {

    private final RunnerConfig config;
    private final GuardedInstanceStore store;
    private final BrokerGuards brokerGuards;
    private final AuditLog audit;
    private final InstantSource clock;
    private final DefinitionRegistry registry = new DefinitionRegistry();
    private final StepExecutor stepExecutor;
    private final LocalRuns runs;
    private final Starts starts;
    private final Commands commands;
    private final Poller poller;
    private final RunnerLifecycle lifecycle;

    WorkflowRunnerService(RunnerConfig config, InstanceStore store, WorkSignal workSignal, LifecycleEventPublisher publisher,
                          AuditLog audit, RunnerMetrics metrics, InstantSource clock, List<Workflow> workflows, EventStore events,
                          List<WorkflowInterceptor> interceptorList) {
        this.config = config;
        this.audit = audit;
        this.clock = clock;
        RunnerPhase phase = new RunnerPhase();
        RunnerThreads threads = new RunnerThreads();
        Ids ids = new Ids(clock);
        Audit commandAudit = new Audit(audit, clock);
        this.store = new GuardedInstanceStore(store, config.resilience(), metrics, phase);
        this.brokerGuards = new BrokerGuards(config.resilience());
        WorkSignal signal = brokerGuards.guard(workSignal);
        // The step metric rides the interceptor chain, innermost, and only when metrics are configured.
        Interceptors interceptors = Interceptors.of(interceptorList, metrics);
        this.stepExecutor = new StepExecutor(clock, config, interceptors);
        // The effects reach back into the rooms that commit (a child starts through the start room), so the
        // sequence is handed to those rooms first and its effects are installed once every room exists.
        CommitEffects effects = new CommitEffects();
        InstanceRun instanceRun = new InstanceRun(this.store, stepExecutor, effects, config, clock, phase, metrics);
        this.runs = new LocalRuns(config, this.store, signal, registry, phase, threads, clock, metrics, instanceRun);
        EventDelivery delivery = new EventDelivery(events, this.store, registry, clock, runs, threads, effects);
        this.starts = new Starts(config, registry, this.store, runs, threads, phase, effects, ids, clock, commandAudit, metrics, interceptors);
        this.commands = new Commands(registry, this.store, signal, delivery, effects, phase, threads, ids, clock, commandAudit, metrics);
        RecurringStarts recurring = new RecurringStarts(clock, starts::start);
        ChildWorkflows children = new ChildWorkflows(starts, commands, delivery, clock, this.store, events);
        this.poller = new Poller(config, this.store, runs, registry, recurring, children, effects, phase, threads, clock, metrics);
        List<TransitionEffects> allEffects = new ArrayList<>(List.of(new EventWaits(delivery), new LifecyclePublishing(publisher, metrics),
                children));
        // None registered: not even a call per commit. Before the poller, so a finish waiter wakes after the interceptors heard.
        if (interceptors.hasCallbacks()) allEffects.add(interceptors);
        allEffects.add(poller);
        effects.install(allEffects);
        this.lifecycle = new RunnerLifecycle(config, phase, threads, registry, starts, runs, poller, recurring, stepExecutor, signal, events,
                clock, metrics);
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
        return lifecycle.initialize();
    }

    @Override
    public boolean isInitialized() {
        return lifecycle.isInitialized();
    }

    @Override
    public CompletableFuture<Void> stop() {
        return lifecycle.stop();
    }

    @Override
    public RunnerState getState() {
        return new RunnerState(isInitialized(), config.nodeId(), registry.workflows(), runs.count());
    }

    /**
     * Whether this node is running the instance now: from its claim until its last commit's listeners have heard of it.
     * For the test harness, whose "idle" must not come while a commit's events are still on their way.
     */
    public boolean runsHere(String instanceId) {
        return runs.holds(instanceId);
    }

    // ---------------------------------------------------------------- commands

    @Override
    public void registerWorkflow(Workflow workflow) {
        registerWorkflow(workflow, CommandOrigin.API);
    }

    @Override
    public void registerWorkflow(Workflow workflow, CommandOrigin origin) {
        commands.register(workflow, origin);
    }

    @Override
    public CompletableFuture<String> startWorkflow(String id, String version, Object data) {
        return startWorkflow(StartRequest.of(id, version, data));
    }

    @Override
    public CompletableFuture<String> startWorkflow(StartRequest request) {
        return starts.start(request);
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
        return commands.suspend(instanceId, reason, origin);
    }

    @Override
    public CompletableFuture<WorkflowInstance> resume(String instanceId, CommandOrigin origin) {
        return commands.resume(instanceId, origin);
    }

    @Override
    public CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason, CommandOrigin origin) {
        return commands.terminate(instanceId, reason, origin);
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
        return commands.publishEvent(eventId, name, key, data, effectiveAt, origin);
    }

    // ---------------------------------------------------------------- queries

    @Override
    public Optional<WorkflowInstance> getInstance(String instanceId) {
        return store.load(instanceId);
    }

    @Override
    public CompletableFuture<WorkflowInstance> awaitFinished(String instanceId) {
        return poller.awaitFinished(instanceId);
    }

    public List<WorkflowDefinition> definitions() {
        return registry.definitions();
    }

    public RunnerConfig config() {
        return config;
    }

    /** Every circuit breaker of this node: each named dependency's, the store's and the work signal's. */
    public Map<String, BreakerStatus> breakerStates() {
        Map<String, BreakerStatus> out = new TreeMap<>(stepExecutor.breakers().states());
        out.put("store", store.status());
        out.put("work-signal", brokerGuards.signalGuard.status());
        return out;
    }

    // ---------------------------------------------------------------- the safety net, called by its timers (and by tests)

    /** One poll: claims due instances this node has room for, and looks after waiters of instances run elsewhere. */
    @Override
    public int pollNow() {
        return poller.pollNow();
    }

    /** Extends the leases of long-running instances that would end within half their duration; returns how many. */
    @Override
    public int renewLeasesNow() {
        return runs.renewLeases();
    }

    // ---------------------------------------------------------------- port.in for the edges: delegations only

    @Override
    public List<WorkflowInstance> queryInstances(InstanceFilter filter) {
        return store.query(filter);
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
    public Map<net.reactory.workflow.domain.instance.WorkflowStatus, Long> countInstances(InstanceFilter filter) {
        return new RunnerQueries(store).count(filter);
    }

    // ---------------------------------------------------------------- tracing (issue 17): trace context with events

    @Override
    public CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt,
                                                  CommandOrigin origin, Map<String, String> traceContext) {
        return commands.publishEvent(eventId, name, key, data, effectiveAt, origin, traceContext);
    }
}
