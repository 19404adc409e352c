package net.reactory.workflow.application.service.command;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.application.port.in.InstanceNotFoundException;
import net.reactory.workflow.application.port.in.RunnerNotInitializedException;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.port.out.RunnerMetrics;
import net.reactory.workflow.application.port.out.WorkSignal;
import net.reactory.workflow.application.service.definition.DefinitionRegistry;
import net.reactory.workflow.application.service.events.EventDelivery;
import net.reactory.workflow.application.service.lifecycle.RecurringStarts;
import net.reactory.workflow.application.service.run.Ids;
import net.reactory.workflow.application.service.run.RunnerPhase;
import net.reactory.workflow.application.service.run.RunnerThreads;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.definition.Workflow;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.execution.WorkflowTransitions;

/**
 * The commands besides starts: register a workflow, suspend, resume and terminate an instance, publish an
 * external event. Each is audited once, accepted or refused. A lifecycle command is a compare-and-set on the
 * instance, retried on a concurrent change; it overrides any lease without releasing it: a run in progress
 * fails its next save on the revision and lets go.
 */
public final class Commands {

    private static final Logger log = LoggerFactory.getLogger(Commands.class);
    /** Delivered events are kept this long: within it, publishing an event id again changes nothing. */
    public static final Duration KEEP_DELIVERED = Duration.ofDays(1);

    private final DefinitionRegistry registry;
    private final InstanceStore store;
    private final WorkSignal workSignal;
    private final EventDelivery delivery;
    private final TransitionEffects effects;
    private final RunnerPhase phase;
    private final RunnerThreads threads;
    private final Ids ids;
    private final InstantSource clock;
    private final Audit audit;
    private final RunnerMetrics metrics;

    public Commands(DefinitionRegistry registry, InstanceStore store, WorkSignal workSignal, EventDelivery delivery, TransitionEffects effects,
             RunnerPhase phase, RunnerThreads threads, Ids ids, InstantSource clock, Audit audit, RunnerMetrics metrics) {
        this.registry = registry;
        this.store = store;
        this.workSignal = workSignal;
        this.delivery = delivery;
        this.effects = effects;
        this.phase = phase;
        this.threads = threads;
        this.ids = ids;
        this.clock = clock;
        this.audit = audit;
        this.metrics = metrics;
    }

    public void register(Workflow workflow, CommandOrigin origin) {
        String target = workflow == null ? "null" : workflow.key();
        try {
            requireRunning("registerWorkflow");
            registry.register(RecurringStarts.checkCron(workflow));
            audit.accepted(origin, "register", target, null);
        } catch (RuntimeException e) {
            audit.refused(origin, "register", target, e.getMessage());
            throw e;
        }
    }

    public CompletableFuture<WorkflowInstance> suspend(String instanceId, String reason, CommandOrigin origin) {
        return apply("suspend", instanceId, origin, i -> WorkflowTransitions.suspend(i, reason, clock.instant()));
    }

    public CompletableFuture<WorkflowInstance> resume(String instanceId, CommandOrigin origin) {
        return apply("resume", instanceId, origin, i -> WorkflowTransitions.resume(i, clock.instant()));
    }

    public CompletableFuture<WorkflowInstance> terminate(String instanceId, String reason, CommandOrigin origin) {
        return apply("terminate", instanceId, origin, i -> WorkflowTransitions.terminate(i, reason, clock.instant()));
    }

    /** A parent finished while its child ran: the child is terminated, audited as the parent's doing. */
    public CompletableFuture<Boolean> terminateChild(String childId, String parentId) {
        return terminateChild(childId, parentId, "its parent " + parentId + " finished");
    }

    /**
     * A parent no longer waits for its child (it finished, or its step was cancelled): the child is terminated for
     * {@code reason}. Never fails: completes with true once the child is finished (now or before), false when it
     * could not be terminated (store down, runner stopping), which the caller may try again.
     */
    public CompletableFuture<Boolean> terminateChild(String childId, String parentId, String reason) {
        try {
            return terminate(childId, reason, new CommandOrigin("workflow:" + parentId, "child"))
                    .handle((child, error) -> {
                        if (unwrap(error) instanceof InstanceNotFoundException) return true;
                        if (error != null) {
                            log.debug("child {} of {} was not terminated: {}", childId, parentId, unwrap(error).toString());
                            return false;
                        }
                        log.info("child {} ({}) terminated: {}", childId, child.definition(), reason);
                        return true;
                    });
        } catch (RuntimeException stopping) {
            log.info("child {} of {} left running: {}", childId, parentId, stopping.toString());
            return CompletableFuture.completedFuture(false);
        }
    }

    /** Stores the event and resumes the waits it matches, asynchronously; completes with the event's id. */
    public CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt, CommandOrigin origin) {
        return publishEvent(eventId, name, key, data, effectiveAt, origin, java.util.Map.of());
    }

    /** As above, the event carrying its publisher's trace context to the steps it resumes. */
    public CompletableFuture<String> publishEvent(String eventId, String name, String key, Object data, Instant effectiveAt, CommandOrigin origin,
                                                  java.util.Map<String, String> traceContext) {
        String target = name + "/" + key;
        try {
            requireRunning("publishEvent");
            if (name == null || name.isBlank()) throw new IllegalArgumentException("an event needs a name");
            if (key == null) throw new IllegalArgumentException("event '" + name + "' needs a key");
            String id = eventId == null || eventId.isBlank() ? ids.next() : eventId;
            Instant now = clock.instant();
            PublishedEvent event = new PublishedEvent(id, name, key, data, effectiveAt == null ? now : effectiveAt, now, traceContext);
            // The first instance the event resumes runs on the publishing thread once the publisher has its answer.
            EventDelivery.ResumedRun first = delivery.resumedRun();
            return threads.supplyThen("publishEvent", () -> {
                try {
                    boolean fresh = delivery.publish(event, first);
                    audit.accepted(origin, "publishEvent", target, fresh ? id : id + " was published already");
                    return id;
                } catch (RuntimeException e) {
                    audit.refused(origin, "publishEvent", target, e.toString());
                    throw e;
                }
            }, first::run);
        } catch (RuntimeException e) {
            audit.refused(origin, "publishEvent", target, e.getMessage());
            throw e;
        }
    }

    /** A lifecycle command: applied with compare-and-set, retried on a concurrent change, and never losing a step in flight. */
    private CompletableFuture<WorkflowInstance> apply(String name, String instanceId, CommandOrigin origin,
                                                      Function<WorkflowInstance, Transition> transition) {
        try {
            requireRunning(name);
        } catch (RunnerNotInitializedException e) {
            audit.refused(origin, name, instanceId, e.getMessage());
            throw e;
        }
        return threads.supply(name, () -> {
            try {
                return compareAndSet(name, instanceId, origin, transition);
            } catch (RuntimeException e) {
                audit.refused(origin, name, instanceId, e.getMessage());
                throw e;
            }
        });
    }

    private WorkflowInstance compareAndSet(String name, String instanceId, CommandOrigin origin, Function<WorkflowInstance, Transition> transition) {
        while (true) {
            WorkflowInstance current = store.load(instanceId).orElseThrow(() -> new InstanceNotFoundException(instanceId));
            Transition t = CommandOrigins.stamped(transition.apply(current), origin);
            if (t.changes().isEmpty()) {
                audit.accepted(origin, name, instanceId, "no change");
                return current;
            }
            // A command releases no lease: the holder's next save fails on the revision and it lets go.
            WorkflowInstance next = t.instance().withLease(null);
            effects.beforeSave(next, t.changes());
            if (store.save(next, current.revision(), t.changes())) {
                audit.accepted(origin, name, instanceId, String.valueOf(next.status()));
                effects.afterCommit(next, t.changes());
                if (next.isRunnableAt(clock.instant())) workSignal.signal(instanceId);
                return next;
            }
            metrics.staleWrite();
        }
    }

    private void requireRunning(String call) {
        if (!phase.isRunning()) throw new RunnerNotInitializedException(call);
    }

    static Throwable unwrap(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }
}
