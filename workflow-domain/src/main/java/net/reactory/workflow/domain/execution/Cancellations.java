package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.definition.CancelCondition;
import net.reactory.workflow.domain.definition.WorkflowDefinition;
import net.reactory.workflow.domain.instance.ExecutionPointer;
import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;


import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The cancel conditions of the live steps ({@link CancelCondition}), checked after each step result, which is what
 * may change the data (an event changes it through the step that receives it). A pointer whose condition holds is
 * cancelled with its branches. What is not cancelled costs one look at each live pointer's step and no allocation.
 */
final class Cancellations {

    private Cancellations() {
    }

    /**
     * {@code instance}, already at the transition's revision, with every live pointer whose cancel condition holds on its
     * data cancelled; the same instance when none holds. A compensation that runs is never cancelled. A cancellation
     * may reach a step whose condition holds too, which is then cancelled in turn; a step is cancelled at most once per
     * transition, so a flow that leads back to itself cannot loop here.
     */
    static WorkflowInstance apply(WorkflowInstance instance, WorkflowDefinition definition, Instant now, List<WorkflowEvent> changes) {
        ExecutionPointer first = cancellable(instance.pointers(), definition, instance.data(), null);
        if (first == null) return instance;
        PointerGraph g = new PointerGraph(instance, definition, instance.revision(), now, changes);
        Set<Integer> cancelledSteps = new HashSet<>();
        for (ExecutionPointer p = first; p != null; p = cancellable(g.pointers(), definition, instance.data(), cancelledSteps)) {
            cancelledSteps.add(p.stepId());
            g.cancel(p, definition.step(p.stepId()), definition.step(p.stepId()).policy().cancel().proceed());
        }
        return instance.withPointers(g.pointers(), g.nextPointerId());
    }

    /** True when no live pointer's cancel condition holds on {@code data}: {@link #apply} would change nothing. No allocation. */
    static boolean noneHolds(List<ExecutionPointer> pointers, WorkflowDefinition definition, Object data) {
        return cancellable(pointers, definition, data, null) == null;
    }

    private static ExecutionPointer cancellable(List<ExecutionPointer> pointers, WorkflowDefinition definition, Object data,
                                                Set<Integer> done) {
        for (int i = 0; i < pointers.size(); i++) {
            ExecutionPointer p = pointers.get(i);
            CancelCondition cancel = definition.step(p.stepId()).policy().cancel();
            if (cancel != null && !p.isCompensating() && (done == null || !done.contains(p.stepId())) && cancel.holds(data)) return p;
        }
        return null;
    }
}
