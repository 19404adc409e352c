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
import net.reactory.workflow.application.port.out.EventSubscription;
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
 * <p>Two things must happen after a save even when the node dies right after it, so each leaves a
 * {@link PendingMarkers marker} before the save and settles it once done; any node's poller finishes what a node
 * that died left pending ({@link #finishAfterCrashes}):
 * <ul>
 * <li>A parent that ends while some of its pointers wait for children terminates those children
 * ({@value #CASCADE_EVENT}). Terminating a finished child changes nothing, so a cascade done twice does no harm.</li>
 * <li>A child that finishes tells its parent ({@value #RESULT_EVENT}). The result is an event with an id derived from
 * the child's reference, so telling twice is one event, and the parent's wait takes it at most once.</li>
 * </ul>
 * A marker whose save lost to another write (the instance is at or past that revision and not finished) is dropped.
 */
public final class ChildWorkflows implements TransitionEffects {

    private static final Logger log = LoggerFactory.getLogger(ChildWorkflows.class);
    /** The name of the cascade markers: one pending event per parent whose children are still to terminate. */
    public static final String CASCADE_EVENT = "workflow.children-to-terminate";
    /** The name of the result markers: one pending event per finished child whose parent may not know yet. */
    public static final String RESULT_EVENT = "workflow.child-result-to-tell";

    private final Starts starts;
    private final Commands commands;
    private final EventDelivery delivery;
    private final InstantSource clock;
    private final InstanceStore store;
    private final PendingMarkers cascades;
    private final PendingMarkers results;

    public ChildWorkflows(Starts starts, Commands commands, EventDelivery delivery, InstantSource clock, InstanceStore store, EventStore events) {
        this.starts = starts;
        this.commands = commands;
        this.delivery = delivery;
        this.clock = clock;
        this.store = store;
        this.cascades = new PendingMarkers(CASCADE_EVENT, "children-to-terminate:", events, clock);
        this.results = new PendingMarkers(RESULT_EVENT, "child-result:", events, clock);
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

    /** A parent about to end with children still running, or a child about to end, leaves word of it first. */
    @Override
    public void beforeSave(WorkflowInstance toSave, List<WorkflowEvent> changes) {
        beforeSave(changes);
        if (!toSave.isFinished()) return;
        if (waitsForChildren(toSave)) leaveQuietly(cascades, toSave, "its running children are terminated only if this node lives on");
        if (ChildResult.isChildReference(toSave.reference())) leaveQuietly(results, toSave, "its parent hears of it only if this node lives on");
    }

    private static void leaveQuietly(PendingMarkers markers, WorkflowInstance toSave, String consequence) {
        try {
            markers.leave(toSave);
        } catch (RuntimeException e) {
            log.warn("instance {} ({}) ends and word of it could not be stored: {}: {}", toSave.id(), toSave.definition(), consequence, e.toString());
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
        if (ChildResult.isChildReference(instance.reference()) && tellParent(instance)) results.done(results.idOf(instance));
        if (!instance.pointers().isEmpty() && waitsForChildren(instance)) {
            String marker = cascades.idOf(instance);
            orphaned(instance).thenAccept(allDone -> {
                if (allDone) cascades.done(marker);
            });
        }
    }

    /**
     * The poller's chore: finishes the cascades and the results that a node which died (or a store that failed)
     * left pending.
     *
     * @return how many markers were settled
     */
    public int finishAfterCrashes() {
        int settled = 0;
        for (PendingMarkers.Marker marker : cascades.pending()) {
            WorkflowInstance parent = store.load(marker.instanceId()).orElse(null);
            // Purged: it ended long ago, and its children with the retention.
            boolean done = parent == null || settledOrLost(parent, marker, () -> orphaned(parent).join());
            if (done) {
                cascades.done(marker.id());
                settled++;
            }
        }
        for (PendingMarkers.Marker marker : results.pending()) {
            WorkflowInstance child = store.load(marker.instanceId()).orElse(null);
            boolean done = child == null || settledOrLost(child, marker, () -> tellParent(child) && parentHeard(child));
            if (done) {
                results.done(marker.id());
                settled++;
            }
        }
        return settled;
    }

    /** For a finished instance, does the marker's work; otherwise true when the marker's save lost to another write. */
    private static boolean settledOrLost(WorkflowInstance instance, PendingMarkers.Marker marker, java.util.function.BooleanSupplier work) {
        if (!instance.isFinished()) return instance.revision() >= marker.revision();
        boolean done = work.getAsBoolean();
        if (done) log.info("instance {} ({}) ended on a node that stopped short: {} finished", instance.id(), instance.definition(), marker.id());
        return done;
    }

    private static boolean waitsForChildren(WorkflowInstance instance) {
        for (var p : instance.pointers()) {
            var wait = p.waitingFor();
            if (wait != null && ChildResult.EVENT_NAME.equals(wait.name())) return true;
        }
        return false;
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

    /**
     * A finished child tells its parent, through the result event its parent's pointer waits for. True when that is
     * done: the event is stored (delivered or pending for the wait), or the parent ended or is gone and waits for nothing.
     */
    private boolean tellParent(WorkflowInstance child) {
        String parent = ChildResult.parentInstanceId(child.reference());
        if (parent == null || store.load(parent).map(WorkflowInstance::isFinished).orElse(true)) return true;
        Instant now = clock.instant();
        return publishQuietly(new PublishedEvent(eventId(child.reference()), ChildResult.EVENT_NAME, child.reference(),
                new ChildResult(child.id(), child.status(), child.data(), child.lastError()), now, now));
    }

    /**
     * After a crash the result may be stored but not handed to the parent's wait (the node died in between): the
     * parent's pointer that still waits for it takes it now, through the same atomic claims as any wait.
     */
    private boolean parentHeard(WorkflowInstance child) {
        WorkflowInstance parent = store.load(ChildResult.parentInstanceId(child.reference())).orElse(null);
        if (parent == null || parent.isFinished()) return true;
        for (var p : parent.pointers()) {
            var wait = p.waitingFor();
            if (wait != null && ChildResult.EVENT_NAME.equals(wait.name()) && child.reference().equals(wait.key())) {
                delivery.awaited(new EventSubscription(parent.id(), p.id(), wait.name(), wait.key(), wait.effectiveDate(), parent.updatedAt()));
            }
        }
        return true;
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

    private boolean publishQuietly(PublishedEvent event) {
        try {
            // From a commit's effects: the parent's run starts on a thread of its own, this one goes on with the child's.
            delivery.publish(event, null);
            return true;
        } catch (RuntimeException e) {
            log.warn("event {} ({}/{}) could not be delivered: {}", LogSafe.of(event.id()), LogSafe.of(event.name()), LogSafe.of(event.key()), LogSafe.of(e));
            return false;
        }
    }

    private static String eventId(String reference) {
        return "finished:" + reference;
    }
}
