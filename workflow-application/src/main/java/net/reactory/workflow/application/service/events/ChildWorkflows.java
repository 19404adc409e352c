package net.reactory.workflow.application.service.events;

import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import net.reactory.workflow.application.port.in.LogSafe;
import net.reactory.workflow.application.port.in.StartRequest;
import net.reactory.workflow.application.port.out.EventStore;
import net.reactory.workflow.application.port.out.InstanceStore;
import net.reactory.workflow.application.port.out.PublishedEvent;
import net.reactory.workflow.application.service.command.Commands;
import net.reactory.workflow.application.service.run.Starts;
import net.reactory.workflow.application.service.run.TransitionEffects;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.StepError;
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
 *
 * <p>A parent that ends while some of its pointers wait for children terminates those children, durably: before
 * the save that ends it, a marker naming the parent and that save's revision is stored as a pending event
 * ({@value #CASCADE_EVENT}); once every child is terminated it is marked delivered. A node that dies in between
 * leaves the marker pending, and any node's poller finishes the cascade ({@link #finishCascades}). Terminating a
 * finished child changes nothing, so a cascade done twice does no harm. A marker whose save lost to another write
 * (the parent is at or past that revision and not finished) is dropped.
 */
public final class ChildWorkflows implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(ChildWorkflows.class);
    /** The name and key of the cascade markers: one pending event per parent whose children are still to terminate. */
    public static final String CASCADE_EVENT = "workflow.children-to-terminate";
    private static final String CASCADE_KEY = "pending";
    private static final String CASCADE_ID = "children-to-terminate:";

    private final Starts starts;
    private final Commands commands;
    private final EventDelivery delivery;
    private final InstantSource clock;
    private final InstanceStore store;
    private final EventStore events;

    public ChildWorkflows(Starts starts, Commands commands, EventDelivery delivery, InstantSource clock, InstanceStore store, EventStore events) {
        this.events = events;
        this.starts = starts;
        this.commands = commands;
        this.delivery = delivery;
        this.clock = clock;
        this.store = store;
    }

    /** A child is asked for, a child's wait cancelled, an instance finished: none of these is a quiet commit. */
    @Override
    public boolean actsOnQuietCommits() {
        return false;
    }

    @Override
    public void beforeSave(List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.ChildWorkflowRequested request) requested(request);
        }
    }

    /** A parent about to end with children still running leaves word of them first, so that no crash loses the cascade. */
    @Override
    public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        beforeSave(changes);
        if (!toSave.isFinished() || !waitsForChildren(toSave)) return;
        try {
            Instant now = clock.instant();
            events.append(new PublishedEvent(cascadeId(toSave), CASCADE_EVENT, CASCADE_KEY, null, now, now));
        } catch (RuntimeException e) {
            log.warn("instance {} ({}) ends with children running and its cascade could not be stored: they are terminated only if this node"
                    + " lives on: {}", toSave.id(), toSave.definition(), e.toString());
        }
    }

    @Override
    public void afterCommit(WorkflowInstance instance, List<WorkflowEvent> changes) {
        for (int i = 0; i < changes.size(); i++) {
            if (changes.get(i) instanceof WorkflowEvent.StepCancelled cancelled && cancelled.waitedFor() != null
                    && ChildResult.EVENT_NAME.equals(cancelled.waitedFor().name())) {
                terminateChild(instance, cancelled.waitedFor().key(), "its parent's step '" + cancelled.step() + "' was cancelled");
            }
        }
        if (!instance.isFinished()) return;
        saved(instance);
        if (!instance.pointers().isEmpty() && waitsForChildren(instance)) {
            String marker = cascadeId(instance);
            orphaned(instance).thenAccept(allDone -> {
                if (allDone) markCascadeDone(marker);
            });
        }
    }

    /**
     * The poller's chore: finishes the cascades that a node which died (or a store that failed) left pending.
     *
     * @return how many cascades were finished or dropped
     */
    public int finishCascades() {
        int settled = 0;
        for (PublishedEvent marker : events.pendingEvents(CASCADE_EVENT, CASCADE_KEY, null)) {
            String[] parsed = parseCascadeId(marker.id());
            if (parsed == null) {
                markCascadeDone(marker.id());
                continue;
            }
            long revision = Long.parseLong(parsed[0]);
            WorkflowInstance parent = store.load(parsed[1]).orElse(null);
            boolean done;
            if (parent == null) {
                done = true; // purged: it ended long ago, and its children with the retention
            } else if (parent.isFinished()) {
                done = orphaned(parent).join();
                if (done) log.info("children of instance {} ({}) terminated after the node that ended it stopped short", parent.id(),
                        parent.definition());
            } else {
                // The save that was to end it lost to another write, or has not landed yet.
                done = parent.revision() >= revision;
            }
            if (done) {
                markCascadeDone(marker.id());
                settled++;
            }
        }
        return settled;
    }

    private void markCascadeDone(String markerId) {
        try {
            events.markDelivered(markerId);
        } catch (RuntimeException e) {
            log.debug("cascade {} done but not marked: the poller does it again, to no effect: {}", markerId, e.toString());
        }
    }

    private static boolean waitsForChildren(WorkflowInstance instance) {
        for (var p : instance.pointers()) {
            var wait = p.waitingFor();
            if (wait != null && ChildResult.EVENT_NAME.equals(wait.name())) return true;
        }
        return false;
    }

    private static String cascadeId(WorkflowInstance parent) {
        return CASCADE_ID + parent.revision() + ":" + parent.id();
    }

    /** {revision, instanceId} of a marker's id, or null when it is not one. */
    private static String[] parseCascadeId(String id) {
        if (!id.startsWith(CASCADE_ID)) return null;
        int colon = id.indexOf(':', CASCADE_ID.length());
        if (colon < 0) return null;
        String revision = id.substring(CASCADE_ID.length(), colon);
        if (revision.isEmpty() || !revision.chars().allMatch(c -> c >= '0' && c <= '9')) return null;
        return new String[]{revision, id.substring(colon + 1)};
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
     * children: those children are terminated, as nobody waits for their result any more.
     *
     * @return completes with true once every such child is finished, false when one could not be terminated
     */
    private CompletableFuture<Boolean> orphaned(WorkflowInstance parent) {
        CompletableFuture<Boolean> all = CompletableFuture.completedFuture(true);
        for (var p : parent.pointers()) {
            var wait = p.waitingFor();
            if (wait == null || !ChildResult.EVENT_NAME.equals(wait.name())) continue;
            CompletableFuture<Boolean> one = terminateChild(parent, wait.key(), "its parent " + parent.id() + " finished");
            all = all.thenCombine(one, Boolean::logicalAnd);
        }
        return all;
    }

    /** Terminates the unfinished child started under {@code reference}, as its parent waits for it no more. True once it is finished. */
    private CompletableFuture<Boolean> terminateChild(WorkflowInstance parent, String reference, String reason) {
        String workflow = ChildResult.childWorkflow(reference);
        if (workflow == null) return CompletableFuture.completedFuture(true);
        try {
            WorkflowId id = WorkflowRef.parse(workflow).id();
            return store.findByReference(id, reference).filter(child -> !child.isFinished())
                    .map(child -> commands.terminateChild(child.id(), parent.id(), reason))
                    .orElse(CompletableFuture.completedFuture(true));
        } catch (RuntimeException e) {
            log.warn("child {} of instance {} ({}) could not be terminated: {}", LogSafe.of(reference), parent.id(), parent.definition(), LogSafe.of(e));
            return CompletableFuture.completedFuture(false);
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
