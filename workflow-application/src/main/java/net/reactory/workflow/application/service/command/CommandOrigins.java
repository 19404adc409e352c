package net.reactory.workflow.application.service.command;

import java.util.ArrayList;
import java.util.List;

import net.reactory.workflow.application.port.in.CommandOrigin;
import net.reactory.workflow.domain.execution.Transition;
import net.reactory.workflow.domain.instance.WorkflowEvent;

/** Marks the events of a lifecycle command with who asked for it, so that the instance's history tells. */
final class CommandOrigins {

    private CommandOrigins() {
    }

    static Transition stamped(Transition transition, CommandOrigin origin) {
        if (origin == null || transition.changes().isEmpty()) return transition;
        WorkflowEvent.Origin by = new WorkflowEvent.Origin(origin.actor(), origin.entryPoint());
        List<WorkflowEvent> changes = new ArrayList<>(transition.changes().size());
        for (WorkflowEvent e : transition.changes()) changes.add(e.withOrigin(by));
        return new Transition(transition.instance(), List.copyOf(changes));
    }
}
