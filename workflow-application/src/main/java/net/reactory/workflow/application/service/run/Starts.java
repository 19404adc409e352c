package net.reactory.workflow.application.service.run;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.CreateResult;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.service.RunnerConfig;
import net.reactory.workflow.application.service.command.Audit;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.resilience.InputValidation;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * Starting instances. A new instance is created in the store already leased to this node (the create is the
 * claim), and its steps run at once on the same virtual thread, through {@link LocalRuns#runHere}: no poll,
 * no second round trip. Callers' starts, auto-starts and child workflows all come here.
 */
public final class Starts {

    private static final Logger log = LoggerFactory.getLogger(Starts.class);

    private final RunnerConfig config;
    private final DefinitionRegistry registry;
    private final InstanceStore store;
    private final LocalRuns runs;
    private final RunnerThreads threads;
    private final RunnerPhase phase;
    private final TransitionEffects effects;
    private final Ids ids;
    private final InstantSource clock;
    private final Audit audit;
    private final RunnerMetrics metrics;
    private final Interceptors interceptors;

    public Starts(RunnerConfig config, DefinitionRegistry registry, InstanceStore store, LocalRuns runs, RunnerThreads threads, RunnerPhase phase,
           TransitionEffects effects, Ids ids, InstantSource clock, Audit audit, RunnerMetrics metrics) {
        this(config, registry, store, runs, threads, phase, effects, ids, clock, audit, metrics, new Interceptors(java.util.List.of()));
    }

    /** As above, the interceptors choosing the trace context each new instance is stored with. */
    public Starts(RunnerConfig config, DefinitionRegistry registry, InstanceStore store, LocalRuns runs, RunnerThreads threads, RunnerPhase phase,
           TransitionEffects effects, Ids ids, InstantSource clock, Audit audit, RunnerMetrics metrics, Interceptors interceptors) {
        this.config = config;
        this.registry = registry;
        this.store = store;
        this.runs = runs;
        this.threads = threads;
        this.phase = phase;
        this.effects = effects;
        this.ids = ids;
        this.clock = clock;
        this.audit = audit;
        this.metrics = metrics;
        this.interceptors = interceptors;
    }

    /** A caller's start: resolved and checked here, refused at once (and audited) when it names no workflow or bad input. */
    public CompletableFuture<String> start(StartRequest request) {
        return start(resolve(request), request);
    }

    /**
     * A start whose definition is known (auto-starts, recurring ticks). Completes with the instance id once it is
     * stored, or with the id of the instance that already has the request's reference.
     */
    public CompletableFuture<String> start(WorkflowDefinition definition, StartRequest request) {
        NewInstance instance = newInstance(definition, request);
        LocalRuns.Reservation reservation = runs.reserve(instance.id());
        CompletableFuture<String> result = new CompletableFuture<>();
        if (reservation == null || !threads.tryExecute(() -> createAndRun(instance, reservation, result))) {
            if (reservation != null) reservation.close();
            result.completeExceptionally(new RunnerNotInitializedException("startWorkflow"));
        }
        return result;
    }

    /**
     * A child workflow's start, on its parent's run thread: created before the parent's wait is saved, so that
     * a crash in between finds the same child again (by its reference). The child then runs on a thread of its own.
     *
     * @return the child's instance id
     * @throws RuntimeException when the child cannot start (unknown workflow, refused input, store failure)
     */
    public String startChild(StartRequest request) {
        NewInstance instance = newInstance(resolve(request), request);
        LocalRuns.Reservation reservation = runs.reserve(instance.id());
        if (reservation == null) throw new RunnerNotInitializedException("startWorkflow");
        try (reservation) {
            Created created = create(instance);
            if (created.fresh()) {
                effects.afterCommit(instance.leased(), instance.started().changes());
                runs.run(reservation.handOff(), instance.leased());
            }
            return created.instanceId();
        }
    }

    private WorkflowDefinition resolve(StartRequest request) {
        try {
            if (!phase.isRunning()) throw new RunnerNotInitializedException("startWorkflow");
            WorkflowDefinition definition = registry.resolve(request.workflowId(), request.version());
            InputValidation.check(definition, request.data(), config.resilience().maxInputBytes());
            return definition;
        } catch (RuntimeException e) {
            audit.refused(origin(request), "start", request.workflowId(), e.getMessage());
            throw e;
        }
    }

    /** A new instance, leased to this node from its creation: the create is the claim. */
    private record NewInstance(WorkflowDefinition definition, StartRequest request, Transition started) {
        WorkflowInstance leased() {
            return started.instance();
        }

        String id() {
            return started.instance().id();
        }
    }

    private NewInstance newInstance(WorkflowDefinition definition, StartRequest request) {
        Instant now = clock.instant();
        Transition start = WorkflowTransitions.start(ids.next(), definition, request.data(), request.reference(), runs.leaseFrom(now), now);
        WorkflowInstance leased = traced(start.instance().withTraceContext(request.traceContext()));
        // Without a trace context (and no tracer) the instance is the transition's own: nothing is copied.
        return new NewInstance(definition, request, leased == start.instance() ? start : new Transition(leased, start.changes()));
    }

    /** With no interceptor (tracing off), the caller's context as it came, and nothing called. */
    private WorkflowInstance traced(WorkflowInstance created) {
        return interceptors.hasCallbacks() ? interceptors.atStart(created) : created;
    }

    private void createAndRun(NewInstance instance, LocalRuns.Reservation reservation, CompletableFuture<String> result) {
        Created created;
        try {
            created = create(instance);
        } catch (RuntimeException e) {
            // Closed before the caller hears of it: a start that failed no longer counts among this node's runs.
            reservation.close();
            result.completeExceptionally(e);
            return;
        }
        if (!created.fresh()) {
            reservation.close();
            result.complete(created.instanceId());
            return;
        }
        result.complete(created.instanceId());
        effects.afterCommit(instance.leased(), instance.started().changes());
        runs.runHere(reservation, instance.leased());
    }

    /** The id a start answers with: the new instance's, or (not fresh) the one that already had the reference. */
    private record Created(String instanceId, boolean fresh) {
    }

    private Created create(NewInstance instance) {
        StartRequest request = instance.request();
        String workflow = instance.definition().key().toString();
        CreateResult created;
        try {
            created = store.create(instance.leased(), instance.started().changes());
        } catch (RuntimeException e) {
            metrics.storeError();
            audit.refused(origin(request), "start", workflow, e.toString());
            throw e;
        }
        return switch (created) {
            case CreateResult.ReferenceTaken taken -> {
                log.info("start of {} by {} through {} with reference {} returned the existing instance {}: nothing started",
                        workflow, request.caller(), request.entryPoint(), request.reference(), taken.existingInstanceId());
                audit.accepted(origin(request), "start", workflow,
                        "reference " + request.reference() + " already started " + taken.existingInstanceId());
                yield new Created(taken.existingInstanceId(), false);
            }
            case CreateResult.Created ok -> {
                metrics.instanceStarted(instance.definition().key());
                audit.accepted(origin(request), "start", workflow, instance.id());
                yield new Created(instance.id(), true);
            }
        };
    }

    private static CommandOrigin origin(StartRequest request) {
        return new CommandOrigin(request.caller(), request.entryPoint());
    }
}
