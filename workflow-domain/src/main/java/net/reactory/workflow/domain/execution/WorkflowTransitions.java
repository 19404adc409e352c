package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.ErrorBehaviour;
import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.ChildResult;
import net.reactory.workflow.domain.instance.Compensated;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.InstanceFinishedException;
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
 */
public final class WorkflowTransitions {

    private WorkflowTransitions() {
    }

    /** A new instance at the definition's first step, runnable now. */
    public static Transition start(String instanceId, WorkflowDefinition definition, Object data, String reference, Instant now) {
        List<ExecutionPointer> pointers = List.of(ExecutionPointer.first(0, 0));
        int nextPointerId = 1;
        if (definition.step(0).detached()) { // a workflow that begins with a background block also goes on past it
            WorkflowInstance empty = new WorkflowInstance(instanceId, definition.key(), WorkflowStatus.RUNNABLE, data, List.of(), 0, now, 1,
                    reference, now, now, null, null, List.of());
            Graph g = new Graph(empty, definition, 1, now, new ArrayList<>());
            g.spawn(0, ExecutionPointer.NO_SCOPE, null, null);
            pointers = g.pointers;
            nextPointerId = g.nextPointerId;
        }
        WorkflowInstance instance = new WorkflowInstance(instanceId, definition.key(), WorkflowStatus.RUNNABLE, data,
                pointers, nextPointerId, now, 1, reference, now, now, null, null, List.of());
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
        if (isPlainMove(result, pointer, step, definition)) {
            // The hot path: a step of the main flow goes on to a plain step, or ends the workflow.
            Object outcome = result instanceof ExecutionResult.Outcome o ? o.value() : null;
            int successor = step.successorFor(outcome);
            int nextPointerId = instance.nextPointerId();
            changes.add(new WorkflowEvent.StepCompleted(instance.id(), instance.definition(), revision, now, step.name(), pointer.id()));
            ExecutionPointer replacement = successor == StepDefinition.NONE ? null : ExecutionPointer.first(nextPointerId++, successor);
            return settle(instance, data, replace(instance.pointers(), pointerId, replacement), nextPointerId, revision,
                    instance.errors(), changes, now);
        }
        Graph g = new Graph(instance, definition, revision, now, changes);
        switch (result) {
            case ExecutionResult.Next next -> g.complete(pointer, step, null);
            case ExecutionResult.Outcome outcome -> g.complete(pointer, step, outcome.value());
            case ExecutionResult.Sleep sleep ->
                    g.replace(pointer, pointer.with(pointer.attempt(), now.plus(sleep.duration()), sleep.state(), null));
            case ExecutionResult.Persist persist ->
                    g.replace(pointer, pointer.with(pointer.attempt(), null, persist.state(), null));
            case ExecutionResult.WaitForEvent wait -> g.await(pointer, step, wait.name(), wait.key(), wait.effectiveDate());
            case ExecutionResult.StartChild child -> {
                String reference = ChildResult.reference(instance.id(), pointer.id(), pointer.attempt(), child.workflowId());
                changes.add(new WorkflowEvent.ChildWorkflowRequested(instance.id(), instance.definition(), revision, now, step.name(),
                        pointer.id(), child.workflowId(), child.version(), child.input(), reference));
                g.await(pointer, step, ChildResult.EVENT_NAME, reference, null);
            }
            case ExecutionResult.Branch branch -> g.branch(pointer, step, branch);
            case ExecutionResult.Fail fail -> throw new IllegalArgumentException("a failed result goes through stepFailed");
        }
        if (g.failed) {
            return failed(instance, data, g.pointers, g.nextPointerId, revision, instance.errors(), changes, now,
                    compensatedError(instance, step, now));
        }
        return settle(instance, data, g.pointers, g.nextPointerId, revision, instance.errors(), changes, now);
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
        long revision = instance.revision() + 1;
        List<ExecutionPointer> pointers = replace(instance.pointers(), pointerId, pointer.with(pointer.attempt(), null, event, null));
        WorkflowEvent change = new WorkflowEvent.EventReceived(instance.id(), instance.definition(), revision, now,
                definition.step(pointer.stepId()).name(), pointerId, event.name(), event.key(), event.id());
        Instant next = instance.status() == WorkflowStatus.RUNNABLE ? nextExecution(pointers, now) : instance.nextExecution();
        return new Transition(copy(instance, instance.status(), instance.data(), pointers, instance.nextPointerId(), next, revision,
                null, instance.errors(), now), List.of(change));
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
            ExecutionPointer retry = pointer.with(pointer.attempt() + 1, retryAt, pointer.persistedState(), null);
            changes.add(new WorkflowEvent.RetryScheduled(instance.id(), instance.definition(), revision, now, step.name(), retry.attempt(), retryAt));
            return settle(instance, instance.data(), replace(instance.pointers(), pointerId, retry), instance.nextPointerId(),
                    revision, errors, changes, now);
        }
        ErrorBehaviour behaviour = step.onError();
        if (behaviour == ErrorBehaviour.COMPENSATE && pointer.isCompensating()) {
            behaviour = ErrorBehaviour.FAIL; // a compensation that fails cannot be compensated
        }
        return switch (behaviour) {
            case SUSPEND -> {
                // The step runs again, as a fresh attempt, once an operator resumes the instance.
                ExecutionPointer again = pointer.with(pointer.attempt() + 1, null, pointer.persistedState(), null);
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
            case FAIL -> failed(instance, instance.data(), instance.pointers(), instance.nextPointerId(), revision, errors, changes, now, error);
            case COMPENSATE -> {
                List<Integer> owed = pointer.compensation() == null ? List.of() : pointer.compensation().owed();
                List<String> names = new ArrayList<>(owed.size());
                for (int i = owed.size() - 1; i >= 0; i--) names.add(definition.step(owed.get(i)).name());
                changes.add(new WorkflowEvent.CompensationStarted(instance.id(), instance.definition(), revision, now, step.name(),
                        pointer.id(), names));
                Graph g = new Graph(instance, definition, revision, now, changes);
                g.remove(pointer);
                g.compensate(pointer.scope(), pointer.item(), owed, error);
                if (g.failed) {
                    yield failed(instance, instance.data(), g.pointers, g.nextPointerId, revision, errors, changes, now, error);
                }
                yield settle(instance, instance.data(), g.pointers, g.nextPointerId, revision, errors, changes, now);
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

    private static Transition failed(WorkflowInstance instance, Object data, List<ExecutionPointer> pointers, int nextPointerId,
                                     long revision, List<StepError> errors, List<WorkflowEvent> changes, Instant now, StepError error) {
        changes.add(new WorkflowEvent.WorkflowFailed(instance.id(), instance.definition(), revision, now, error));
        return new Transition(copy(instance, WorkflowStatus.FAILED, data, pointers, nextPointerId, null, revision, now, errors, now), changes);
    }

    private static StepError compensatedError(WorkflowInstance instance, StepDefinition step, Instant now) {
        StepError last = instance.lastError();
        return last != null ? last : new StepError(step.name(), "Compensated", "the workflow was compensated", 1, now);
    }

    /**
     * The pointers of one transition being rewritten: completing a step, starting and joining branches,
     * running compensations. Touches only the instance at hand, so its cost follows the live pointers, not the history.
     */
    private static final class Graph {
        final WorkflowInstance instance;
        final WorkflowDefinition definition;
        final long revision;
        final Instant now;
        final List<WorkflowEvent> changes;
        final List<ExecutionPointer> pointers;
        int nextPointerId;
        /** Compensation ran out at the top level: the workflow ends as failed. */
        boolean failed;

        Graph(WorkflowInstance instance, WorkflowDefinition definition, long revision, Instant now, List<WorkflowEvent> changes) {
            this.instance = instance;
            this.definition = definition;
            this.revision = revision;
            this.now = now;
            this.changes = changes;
            this.pointers = new ArrayList<>(instance.pointers().size() + 1);
            this.pointers.addAll(instance.pointers());
            this.nextPointerId = instance.nextPointerId();
        }

        int indexOf(int pointerId) {
            for (int i = 0; i < pointers.size(); i++) if (pointers.get(i).id() == pointerId) return i;
            return -1;
        }

        void replace(ExecutionPointer old, ExecutionPointer replacement) {
            pointers.set(indexOf(old.id()), replacement);
        }

        void remove(ExecutionPointer old) {
            int i = indexOf(old.id());
            if (i >= 0) pointers.remove(i);
        }

        void await(ExecutionPointer pointer, StepDefinition step, String name, String key, Instant effectiveDate) {
            replace(pointer, pointer.with(pointer.attempt(), null, pointer.persistedState(), new ExecutionPointer.EventWait(name, key, effectiveDate)));
            changes.add(new WorkflowEvent.EventAwaited(instance.id(), instance.definition(), revision, now, step.name(), pointer.id(),
                    name, key, effectiveDate));
        }

        /** Adds a pointer at {@code stepId}; reaching a background container also goes on past it at once. */
        void spawn(int stepId, int scope, Object item, ExecutionPointer.Compensation compensation) {
            StepDefinition step = definition.step(stepId);
            if (step.detached()) {
                pointers.add(new ExecutionPointer(nextPointerId++, stepId, 1, null, null, null, scope, item, null, null));
                if (step.next() != StepDefinition.NONE) spawn(step.next(), scope, item, compensation);
                else branchEnded(scope, compensation);
            } else {
                pointers.add(new ExecutionPointer(nextPointerId++, stepId, 1, null, null, null, scope, item, null, compensation));
            }
        }

        void complete(ExecutionPointer pointer, StepDefinition step, Object outcome) {
            changes.add(new WorkflowEvent.StepCompleted(instance.id(), instance.definition(), revision, now, step.name(), pointer.id()));
            remove(pointer);
            ExecutionPointer.Compensation compensation = pointer.compensation();
            if (compensation != null && compensation.running()) {
                if (step.next() != StepDefinition.NONE) {
                    pointers.add(new ExecutionPointer(nextPointerId++, step.next(), 1, null, null, null, pointer.scope(), pointer.item(),
                            null, compensation));
                } else {
                    compensate(pointer.scope(), pointer.item(), compensation.owed(), null);
                }
                return;
            }
            if (step.compensation() != StepDefinition.NONE) {
                compensation = owe(compensation, List.of(step.id()));
            }
            int successor = step.detached() ? StepDefinition.NONE : step.successorFor(outcome);
            if (successor != StepDefinition.NONE) spawn(successor, pointer.scope(), pointer.item(), compensation);
            else branchEnded(pointer.scope(), compensation);
        }

        /** Runs the compensation of the newest owed step, or, with none left, ends the compensation. */
        void compensate(int scope, Object item, List<Integer> owed, StepError cause) {
            if (!owed.isEmpty()) {
                int last = owed.get(owed.size() - 1);
                pointers.add(new ExecutionPointer(nextPointerId++, definition.step(last).compensation(), 1, null, null, null, scope, item,
                        null, new ExecutionPointer.Compensation(owed.subList(0, owed.size() - 1), true)));
                return;
            }
            if (scope == ExecutionPointer.NO_SCOPE) {
                failed = true;
                return;
            }
            int c = indexOf(scope);
            if (c < 0) return;
            ExecutionPointer container = pointers.get(c);
            dropBranchesOf(container.id());
            StepError why = cause != null ? cause : instance.lastError();
            pointers.set(indexOf(container.id()), container.withJoin(null, new Compensated(why), container.compensation()));
        }

        private void dropBranchesOf(int containerId) {
            java.util.Set<Integer> scopes = new java.util.HashSet<>();
            scopes.add(containerId);
            boolean grew = true;
            while (grew) {
                grew = false;
                for (ExecutionPointer p : pointers) {
                    if (scopes.contains(p.scope()) && scopes.add(p.id())) grew = true;
                }
            }
            pointers.removeIf(p -> p.id() != containerId && scopes.contains(p.scope()));
        }

        void branch(ExecutionPointer pointer, StepDefinition step, ExecutionResult.Branch branch) {
            if (!step.isContainer()) {
                throw new IllegalArgumentException("step '" + step.name() + "' returned a branch result, which needs a parallel or foreach step");
            }
            List<Object> values = branch.values();
            List<Object> pending = List.of();
            replace(pointer, pointer.withJoin(new ExecutionPointer.Join(List.of(), branch.state()), null, pointer.compensation()));
            int started = 0;
            if (step.children().size() > 1) {
                for (int i = 0; i < step.children().size(); i++) {
                    Object item = values.size() == step.children().size() ? values.get(i) : pointer.item();
                    spawn(step.children().get(i), pointer.id(), item, null);
                    started++;
                }
            } else {
                int n = branch.parallelism() == 0 ? values.size() : Math.min(branch.parallelism(), values.size());
                pending = values.subList(n, values.size());
                for (int i = 0; i < n; i++) {
                    spawn(step.children().get(0), pointer.id(), values.get(i), null);
                    started++;
                }
            }
            int c = indexOf(pointer.id());
            if (c < 0) return;
            ExecutionPointer container = pointers.get(c);
            if (started == 0) {
                pointers.set(c, pointer.with(pointer.attempt(), null, branch.state(), null));
            } else if (container.join() != null) {
                pointers.set(c, container.withJoin(new ExecutionPointer.Join(pending, branch.state()), null, container.compensation()));
            }
        }

        /** A branch of {@code scope} ended: the next pending value starts, or, with none left and none running, the container runs again. */
        void branchEnded(int scope, ExecutionPointer.Compensation owedByBranch) {
            if (scope == ExecutionPointer.NO_SCOPE) return;
            int c = indexOf(scope);
            if (c < 0) return;
            ExecutionPointer container = pointers.get(c);
            ExecutionPointer.Join join = container.join();
            if (join == null) return;
            ExecutionPointer.Compensation owed = owedByBranch == null ? container.compensation()
                    : owe(container.compensation(), owedByBranch.owed());
            StepDefinition step = definition.step(container.stepId());
            if (!join.pending().isEmpty()) {
                pointers.set(c, container.withJoin(new ExecutionPointer.Join(join.pending().subList(1, join.pending().size()), join.state()),
                        null, owed));
                spawn(step.children().get(0), container.id(), join.pending().get(0), null);
                return;
            }
            for (ExecutionPointer p : pointers) {
                if (p.scope() == container.id()) {
                    pointers.set(c, container.withJoin(join, null, owed));
                    return;
                }
            }
            pointers.set(c, container.withJoin(null, join.state(), owed));
        }

        private static ExecutionPointer.Compensation owe(ExecutionPointer.Compensation current, List<Integer> more) {
            if (more.isEmpty()) return current;
            if (current == null || current.owed().isEmpty()) return new ExecutionPointer.Compensation(more, false);
            List<Integer> all = new ArrayList<>(current.owed().size() + more.size());
            all.addAll(current.owed());
            all.addAll(more);
            return new ExecutionPointer.Compensation(all, false);
        }
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
