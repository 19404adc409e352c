package net.reactory.workflow.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure state machine of an instance: {@code (instance, input, now) -> (instance', changes)}.
 * No clock, no I/O, no randomness: time and retry delays come in as arguments. Every
 * transition that changes something raises the revision by one; a command that changes
 * nothing (suspending a suspended instance) returns the instance as it was, with no changes.
 */
public final class WorkflowTransitions {

    private WorkflowTransitions() {
    }

    /** A new instance at the definition's first step, runnable now. */
    public static Transition start(String instanceId, WorkflowDefinition definition, Object data, String reference, Instant now) {
        WorkflowInstance instance = new WorkflowInstance(instanceId, definition.key(), WorkflowStatus.RUNNABLE, data,
                List.of(ExecutionPointer.first(0, 0)), 1, now, 1, reference, now, now, null, null, List.of());
        return new Transition(instance, List.of(new WorkflowEvent.WorkflowStarted(instanceId, definition.key(), 1, now, reference)));
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
        long revision = instance.revision() + 1;
        Object data = result.data().orElse(instance.data());
        List<WorkflowEvent> changes = new ArrayList<>(2);
        int nextPointerId = instance.nextPointerId();
        ExecutionPointer replacement = switch (result) {
            case ExecutionResult.Next next -> null;
            case ExecutionResult.Outcome outcome -> null;
            case ExecutionResult.Sleep sleep ->
                    new ExecutionPointer(pointer.id(), pointer.stepId(), pointer.attempt(), now.plus(sleep.duration()), sleep.state(), null);
            case ExecutionResult.Persist persist ->
                    new ExecutionPointer(pointer.id(), pointer.stepId(), pointer.attempt(), null, persist.state(), null);
            case ExecutionResult.WaitForEvent wait -> new ExecutionPointer(pointer.id(), pointer.stepId(), pointer.attempt(), null,
                    pointer.persistedState(), new ExecutionPointer.EventWait(wait.name(), wait.key(),
                    wait.effectiveDate() == null ? now : wait.effectiveDate()));
            case ExecutionResult.Branch branch -> throw new IllegalArgumentException(
                    "step '" + step.name() + "' returned a branch result, which needs a parallel or foreach step");
            case ExecutionResult.Fail fail -> throw new IllegalArgumentException("a failed result goes through stepFailed");
        };
        if (replacement == null) {
            Object outcomeValue = result instanceof ExecutionResult.Outcome o ? o.value() : null;
            int successor = step.successorFor(outcomeValue);
            changes.add(new WorkflowEvent.StepCompleted(instance.id(), instance.definition(), revision, now, step.name(), pointer.id()));
            if (successor != StepDefinition.NONE) {
                replacement = ExecutionPointer.first(nextPointerId++, successor);
            }
        }
        List<ExecutionPointer> pointers = replace(instance.pointers(), pointerId, replacement);
        return settle(instance, data, pointers, nextPointerId, revision, instance.errors(), changes, now);
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
        long revision = instance.revision() + 1;
        List<StepError> errors = appendError(instance.errors(), error);
        List<WorkflowEvent> changes = new ArrayList<>(3);
        changes.add(new WorkflowEvent.StepFailed(instance.id(), instance.definition(), revision, now, error));
        if (retryDelay != null && pointer.attempt() < step.maxAttempts()) {
            Instant retryAt = now.plus(retryDelay);
            ExecutionPointer retry = new ExecutionPointer(pointer.id(), pointer.stepId(), pointer.attempt() + 1, retryAt,
                    pointer.persistedState(), null);
            changes.add(new WorkflowEvent.RetryScheduled(instance.id(), instance.definition(), revision, now, step.name(), retry.attempt(), retryAt));
            return settle(instance, instance.data(), replace(instance.pointers(), pointerId, retry), instance.nextPointerId(),
                    revision, errors, changes, now);
        }
        return switch (step.onError()) {
            case SUSPEND -> {
                // The step runs again, as a fresh attempt, once an operator resumes the instance.
                ExecutionPointer again = new ExecutionPointer(pointer.id(), pointer.stepId(), pointer.attempt() + 1, null,
                        pointer.persistedState(), null);
                changes.add(new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), revision, now,
                        "step '" + step.name() + "' failed: " + error.message()));
                yield new Transition(copy(instance, WorkflowStatus.SUSPENDED, instance.data(),
                        replace(instance.pointers(), pointerId, again), instance.nextPointerId(), now, revision, null, errors, now), changes);
            }
            case TERMINATE -> {
                changes.add(new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), revision, now,
                        "step '" + step.name() + "' failed: " + error.message()));
                yield new Transition(copy(instance, WorkflowStatus.TERMINATED, instance.data(), instance.pointers(),
                        instance.nextPointerId(), null, revision, now, errors, now), changes);
            }
            case FAIL, COMPENSATE -> {
                changes.add(new WorkflowEvent.WorkflowFailed(instance.id(), instance.definition(), revision, now, error));
                yield new Transition(copy(instance, WorkflowStatus.FAILED, instance.data(), instance.pointers(),
                        instance.nextPointerId(), null, revision, now, errors, now), changes);
            }
        };
    }

    public static Transition suspend(WorkflowInstance instance, String reason, Instant now) {
        requireNotFinished(instance, "suspend");
        if (instance.status() == WorkflowStatus.SUSPENDED) return unchanged(instance);
        long revision = instance.revision() + 1;
        return new Transition(copy(instance, WorkflowStatus.SUSPENDED, instance.data(), instance.pointers(), instance.nextPointerId(),
                instance.nextExecution(), revision, null, instance.errors(), now),
                List.of(new WorkflowEvent.WorkflowSuspended(instance.id(), instance.definition(), revision, now, reason)));
    }

    public static Transition resume(WorkflowInstance instance, Instant now) {
        requireNotFinished(instance, "resume");
        if (instance.status() == WorkflowStatus.RUNNABLE) return unchanged(instance);
        long revision = instance.revision() + 1;
        return new Transition(copy(instance, WorkflowStatus.RUNNABLE, instance.data(), instance.pointers(), instance.nextPointerId(),
                nextExecution(instance.pointers(), now), revision, null, instance.errors(), now),
                List.of(new WorkflowEvent.WorkflowResumed(instance.id(), instance.definition(), revision, now)));
    }

    public static Transition terminate(WorkflowInstance instance, String reason, Instant now) {
        if (instance.status() == WorkflowStatus.TERMINATED) return unchanged(instance);
        requireNotFinished(instance, "terminate");
        long revision = instance.revision() + 1;
        return new Transition(copy(instance, WorkflowStatus.TERMINATED, instance.data(), instance.pointers(), instance.nextPointerId(),
                null, revision, now, instance.errors(), now),
                List.of(new WorkflowEvent.WorkflowTerminated(instance.id(), instance.definition(), revision, now, reason)));
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

    private static Transition settle(WorkflowInstance instance, Object data, List<ExecutionPointer> pointers, int nextPointerId,
                                     long revision, List<StepError> errors, List<WorkflowEvent> changes, Instant now) {
        if (pointers.isEmpty()) {
            changes.add(new WorkflowEvent.WorkflowCompleted(instance.id(), instance.definition(), revision, now));
            return new Transition(copy(instance, WorkflowStatus.COMPLETE, data, pointers, nextPointerId, null, revision, now, errors, now), changes);
        }
        return new Transition(copy(instance, WorkflowStatus.RUNNABLE, data, pointers, nextPointerId,
                nextExecution(pointers, now), revision, null, errors, now), changes);
    }

    private static Instant nextExecution(List<ExecutionPointer> pointers, Instant now) {
        Instant earliest = null;
        for (ExecutionPointer p : pointers) {
            Instant due = p.dueAt(now);
            if (due != null && (earliest == null || due.isBefore(earliest))) earliest = due;
        }
        return earliest;
    }

    private static WorkflowInstance copy(WorkflowInstance i, WorkflowStatus status, Object data, List<ExecutionPointer> pointers,
                                         int nextPointerId, Instant nextExecution, long revision, Instant completedAt,
                                         List<StepError> errors, Instant now) {
        return new WorkflowInstance(i.id(), i.definition(), status, data, pointers, nextPointerId, nextExecution, revision,
                i.reference(), i.createdAt(), now, completedAt, i.lease(), errors);
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

    private static List<StepError> appendError(List<StepError> errors, StepError error) {
        List<StepError> out = new ArrayList<>(Math.min(errors.size() + 1, WorkflowInstance.MAX_ERRORS));
        int skip = Math.max(0, errors.size() + 1 - WorkflowInstance.MAX_ERRORS);
        for (int i = skip; i < errors.size(); i++) out.add(errors.get(i));
        out.add(error);
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
