package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.StepDefinition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.Compensated;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.StepError;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;
import net.reactory.workflow.domain.step.ExecutionResult;


import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The live pointers of one instance while a transition rewrites them: completing a step, starting and joining
 * branches, running compensations. Touches only the instance at hand, so its cost follows the live pointers,
 * not the history. Used only by {@link WorkflowTransitions}, once per transition, then thrown away.
 */
final class PointerGraph {

    private final WorkflowInstance instance;
    private final WorkflowDefinition definition;
    private final long revision;
    private final Instant now;
    private final List<WorkflowEvent> changes;
    private final List<ExecutionPointer> pointers;
    private int nextPointerId;
    /** Compensation ran out at the top level: the workflow ends as failed. */
    private boolean failed;

    /**
     * @param instance the instance as it was before the transition
     * @param revision the revision the transition raises it to, for the events it records
     * @param changes  receives the events of the rewrite
     */
    PointerGraph(WorkflowInstance instance, WorkflowDefinition definition, long revision, Instant now, List<WorkflowEvent> changes) {
        this.instance = instance;
        this.definition = definition;
        this.revision = revision;
        this.now = now;
        this.changes = changes;
        this.pointers = new ArrayList<>(instance.pointers().size() + 1);
        this.pointers.addAll(instance.pointers());
        this.nextPointerId = instance.nextPointerId();
    }

    /** The live pointers after the rewrite. */
    List<ExecutionPointer> pointers() {
        return pointers;
    }

    /** The id the next pointer created will take. */
    int nextPointerId() {
        return nextPointerId;
    }

    /** True when a compensation ran out at the top level: the workflow ends as failed. */
    boolean failed() {
        return failed;
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
        ExecutionPointer.Join join = container.join();
        if (join != null && container.persistedState() instanceof Compensated done) {
            // Back from undoing the container's ended branches and the container itself: it learns it was compensated.
            pointers.set(c, container.withJoin(null, done, container.compensation()));
            return;
        }
        dropBranchesOf(container.id());
        StepError why = cause != null ? cause : instance.lastError();
        // A branch was compensated: the branches that already ended are undone too, newest first, then the
        // container's own compensation, if it declares one; only then is the container told.
        List<Integer> owedHere = new ArrayList<>();
        StepDefinition step = definition.step(container.stepId());
        if (step.compensation() != StepDefinition.NONE) owedHere.add(step.id());
        if (join != null) owedHere.addAll(join.owed());
        c = indexOf(container.id());
        if (join == null || owedHere.isEmpty()) {
            pointers.set(c, container.withJoin(null, new Compensated(why), container.compensation()));
            return;
        }
        pointers.set(c, container.withJoin(new ExecutionPointer.Join(List.of(), null), new Compensated(why), container.compensation()));
        compensate(container.id(), container.item(), owedHere, why);
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
            pointers.set(c, container.withJoin(new ExecutionPointer.Join(pending, branch.state(), container.join().owed()), null,
                    container.compensation()));
        }
    }

    /** A branch of {@code scope} ended: the next pending value starts, or, with none left and none running, the container runs again. */
    private void branchEnded(int scope, ExecutionPointer.Compensation owedByBranch) {
        if (scope == ExecutionPointer.NO_SCOPE) return;
        int c = indexOf(scope);
        if (c < 0) return;
        ExecutionPointer container = pointers.get(c);
        ExecutionPointer.Join join = container.join();
        if (join == null) return;
        List<Integer> owedByEnded = join.owed();
        if (owedByBranch != null && !owedByBranch.owed().isEmpty()) {
            owedByEnded = new ArrayList<>(join.owed());
            owedByEnded.addAll(owedByBranch.owed());
        }
        StepDefinition step = definition.step(container.stepId());
        if (!join.pending().isEmpty()) {
            pointers.set(c, container.withJoin(new ExecutionPointer.Join(join.pending().subList(1, join.pending().size()), join.state(),
                    owedByEnded), null, container.compensation()));
            spawn(step.children().get(0), container.id(), join.pending().get(0), null);
            return;
        }
        for (ExecutionPointer p : pointers) {
            if (p.scope() == container.id()) {
                pointers.set(c, container.withJoin(new ExecutionPointer.Join(join.pending(), join.state(), owedByEnded), null,
                        container.compensation()));
                return;
            }
        }
        // All branches ended: what they owe is now owed by the container's branch, unless the container's own
        // compensation undoes it as a whole (owed once the container completes).
        ExecutionPointer.Compensation owed = step.compensation() != StepDefinition.NONE ? container.compensation()
                : owe(container.compensation(), owedByEnded);
        pointers.set(c, container.withJoin(null, join.state(), owed));
    }

    /**
     * Gives up {@code pointer} before its step finished, because its cancel condition held: its branches go with it
     * (each one that waited is recorded, so its wait or its child can be removed), then the flow goes on after the step
     * ({@code proceed}, as if it had completed) or its branch ends there. A background step (schedule, recur) went on
     * when it was reached, so its cancellation only ends it.
     */
    void cancel(ExecutionPointer pointer, StepDefinition step, boolean proceed) {
        Set<Integer> gone = new HashSet<>();
        gone.add(pointer.id());
        for (boolean grew = true; grew; ) {
            grew = false;
            for (ExecutionPointer p : pointers) if (gone.contains(p.scope()) && gone.add(p.id())) grew = true;
        }
        for (ExecutionPointer p : pointers) {
            if (gone.contains(p.id()) && (p.id() == pointer.id() || p.waitingFor() != null)) {
                changes.add(new WorkflowEvent.StepCancelled(instance.id(), instance.definition(), revision, now,
                        definition.step(p.stepId()).name(), p.id(), p.waitingFor()));
            }
        }
        dropBranchesOf(pointer.id());
        remove(pointer);
        int successor = proceed && !step.detached() ? step.next() : StepDefinition.NONE;
        if (successor != StepDefinition.NONE) spawn(successor, pointer.scope(), pointer.item(), pointer.compensation());
        else branchEnded(pointer.scope(), pointer.compensation());
    }

    private int indexOf(int pointerId) {
        for (int i = 0; i < pointers.size(); i++) if (pointers.get(i).id() == pointerId) return i;
        return -1;
    }

    private void dropBranchesOf(int containerId) {
        Set<Integer> scopes = new HashSet<>();
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

    private static ExecutionPointer.Compensation owe(ExecutionPointer.Compensation current, List<Integer> more) {
        if (more.isEmpty()) return current;
        if (current == null || current.owed().isEmpty()) return new ExecutionPointer.Compensation(more, false);
        List<Integer> all = new ArrayList<>(current.owed().size() + more.size());
        all.addAll(current.owed());
        all.addAll(more);
        return new ExecutionPointer.Compensation(all, false);
    }
}
