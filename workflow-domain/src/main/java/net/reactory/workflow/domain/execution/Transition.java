package net.reactory.workflow.domain.execution;

import net.reactory.workflow.domain.instance.WorkflowEvent;
import net.reactory.workflow.domain.instance.WorkflowInstance;


import java.util.List;

/** The result of a pure transition: the new instance and what changed. */
public record Transition(WorkflowInstance instance, List<WorkflowEvent> changes) {

    public Transition {
        changes = List.copyOf(changes);
    }
}
