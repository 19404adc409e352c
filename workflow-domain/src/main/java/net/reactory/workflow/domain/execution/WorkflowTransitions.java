package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.definition.WorkflowOptions;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.Compensated;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
import net.reactory.workflow.domain.instance.Lease;
import net.reactory.workflow.domain.instance.ReceivedEvent;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.instance.WorkflowStatus;
import net.reactory.workflow.domain.step.ExecutionResult;


import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure state machine of an instance: {@code (instance, input, now) -> (instance', changes)}.
 * No clock, no I/O, no randomness: time and retry delays come in as arguments. Every
 * transition that changes something raises the revision by one; a command that changes
 * nothing (suspending a suspended instance) returns the instance as it was, with no changes.
 * Rewriting the pointers of branches, joins and compensations is left to {@link PointerGraph}.
 */
public final class WorkflowTransitions {

    private WorkflowTransitions() {
    }

    /** A new instance at the definition's first step, runnable now, held by no node. */
    public static Transition start(String instanceId, WorkflowDefinition definition, Object data, String reference, Instant now) {
        return start(instanceId, definition, data, reference, null, now);
    }

    /** A new instance at the definition's first step, runnable now, held under {@code lease} from its creation (null: by no node). */
    public static Transition start(String instanceId, WorkflowDefinition definition, Object data, String reference, Lease lease,
                                   Instant now) {
        List<ExecutionPointer> pointers = List.of(ExecutionPointer.first(0, 0));
        int nextPointerId = 1;
        if (definition.step(0).detached()) { // a workflow that begins with a background block also goes on past it
            WorkflowInstance created = WorkflowInstance.created(instanceId, definition.key(), data, reference, now);
            PointerGraph g = new PointerGraph(created, definition, created.revision(), now, new ArrayList<>());
            g.spawn(0, ExecutionPointer.NO_SCOPE, null, null);
            pointers = g.pointers();
            nextPointerId = g.nextPointerId();
        }
        WorkflowInstance started = WorkflowInstance.started(instanceId, definition.key(), data, reference, pointers, nextPointerId, lease, now);
        return new Transition(started,
                List.of(new WorkflowEvent.WorkflowStarted(instanceId, definition.key(), started.revision(), now, reference)));
    }

    /**
     * Applies what a step body returned. {@link ExecutionResult.Fail} is not accepted here: the runner
     * turns it into a {@link StepError} and calls {@link #stepFailed}, which needs a retry delay.
     */
    public static Transition stepSucceeded(WorkflowInstance instance, WorkflowDefinition definition, int pointerId,
                                           ExecutionResult result, Instant now) {
        requireRunnable(instance, "apply a step result to");
        ExecutionPointer pointer = pointer(instance, pointerId);
        StepDefinition step = definition.step(pointer.stepId());
        Object data = result.data().orElse(instance.data());
        long revision = instance.revision() + 1;
        if (isPlainMove(result, pointer, step, definition)) return movedOn(instance, definition, pointer, step, result, data, now);
        List<WorkflowEvent> changes = new ArrayList<>(2);
        PointerGraph g = new PointerGraph(instance, definition, revision, now, changes);
        switch (result) {
            case ExecutionResult.Next n -> g.complete(pointer, step, null);
            case ExecutionResult.Outcome outcome -> g.complete(pointer, step, outcome.value());
            case ExecutionResult.Sleep sleep ->
                    g.replace(pointer, pointer.with(pointer.attempt(), now.plus(sleep.duration()), sleep.state(), null));
            case ExecutionResult.Persist persist ->
                    g.replace(pointer, pointer.with(pointer.attempt(), null, persist.state(), null));
            case ExecutionResult.WaitForEvent wait -> g.await(pointer, step, wait.name(), wait.key(), wait.effectiveDate());
            case ExecutionResult.StartChild child -> {
                String reference = ChildResult.reference(instance.id(), pointer.id(), pointer.attempt(), child.workflowId());
                changes.add(new WorkflowEvent.ChildWorkflowRequested(instance.id(), instance.definition(), revision, now, step.name(),
                        pointer.id(), child.workflowId(), child.version(), child.input(), reference, child.traceContext()));
                g.await(pointer, step, ChildResult.EVENT_NAME, reference, null);
            }
            case ExecutionResult.Branch branch -> g.branch(pointer, step, branch);
            case ExecutionResult.Fail fail -> throw new IllegalArgumentException("a failed result goes through stepFailed");
        }
        if (g.failed()) {
            WorkflowInstance next = instance.nextRevision(now).withData(data).withPointers(g.pointers(), g.nextPointerId());
            return failed(next, changes, now, compensatedError(instance, step, now));
        }
        if (Cancellations.noneHolds(g.pointers(), definition, data)) {
            return settled(instance.steppedTo(now, data, g.pointers(), g.nextPointerId()), changes);
        }
        WorkflowInstance next = instance.nextRevision(now).withData(data).withPointers(g.pointers(), g.nextPointerId());
        return settle(Cancellations.apply(next, definition, now, changes), changes, now);
    }

    private static boolean isPlainMove(ExecutionResult result, ExecutionPointer pointer, StepDefinition step, WorkflowDefinition definition) {
        if (!(result instanceof ExecutionResult.Next || result instanceof ExecutionResult.Outcome)) return false;
        if (pointer.scope() != ExecutionPointer.NO_SCOPE || pointer.compensation() != null || pointer.item() != null) return false;
        if (step.compensation() != StepDefinition.NONE || step.detached()) return false;
        Object outcome = result instanceof ExecutionResult.Outcome o ? o.value() : null;
        int successor = step.successorFor(outcome);
        return successor == StepDefinition.NONE || !definition.step(successor).detached();
    }

    /**
     * The hot path: a step of the main flow goes on to a plain step, or ends the workflow. With no cancel condition
     * holding, the instance settles in one allocation and the changes are an immutable list from the start.
     */
    private static Transition movedOn(WorkflowInstance instance, WorkflowDefinition definition, ExecutionPointer pointer,
                                      StepDefinition step, ExecutionResult result, Object data, Instant now) {
        Object outcome = result instanceof ExecutionResult.Outcome o ? o.value() : null;
        int successor = step.successorFor(outcome);
        int nextPointerId = instance.nextPointerId();
        long revision = instance.revision() + 1;
        WorkflowEvent completed = new WorkflowEvent.StepCompleted(instance.id(), instance.definition(), revision, now, step.name(), pointer.id());
        ExecutionPointer replacement = successor == StepDefinition.NONE ? null : ExecutionPointer.first(nextPointerId++, successor);
        List<ExecutionPointer> pointers = replace(instance.pointers(), pointer.id(), replacement);
        if (Cancellations.noneHolds(pointers, definition, data)) {
            WorkflowInstance next = instance.steppedTo(now, data, pointers, nextPointerId);
            return new Transition(next, next.isFinished()
                    ? List.of(completed, new WorkflowEvent.WorkflowCompleted(next.id(), next.definition(), revision, now))
                    : List.of(completed));
        }
        List<WorkflowEvent> changes = new ArrayList<>(3);
        changes.add(completed);
        WorkflowInstance next = instance.nextRevision(now).withData(data).withPointers(pointers, nextPointerId);
        return settle(Cancellations.apply(next, definition, now, changes), changes, now);
    }

    /**
     * A waiting pointer receives its event: it becomes runnable and its step runs again, given the event.
     * An event for a pointer that no longer waits for it (delivered already, finished, another wait) changes nothing.
     */
    public static Transition eventReceived(WorkflowInstance instance, WorkflowDefinition definition, int pointerId,
                                           ReceivedEvent event, Instant now) {
        if (instance.isFinished()) return unchanged(instance);
        ExecutionPointer pointer = null;
        for (ExecutionPointer p : instance.pointers()) if (p.id() == pointerId) pointer = p;
        if (pointer == null || pointer.waitingFor() == null) return unchanged(instance);
        ExecutionPointer.EventWait wait = pointer.waitingFor();
        if (!wait.name().equals(event.name()) || !wait.key().equals(event.key())
                || (wait.effectiveDate() != null && event.effectiveAt().isBefore(wait.effectiveDate()))) {
            return unchanged(instance);
        }
        List<ExecutionPointer> pointers = replace(instance.pointers(), pointerId, pointer.with(pointer.attempt(), null, event, null));
        // A suspended instance keeps the event and stays suspended; resuming works out when it is due. A runnable one
        // settles in one allocation (it keeps a pointer, so it stays runnable).
        WorkflowInstance next = instance.status() == WorkflowStatus.RUNNABLE
                ? instance.steppedTo(now, instance.data(), pointers, instance.nextPointerId())
                : instance.nextRevision(now).withPointers(pointers);
        WorkflowEvent change = new WorkflowEvent.EventReceived(instance.id(), instance.definition(), next.revision(), now,
                definition.step(pointer.stepId()).name(), pointerId, event.name(), event.key(), event.id());
        return new Transition(next, List.of(change));
    }

    /**
     * A step attempt failed. With attempts left the pointer sleeps for {@code retryDelay};
     * otherwise, or when {@code retryDelay} is null (an error that is not to be retried),
     * the step's error behaviour decides how the workflow goes on.
     */
    public static Transition stepFailed(WorkflowInstance instance, WorkflowDefinition definition, int pointerId,
                                        StepError error, Duration retryDelay, Instant now) {
        requireRunnable(instance, "record a step failure on");
        ExecutionPointer pointer = pointer(instance, pointerId);
        StepDefinition step = definition.step(pointer.stepId());
        WorkflowInstance next = instance.nextRevision(now).withErrorRecorded(error);
        long revision = next.revision();
        List<WorkflowEvent> changes = new ArrayList<>(3);
        changes.add(new WorkflowEvent.StepFailed(instance.id(), instance.definition(), revision, now, error));
        if (retryDelay != null && pointer.attempt() < step.maxAttempts()) {
            Instant retryAt = now.plus(retryDelay);
            ExecutionPointer retry = pointer.with(pointer.attempt() + 1, retryAt, stateForRetry(pointer, step), null);
            changes.add(new WorkflowEvent.RetryScheduled(instance.id(), instance.definition(), revision, now, step.name(), retry.attempt(), retryAt));
            return settle(next.withPointers(replace(instance.pointers(), pointerId, retry)), changes, now);
        }
        ErrorBehaviour behaviour = step.onError();
        if (behaviour == ErrorBehaviour.COMPENSATE && pointer.isCompensating()) {
            behaviour = ErrorBehaviour.FAIL; // a compensation that fails cannot be compensated
        }
        return switch (behaviour) {
            case SUSPEND -> {
                // The step runs again, as a fresh attempt, once an operator resumes the instance: due at once.
                ExecutionPointer again = pointer.with(pointer.attempt() + 1, null, stateForRetry(pointer, step), null);
                changes.add(new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), revision, now,
                        "step '" + step.name() + "' failed: " + error.message()));
                yield new Transition(next.withPointers(replace(instance.pointers(), pointerId, again)).runnable(now).suspended(), changes);
            }
            case TERMINATE -> {
                changes.add(new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), revision, now,
                        "step '" + step.name() + "' failed: " + error.message()));
                yield new Transition(next.terminated(now), changes);
            }
            case FAIL -> failed(next, changes, now, error);
            case COMPENSATE -> {
                List<Integer> owed = pointer.compensation() == null ? List.of() : pointer.compensation().owed();
                List<String> names = new ArrayList<>(owed.size());
                for (int i = owed.size() - 1; i >= 0; i--) names.add(definition.step(owed.get(i)).name());
                changes.add(new WorkflowEvent.CompensationStarted(instance.id(), instance.definition(), revision, now, step.name(),
                        pointer.id(), names));
                PointerGraph g = new PointerGraph(instance, definition, revision, now, changes);
                g.remove(pointer);
                g.compensate(pointer.scope(), pointer.item(), owed, error);
                next = next.withPointers(g.pointers(), g.nextPointerId());
                yield g.failed() ? failed(next, changes, now, error) : settle(next, changes, now);
            }
        };
    }

    /**
     * What the next attempt of a failed step is handed back. A plain step keeps the progress it persisted; a
     * container starts its block from the beginning: its state only says how its last run of the block ended
     * (joined, or compensated), and handing that back would make every retry of a compensated saga fail at once.
     */
    private static Object stateForRetry(ExecutionPointer pointer, StepDefinition step) {
        return step.isContainer() ? null : pointer.persistedState();
    }

    public static Transition suspend(WorkflowInstance instance, String reason, Instant now) {
        requireNotFinished(instance, "suspend");
        if (instance.status() == WorkflowStatus.SUSPENDED) return unchanged(instance);
        WorkflowInstance next = instance.nextRevision(now).suspended();
        return new Transition(next, List.of(new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), next.revision(), now, reason)));
    }

    public static Transition resume(WorkflowInstance instance, Instant now) {
        requireNotFinished(instance, "resume");
        if (instance.status() == WorkflowStatus.RUNNABLE) return unchanged(instance);
        WorkflowInstance next = instance.nextRevision(now).runnable(now);
        return new Transition(next, List.of(new WorkflowEvent.WorkflowResumed(instance.id(), instance.definition(), next.revision(), now)));
    }

    public static Transition terminate(WorkflowInstance instance, String reason, Instant now) {
        if (instance.status() == WorkflowStatus.TERMINATED) return unchanged(instance);
        requireNotFinished(instance, "terminate");
        WorkflowInstance next = instance.nextRevision(now).terminated(now);
        return new Transition(next, List.of(new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), next.revision(), now, reason)));
    }

    /**
     * Ends {@code instance} if its workflow deadline ({@code props.deadline}, counted from its creation) has
     * passed at {@code now}, as {@code props.onDeadline} says: terminated (the default), failed (also for
     * compensate, until the saga runs here) or suspended; the error is kept on the instance and its lease is
     * let go. Only a runnable instance expires, whether it runs, sleeps or waits for an event: a suspended
     * one is in an operator's hands, and a finished one has nothing left to end. Otherwise nothing changes.
     *
     * @throws IllegalArgumentException when {@code definition} is not the instance's definition
     */
    public static Transition expireIfPastDeadline(WorkflowInstance instance, WorkflowDefinition definition, Instant now) {
        if (!definition.key().equals(instance.definition())) {
            throw new IllegalArgumentException("instance " + instance.id() + " runs " + instance.definition()
                    + ", not " + definition.key() + ": its deadline cannot be checked against that definition");
        }
        WorkflowOptions options = definition.options();
        if (instance.status() != WorkflowStatus.RUNNABLE || !options.deadlinePassed(instance.createdAt(), now)) return unchanged(instance);
        return expire(instance, options, now);
    }

    /** The expiry itself, deadline passed or not: {@link Deadlines#expire} still calls it. */
    static Transition expire(WorkflowInstance instance, WorkflowOptions options, Instant now) {
        requireNotFinished(instance, "expire");
        String message = "the workflow deadline of " + options.deadline() + " passed at " + instance.createdAt().plus(options.deadline());
        StepError error = new StepError(Deadlines.STEP, Deadlines.ERROR_TYPE, message, 1, now);
        WorkflowInstance next = instance.nextRevision(now).withErrorRecorded(error).released();
        return switch (options.onDeadline()) {
            case SUSPEND -> new Transition(next.suspended(),
                    List.of(new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), next.revision(), now, message)));
            case FAIL, COMPENSATE -> new Transition(next.failed(now),
                    List.of(new WorkflowEvent.WorkflowFailed(instance.id(), instance.definition(), next.revision(), now, error)));
            default -> new Transition(next.terminated(now),
                    List.of(new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), next.revision(), now, message)));
        };
    }

    /** Whether {@code pointer}, found due earlier, is still live and unchanged on a runnable {@code instance}. */
    public static boolean isStillDue(WorkflowInstance instance, ExecutionPointer pointer) {
        if (instance.status() != WorkflowStatus.RUNNABLE) return false;
        for (ExecutionPointer p : instance.pointers()) if (p.id() == pointer.id()) return p.equals(pointer);
        return false;
    }

    /** The pointers runnable at {@code now}, in order. */
    public static List<ExecutionPointer> duePointers(WorkflowInstance instance, Instant now) {
        if (instance.status() != WorkflowStatus.RUNNABLE) return List.of();
        List<ExecutionPointer> pointers = instance.pointers();
        if (pointers.size() == 1) {
            return pointers.get(0).isDueAt(now) ? pointers : List.of();
        }
        List<ExecutionPointer> due = new ArrayList<>(pointers.size());
        for (ExecutionPointer p : pointers) if (p.isDueAt(now)) due.add(p);
        return due;
    }

    /** {@code next}, already settled by {@link WorkflowInstance#steppedTo}, with its completion recorded when it completed. */
    private static Transition settled(WorkflowInstance next, List<WorkflowEvent> changes) {
        if (next.isFinished()) changes.add(new WorkflowEvent.WorkflowCompleted(next.id(), next.definition(), next.revision(), next.updatedAt()));
        return new Transition(next, changes);
    }

    /** With no live pointer left the workflow is complete; otherwise it runs on, due when its earliest pointer is. */
    private static Transition settle(WorkflowInstance changed, List<WorkflowEvent> changes, Instant now) {
        if (changed.pointers().isEmpty()) {
            changes.add(new WorkflowEvent.WorkflowCompleted(changed.id(), changed.definition(), changed.revision(), now));
            return new Transition(changed.completed(now), changes);
        }
        return new Transition(changed.runnable(now), changes);
    }

    private static Transition failed(WorkflowInstance changed, List<WorkflowEvent> changes, Instant now, StepError error) {
        changes.add(new WorkflowEvent.WorkflowFailed(changed.id(), changed.definition(), changed.revision(), now, error));
        return new Transition(changed.failed(now), changes);
    }

    private static StepError compensatedError(WorkflowInstance instance, StepDefinition step, Instant now) {
        StepError last = instance.lastError();
        return last != null ? last : new StepError(step.name(), "Compensated", "the workflow was compensated", 1, now);
    }

    private static Transition unchanged(WorkflowInstance instance) {
        return new Transition(instance, List.of());
    }

    private static List<ExecutionPointer> replace(List<ExecutionPointer> pointers, int pointerId, ExecutionPointer replacement) {
        if (pointers.size() == 1 && pointers.get(0).id() == pointerId) {
            return replacement == null ? List.of() : List.of(replacement);
        }
        List<ExecutionPointer> out = new ArrayList<>(pointers.size());
        for (ExecutionPointer p : pointers) {
            if (p.id() != pointerId) out.add(p);
            else if (replacement != null) out.add(replacement);
        }
        return out;
    }

    private static ExecutionPointer pointer(WorkflowInstance instance, int pointerId) {
        for (ExecutionPointer p : instance.pointers()) if (p.id() == pointerId) return p;
        throw new IllegalArgumentException("instance " + instance.id() + " has no live pointer " + pointerId);
    }

    private static void requireRunnable(WorkflowInstance instance, String what) {
        if (instance.status() != WorkflowStatus.RUNNABLE) {
            throw new IllegalStateException("cannot " + what + " instance " + instance.id() + " in status " + instance.status());
        }
    }

    private static void requireNotFinished(WorkflowInstance instance, String command) {
        if (instance.isFinished()) throw new InstanceFinishedException(instance.id(), instance.status(), command);
    }
}
