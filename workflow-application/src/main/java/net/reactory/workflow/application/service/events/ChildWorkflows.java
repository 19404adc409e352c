package net.reactory.workflow.application.service.events;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.service.command.Commands;
import net.reactory.workflow.application.service.run.Starts;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.definition.WorkflowId;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.definition.WorkflowRef;
import net.reactory.workflow.domain.instance.WorkflowStatus;

/**
 * Child workflows. A parent's step asks for a child; once the parent is saved waiting, the child is started
 * with a reference derived from the parent's pointer (so a repeated start finds the same child). When an
 * instance with such a reference finishes, its {@link ChildResult} is published as the event its parent waits for.
 * A child starts through the start room and is terminated through the commands, never through the runner's API.
 */
public final class ChildWorkflows implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(ChildWorkflows.class);

    private final Starts starts;
    private final Commands commands;
    private final EventDelivery delivery;
    private final InstantSource clock;
    private final InstanceStore store;

    public ChildWorkflows(Starts starts, Commands commands, EventDelivery delivery, InstantSource clock, InstanceStore store) {
        this.starts = starts;
        this.commands = commands;
        this.delivery = delivery;
        this.clock = clock;
        this.store = store;
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.ChildWorkflowRequested request) requested(request);
        }
    }

    @Override
    public void afterCommit(Transition committed) {
        WorkflowInstance instance = committed.instance();
        List<WorkflowEvent> changes = committed.changes();
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.StepCancelled cancelled && cancelled.waitedFor() != null
                    && ChildResult.EVENT_NAME.equals(cancelled.waitedFor().name())) {
                terminateChild(instance, cancelled.waitedFor().key(), "its parent's step '" + cancelled.step() + "' was cancelled");
            }
        }
        if (!instance.isFinished()) return;
        saved(instance);
        if (!instance.pointers().isEmpty()) orphaned(instance);
    }

    /**
     * Creates the child before the parent's wait is saved, on the parent's run thread: after a crash in between,
     * the parent runs its step again with the same pointer and attempt, hence the same reference, and finds the
     * same child instead of starting a second one. A child that ends before the parent's wait is registered leaves
     * its result pending, and the wait takes it.
     */
    private void requested(WorkflowEvent.ChildWorkflowRequested request) {
        StartRequest start = new StartRequest(request.workflowId(), request.version(), request.input(), request.reference(),
                "workflow:" + request.instanceId(), "child", request.traceContext());
        try {
            starts.startChild(start);
        } catch (RuntimeException e) {
            startFailed(request, e);
        }
    }

    /** After any save: a finished child tells its parent. */
    private void saved(WorkflowInstance instance) {
        if (!ChildResult.isChildReference(instance.reference())) return;
        // A parent that ended (or is gone) waits for nothing: its child's result would stay pending for ever.
        String parent = ChildResult.parentInstanceId(instance.reference());
        if (parent != null && store.load(parent).map(WorkflowInstance::isFinished).orElse(true)) return;
        Instant now = clock.instant();
        publishQuietly(new PublishedEvent(eventId(instance.reference()), ChildResult.EVENT_NAME, instance.reference(),
                new ChildResult(instance.id(), instance.status(), instance.data(), instance.lastError()), now, now));
    }

    /**
     * A parent finished (terminated, failed, past its deadline) while some of its pointers still waited for
     * children: those children are terminated, as nobody waits for their result any more. Best effort: a
     * crash between the parent's save and this call leaves the child running.
     */
    private void orphaned(WorkflowInstance parent) {
        for (var p : parent.pointers()) {
            var wait = p.waitingFor();
            if (wait == null || !ChildResult.EVENT_NAME.equals(wait.name())) continue;
            terminateChild(parent, wait.key(), "its parent " + parent.id() + " finished");
        }
    }

    /** Terminates the unfinished child started under {@code reference}, as its parent waits for it no more. Best effort. */
    private void terminateChild(WorkflowInstance parent, String reference, String reason) {
        String workflow = ChildResult.childWorkflow(reference);
        if (workflow == null) return;
        try {
            WorkflowId id = WorkflowRef.parse(workflow).id();
            store.findByReference(id, reference).filter(child -> !child.isFinished())
                    .ifPresent(child -> commands.terminateChild(child.id(), parent.id(), reason));
        } catch (RuntimeException e) {
            log.warn("child {} of instance {} ({}) could not be terminated: {}", LogSafe.of(reference), parent.id(), parent.definition(), LogSafe.of(e));
        }
    }

    /** A child that cannot start (unknown workflow, refused input) is a child that failed, as far as the parent is concerned. */
    private void startFailed(WorkflowEvent.ChildWorkflowRequested request, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        log.warn("child workflow {} of instance {} ({}) could not start: {}", LogSafe.of(request.workflowId()), request.instanceId(), request.definition(),
                LogSafe.of(cause));
        Instant now = clock.instant();
        StepError stepError = new StepError(request.step(), cause.getClass().getName(), String.valueOf(cause.getMessage()), 1, now);
        publishQuietly(new PublishedEvent(eventId(request.reference()), ChildResult.EVENT_NAME, request.reference(),
                new ChildResult(null, WorkflowStatus.FAILED, null, stepError), now, now));
    }

    private void publishQuietly(PublishedEvent event) {
        try {
            delivery.publish(event);
        } catch (RuntimeException e) {
            log.warn("event {} ({}/{}) could not be delivered: {}", LogSafe.of(event.id()), LogSafe.of(event.name()), LogSafe.of(event.key()), LogSafe.of(e));
        }
    }

    private static String eventId(String reference) {
        return "finished:" + reference;
    }
}
